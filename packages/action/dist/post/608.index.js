const j=608,L=[608],N={608:(($,w,o)=>{o.r(w),o.d(w,{FARGATE_PRICES:()=>c,PhaseTimer:()=>D,countWorkers:()=>F.R,createBackend:()=>l,estimateFargateCost:()=>k,hourlyFargateCost:()=>A,runClusterJob:()=>x,silentLogger:()=>I.q});var d=o(8962),P=o(88246),m=o(16641),i=o(93866),f=o(86935);function l(e,t={}){if(e==="docker")return y({name:"docker",validate:()=>{},plan:s=>(0,d.M)(s,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([o.e(292),o.e(639),o.e(425)]).then(o.bind(o,19425))).dockerEngineVerbs(t));const r=t.fargate;if(!r)throw new P.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const a=s=>({ecsCluster:r.ecsCluster??`<created: ${s.clusterId}>`,executionRoleArn:r.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:r.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:r.subnets??["<default VPC subnets>"],securityGroups:r.securityGroups??[m.rJ.securityGroupId],assignPublicIp:r.assignPublicIp??!r.subnets,tlsSecretArn:s.tls?m.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return y({name:"fargate",validate:s=>{(0,i.q8)(r,s)},plan:s=>(0,m.Kp)(s,(0,i.q8)(r,s),a(s))},async()=>(await Promise.all([o.e(149),o.e(639),o.e(171),o.e(453)]).then(o.bind(o,25453))).fargateEngineVerbs(r,t.clients))}function y(e,t){let r;const a=()=>(r??=t().catch(s=>{throw r=void 0,s}),r);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(s,n)=>(await a()).preflight(s,n)),up:async(s,n)=>(await a()).up(s,n),runJob:async(s,n,g)=>(await a()).runJob(s,n,g),watchMembers:async(s,n)=>(await a()).watchMembers(s,n),scale:async(s,n,g)=>(E(s,n),(await a()).scale(s,n,g)),down:async(s,n)=>(await a()).down(s,n),reap:async s=>(await a()).reap(s),logs:async(s,n)=>(await a()).logs(s,n)}}function E(e,t){(0,f.i)({...e.spec,workers:t,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var b=o(14589),C=o(58182);async function x(e,t,r,a){if(r.runsOn==="cluster")return e.runJob(t,r,a);const s=await e.watchMembers(t,a);let n;try{n=await(0,b.wO)(t,r,a.signal)}finally{await s.stop()}return{...n,...(0,C.$)(s)}}const c={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function p(e,t,r,a){const s=c[t],n=(h,T)=>h*s.vcpuHour+T/1024*s.gbHour;return(1+(a.jobTask?1:0))*n(e.schedulerCpu,e.schedulerMemory)+e.workers*n(e.workerCpu,e.workerMemory)+r*c.publicIpv4Hour}const u=(e,t)=>`1 scheduler + ${e.workers} workers${t.jobTask?" + 1 job task":""}`;function A(e,t,r,a,s={}){const n=p(e,t,r,s),g=n*(e.maxLifetime/3600),h=a?" (upper bound: Spot workers priced on demand)":"";return{usd:n,maxLifetimeUsd:g,text:`about $${n.toFixed(2)} per hour${h}; at most $${g.toFixed(2)} before the ${S(e.maxLifetime)} max-lifetime ends it`,method:`${u(e,s)}${r>0?` + ${r} public IPv4 addresses`:""} at ${c.source}`}}function k(e,t,r,a,s,n={}){const g=Math.max(60,Math.ceil(r))/3600,h=c[t],T=(n.replacementSeconds??[]).reduce((U,M)=>U+Math.max(60,Math.ceil(M))/3600,0),_=e.workerCpu*h.vcpuHour+e.workerMemory/1024*h.gbHour+(n.replacementPublicIps?c.publicIpv4Hour:0),v=p(e,t,a,n)*g+_*T,O=`$${v.toFixed(4)}${s?" (upper bound: Spot workers priced on demand)":""}`,R=n.replacementSeconds?.length?` + ${n.replacementSeconds.length} replacement worker(s) \xD7 ${Math.ceil(T*3600)} s in all (min. 60 s each)`:"";return{usd:v,text:O,method:`${u(e,n)} \xD7 ${Math.ceil(r)} s (min. 60 s)${R} at ${c.source}`}}function S(e){const t=e/3600;return Number.isInteger(t)?`${t} h`:`${Math.round(e/60)} min`}var I=o(4353);class D{phases=[];async time(t,r){const a=performance.now();try{return await r()}finally{this.phases.push([t,performance.now()-a])}}toJSON(){return Object.fromEntries(this.phases.map(([t,r])=>[t,Math.round(r)]))}toString(){return this.phases.map(([t,r])=>`${t} ${(r/1e3).toFixed(1)} s`).join(", ")}}var F=o(29641)}),8962:(($,w,o)=>{o.d(w,{M:()=>f,q:()=>i});var d=o(53145),P=o(42628),m=o(89401);function i(l,y,E,b){return{role:"worker",name:m.Dy.worker(l.clusterId,b),command:(0,d.y2)(l,E,`worker-${b}`),cpu:l.workerCpu,memoryMiB:l.workerMemory,environment:l.environment,createdAt:y.createdAt,expiresAt:y.expiresAt}}function f(l,y){const E=`${l.tls?"tls":"tcp"}://${m.Dy.scheduler(l.clusterId)}:${d.Q9}`;return{backend:"docker",clusterId:l.clusterId,network:{name:m.Dy.network(l.clusterId),driver:"bridge",labels:(0,P.EC)(l.clusterId,y.createdAt,y.expiresAt,l.labels)},scheduler:{role:"scheduler",name:m.Dy.scheduler(l.clusterId),command:(0,d.hx)(l),cpu:l.schedulerCpu,memoryMiB:l.schedulerMemory,environment:l.environment,createdAt:y.createdAt,expiresAt:y.expiresAt,publish:!0},workers:Array.from({length:l.workers},(b,C)=>i(l,y,E,C)),schedulerAddress:E,publishedPorts:[d.Q9,d.r2],tls:l.tls}}}),89401:(($,w,o)=>{o.d(w,{Dy:()=>l,Mn:()=>C,aR:()=>E,bi:()=>y,w$:()=>b});var d=o(57075),P=o(36474),m=o(53145),i=o(42628),f=o(84368);const l={network:c=>c,scheduler:c=>`${c}-scheduler`,worker:(c,p)=>`${c}-worker-${p}`,job:(c,p)=>`${c}-job-${p}`};async function y(c,p,u){const A=[`${m.Q9}/tcp`,`${m.r2}/tcp`];return c.createContainer({name:u.name,Image:p.image,Cmd:[...u.command],Env:Object.entries(u.environment).map(([k,S])=>`${k}=${S}`),Labels:(0,i.EC)(p.clusterId,u.createdAt,u.expiresAt,p.labels,u.role),...u.workingDir?{WorkingDir:u.workingDir}:{},...u.publish?{ExposedPorts:Object.fromEntries(A.map(k=>[k,{}]))}:{},HostConfig:{NetworkMode:l.network(p.clusterId),NanoCpus:Math.round(u.cpu*1e9),Memory:u.memoryMiB*1024*1024,MemorySwap:u.memoryMiB*1024*1024,...u.binds?{Binds:[...u.binds]}:{},...u.tmpfs&&Object.keys(u.tmpfs).length>0?{Tmpfs:{...u.tmpfs}}:{},...u.publish?{PortBindings:Object.fromEntries(A.map(k=>[k,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function E(c,p){const u=(0,P.pack)(),A=[];u.on("data",I=>A.push(I));const k=new Promise((I,D)=>{u.on("end",I),u.on("error",D)}),S=m.Qy.replace(/^\/tmp\//,"");u.entry({name:`${S}/`,type:"directory",mode:493}),u.entry({name:`${S}/${m.qJ.ca}`,mode:292},p.ca),u.entry({name:`${S}/${m.qJ.cert}`,mode:292},p.cert),u.entry({name:`${S}/${m.qJ.key}`,mode:292},p.key),u.finalize(),await k,await c.putArchive(Buffer.concat(A),{path:"/tmp"})}async function b(c,p=15){try{const u=await c.logs({stdout:!0,stderr:!0,tail:p}),A=new d.PassThrough,k=[],S=(0,f.S)(A,I=>{I.trimEnd()!==""&&k.push(I.trimEnd())});return await x(c.modem,d.Readable.from([u]),A,A),A.end(),await S,k}catch{return[]}}async function C(c,p,u){const A=new d.PassThrough,k=new d.PassThrough,S=Promise.all([(0,f.S)(A,I=>u(I,"stdout")),(0,f.S)(k,I=>u(I,"stderr"))]);await x(c.modem,p,A,k),A.end(),k.end(),await S}function x(c,p,u,A){return new Promise(k=>{p.on("end",()=>k()),p.on("close",()=>k()),p.on("error",()=>k()),c.demuxStream(p,u,A)})}}),16641:(($,w,o)=>{o.d(w,{D8:()=>y,rJ:()=>b,Dd:()=>C,xS:()=>x,Kp:()=>k,dY:()=>D,zb:()=>F});var d=o(53145),P=o(42628),m=o(31301),i=o(81451);const f=String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()

def uri_encode(text, keep_slash):
    return urllib.parse.quote(text, safe='/-_.~' if keep_slash else '-_.~')

def signing_key(secret, date, region, service):
    key = ('AWS4' + secret).encode()
    for part in (date, region, service, 'aws4_request'):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key

def sign(method, host, path, query, headers, payload_hash, access_key, secret_key, token, region, amz_date, service='s3'):
    """The headers of a SigV4-signed request; path is the raw key path, encoded here as S3 wants it."""
    headers = dict((k.lower(), str(v).strip()) for k, v in headers.items())
    headers['host'] = host
    headers['x-amz-date'] = amz_date
    headers['x-amz-content-sha256'] = payload_hash
    if token:
        headers['x-amz-security-token'] = token
    names = sorted(headers)
    canonical_query = '&'.join(uri_encode(k, False) + '=' + uri_encode(v, False) for k, v in sorted(query.items()))
    canonical = '\n'.join([method, uri_encode(path, True), canonical_query, ''.join(n + ':' + headers[n] + '\n' for n in names), ';'.join(names), payload_hash])
    scope = amz_date[:8] + '/' + region + '/' + service + '/aws4_request'
    to_sign = '\n'.join(['AWS4-HMAC-SHA256', amz_date, scope, sha256_hex(canonical.encode())])
    signature = hmac.new(signing_key(secret_key, amz_date[:8], region, service), to_sign.encode(), hashlib.sha256).hexdigest()
    headers['authorization'] = 'AWS4-HMAC-SHA256 Credential=' + access_key + '/' + scope + ',SignedHeaders=' + ';'.join(names) + ',Signature=' + signature
    return headers

def credentials():
    relative = os.environ.get('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')
    full = os.environ.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')
    if relative or full:
        request = urllib.request.Request('http://169.254.170.2' + relative if relative else full)
        token = os.environ.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')
        token_file = os.environ.get('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE')
        if token_file:
            with open(token_file) as f:
                token = f.read().strip()
        if token and not relative:
            request.add_header('Authorization', token)
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = json.load(answer)
        return body['AccessKeyId'], body['SecretAccessKey'], body.get('Token')
    if os.environ.get('AWS_ACCESS_KEY_ID') and os.environ.get('AWS_SECRET_ACCESS_KEY'):
        return os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY'], os.environ.get('AWS_SESSION_TOKEN')
    raise RuntimeError('no task role credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not set: does the task have a task role?)')

def endpoint(bucket, region):
    """(scheme, host, path prefix) of the bucket: the S3 endpoint override in path style, else the regional endpoint."""
    custom = os.environ.get('AWS_ENDPOINT_URL_S3')
    if custom:
        url = urllib.parse.urlsplit(custom)
        return url.scheme, url.netloc, url.path.rstrip('/') + '/' + bucket + '/'
    suffix = '.amazonaws.com.cn' if region.startswith('cn-') else '.amazonaws.com'
    if '.' in bucket:
        return 'https', 's3.' + region + suffix, '/' + bucket + '/'
    return 'https', bucket + '.s3.' + region + suffix, '/'

def error_detail(body):
    """S3's XML error as 'Code: Message' on one line (S3 API reference, "Error responses"), else the body's first 300 characters."""
    code = re.search(r'<Code>([^<]*)</Code>', body)
    message = re.search(r'<Message>([^<]*)</Message>', body)
    if code:
        return code.group(1) + (': ' + message.group(1) if message else '')
    return ' '.join(body.split())[:300]

def put(scheme, host, path, opener, size, payload_hash, creds, region):
    """PUTs one object whose body opener() returns (opened anew on each attempt), retrying 5xx and dropped connections."""
    for attempt in range(4):
        amz_date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
        # An explicit type: urllib would otherwise send form-urlencoded, which some servers parse as a form.
        headers = sign('PUT', host, path, {}, {'content-length': str(size), 'content-type': 'application/octet-stream'}, payload_hash, creds[0], creds[1], creds[2], region, amz_date)
        del headers['host']
        body = opener()
        try:
            request = urllib.request.Request(scheme + '://' + host + uri_encode(path, True), data=body, method='PUT', headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=300) as answer:
                    answer.read()
                return
            except urllib.error.HTTPError as error:
                detail = error_detail(error.read()[:2000].decode(errors='replace'))
                if error.code < 500 or attempt == 3:
                    raise RuntimeError('HTTP ' + str(error.code) + ': ' + detail)
            except OSError as error:
                if attempt == 3:
                    raise
        finally:
            if hasattr(body, 'close'):
                body.close()
        time.sleep(2 ** attempt)

def file_digest(file_path):
    """(size, sha256 hex) of the bytes read, which are the bytes then uploaded (a file that changes after this fails the upload's payload check)."""
    digest = hashlib.sha256()
    size = 0
    with open(file_path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()

def odd_name(relative):
    """Why a relative path cannot be an output (None when it can): S3 keys are UTF-8 of at most 1024 bytes."""
    try:
        encoded = relative.encode('utf-8')
    except UnicodeEncodeError:
        return 'its name is not UTF-8'
    if len(encoded) > 900:
        return 'its path is longer than 900 bytes'
    return None

def main():
    root = os.environ['DFA_OUTPUT_DIR']
    bucket = os.environ['DFA_OUTPUT_BUCKET']
    prefix = os.environ['DFA_OUTPUT_PREFIX'] + os.environ['DFA_OUTPUT_JOB'] + '/'
    region = os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'
    manifest = {'version': 1, 'cluster': os.environ['DFA_OUTPUT_CLUSTER'], 'token': os.environ['DFA_OUTPUT_TOKEN'], 'job': os.environ['DFA_OUTPUT_JOB'], 'files': [], 'skipped': []}
    files = []
    # os.walk never follows links to directories (followlinks=False); links to files are left out below.
    for parent, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files.append(path)
    try:
        with open(os.environ['DFA_OUTPUT_KEY_FILE']) as f:
            key = bytes.fromhex(f.read().strip())
        if len(key) < 32:
            raise ValueError('the output signing key is shorter than 32 bytes')
        creds = credentials()
    except Exception as error:
        print('dask-fargate: cannot upload the job outputs: ' + str(error), file=sys.stderr, flush=True)
        return 1
    scheme, host, base = endpoint(bucket, region)
    failed = 0
    total = 0
    for path in files:
        relative = os.path.relpath(path, root).replace(os.sep, '/')
        why = odd_name(relative)
        if why:
            failed += 1
            shown = json.dumps(relative.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace'))
            manifest['skipped'].append({'path': json.loads(shown), 'reason': why})
            print('dask-fargate: could not upload ' + shown + ': ' + why, file=sys.stderr, flush=True)
            continue
        key_name = prefix + 'files/' + relative
        try:
            size, digest = file_digest(path)
            put(scheme, host, base + key_name, lambda: open(path, 'rb'), size, digest, creds, region)
            manifest['files'].append({'path': relative, 'size': size, 'sha256': digest})
            total += size
        except Exception as error:
            failed += 1
            manifest['skipped'].append({'path': relative, 'reason': str(error)})
            print('dask-fargate: could not upload ' + key_name + ': ' + str(error), file=sys.stderr, flush=True)
    # The manifest last: it lists only what reached S3, and the runner takes nothing it does not list.
    text = json.dumps(manifest)
    body = json.dumps({'manifest': text, 'hmac-sha256': hmac.new(key, text.encode('utf-8'), hashlib.sha256).hexdigest()}).encode('utf-8')
    try:
        put(scheme, host, base + prefix + 'manifest.json', lambda: body, len(body), sha256_hex(body), creds, region)
    except Exception as error:
        print('dask-fargate: could not upload ' + prefix + 'manifest.json: ' + str(error), file=sys.stderr, flush=True)
        return 1
    if not files:
        print('dask-fargate: the job wrote no outputs to ' + root, file=sys.stderr, flush=True)
    print('dask-fargate: uploaded ' + str(len(manifest['files'])) + ' output file(s), ' + str(total) + ' bytes, to s3://' + bucket + '/' + prefix, file=sys.stderr, flush=True)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
`,l=10,y="outputs",E="<attempt token>",b={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function C(e,t){const r=Object.entries(t).flatMap(([s,n])=>n===void 0?[]:[[b[s],n]]),a=s=>typeof s=="string"?r.reduce((n,[g,h])=>n.split(g).join(h),s):Array.isArray(s)?s.map(a):s&&typeof s=="object"?Object.fromEntries(Object.entries(s).map(([n,g])=>[n,a(g)])):s;return a(e)}function x(e,t,r){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:t,expiresAt:r}}function c(e){return Object.entries(e).map(([t,r])=>({key:t,value:r}))}function p(e){return Object.entries(e).map(([t,r])=>({Key:t,Value:r}))}const u=["umask 077",`mkdir -p ${d.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${d.Qy}/${d.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${d.Qy}/${d.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${d.Qy}/${d.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function A(e,t){return e.tls?["sh","-c",u,"sh",...t]:[...t]}function k(e,t,r){const a=(0,P.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),s=i.P.logGroup(e.clusterId),n=[...t.clientCidr?[t.clientCidr]:[],...t.allowPublicIngress?["0.0.0.0/0"]:[]],g=h=>{const T=h==="worker"?t.workerSize:t.schedulerSize,_=h==="job"&&t.outputUri?(0,m.V6)(t.outputUri):void 0,v=h==="scheduler"?(0,d.hx)(e):h==="worker"?(0,d.y2)(e,"scheduler-address-set-per-run"):(0,d.pi)(e,{uploadOutputs:_!==void 0}),O=[...Object.entries(t.secrets).map(([R,U])=>({name:R,valueFrom:U})),...r.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${r.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${r.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${r.tlsSecretArn}:key::`}]:[],...r.tlsSecretArn&&_?[{name:"DFA_OUTPUT_KEY",valueFrom:`${r.tlsSecretArn}:${y}::`}]:[]];return{family:i.P.family(e.clusterId,h),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(T.cpu),memory:String(T.memory),runtimePlatform:{cpuArchitecture:t.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,...t.ephemeralStorage?{ephemeralStorage:{sizeInGiB:t.ephemeralStorage}}:{},containerDefinitions:[{name:i.P.container,image:e.image,essential:!0,memory:T.memory,command:A(e,v),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(e.environment).map(([R,U])=>({name:R,value:U})),..._?[{name:"DFA_UPLOAD_OUTPUTS",value:f},{name:"DFA_OUTPUT_BUCKET",value:_.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,m.Pr)(_,e.clusterId,r.outputToken??E)},{name:"DFA_OUTPUT_CLUSTER",value:e.clusterId},{name:"DFA_OUTPUT_TOKEN",value:r.outputToken??E}]:[]],...O.length>0?{secrets:O}:{},...h==="scheduler"?{portMappings:[d.Q9,d.r2].map(R=>({containerPort:R,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":s,"awslogs-region":t.region,"awslogs-stream-prefix":h}}}],tags:c({...a,"io.dask-fargate-action.role":h})}};return{backend:"fargate",clusterId:e.clusterId,region:t.region,createCluster:t.ecsCluster?void 0:{clusterName:i.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:c(a),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:s,retentionInDays:t.logRetentionDays,tags:a},securityGroup:t.securityGroups?void 0:{name:i.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:r.vpcId??"<the subnets' VPC>",clientCidrs:n,clientPorts:{from:d.Q9,to:t.openDashboard?d.r2:d.Q9},tags:p({...a,Name:i.P.securityGroup(e.clusterId)}),ingress:S(b.securityGroupId,n,{from:d.Q9,to:t.openDashboard?d.r2:d.Q9})},tlsSecret:e.tls?{name:i.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:p(a)}:void 0,taskDefinitions:{scheduler:g("scheduler"),worker:g("worker"),job:g("job")},schedulerRun:D(e,t,r,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),workerRuns:F(e,t,r,b.schedulerAddress,0,e.workers,t.spotWorkers),workerFallback:t.spotWorkers?"on-demand":"none",tags:a}}function S(e,t,r){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...t.length>0?[{IpProtocol:"tcp",FromPort:r.from,ToPort:r.to,IpRanges:t.map(a=>({CidrIp:a,Description:r.to>r.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function I(e){const t=(h,T)=>(_,v)=>({operation:_,input:v,stage:h,lane:T}),r=t(1,"ecs cluster"),a=t(1,"log group"),s=t(1,"security group"),n=t(1,"secret and task definitions"),g=t(3,"workers");return[...e.createCluster?[r("ecs:CreateCluster",e.createCluster)]:[],a("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),a("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[s("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),s("ec2:AuthorizeSecurityGroupIngress",{GroupId:b.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[n("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(h=>n("ecs:RegisterTaskDefinition",e.taskDefinitions[h])),t(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(h=>g("ecs:RunTask",h))]}function D(e,t,r,a,s,n,g,h,T={}){const _=Object.entries(T).map(([v,O])=>({name:v,value:O}));return{cluster:r.ecsCluster,taskDefinition:i.P.family(e.clusterId,a),count:s,clientToken:n,startedBy:e.clusterId,...h?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:t.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...r.subnets],securityGroups:[...r.securityGroups],assignPublicIp:r.assignPublicIp?"ENABLED":"DISABLED"}},...g||_.length>0?{overrides:{containerOverrides:[{name:i.P.container,...g?{command:A(e,g)}:{},..._.length>0?{environment:_}:{}}]}}:{},tags:c({...(0,P.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),"io.dask-fargate-action.role":a}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function F(e,t,r,a,s,n,g){const h=[];for(let T=s;T<s+n;T+=l){const _=Math.min(l,s+n-T),v=(0,d.y2)(e,a);h.push(D(e,t,r,"worker",_,`${e.clusterId}-w${T}-${_}${g?"-spot":""}`,v,g))}return h}}),4353:(($,w,o)=>{o.d(w,{q:()=>d});const d={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:(($,w,o)=>{o.d(w,{R:()=>P});var d=o(37067);function P(m,i=5e3){return new Promise(f=>{const l=(0,d.get)(`${m.replace(/\/$/,"")}/json/identity.json`,{timeout:i},y=>{let E="";y.setEncoding("utf8"),y.on("data",b=>{E+=b}),y.on("end",()=>{if(y.statusCode!==200)return f(void 0);try{const b=JSON.parse(E);f(Object.keys(b.workers??{}).length)}catch{f(void 0)}}),y.on("error",()=>f(void 0))});l.on("timeout",()=>l.destroy()),l.on("error",()=>f(void 0))})}}),58182:(($,w,o)=>{o.d(w,{$:()=>P,I:()=>d});class d{limit;logger;stopped=[];replacements=[];unreplaced=[];granted=0;constructor(i,f){this.limit=i,this.logger=f}lost(i){this.stopped.push({member:i.member,exitCode:i.exitCode,reason:i.reason});const f=[i.stopCode,i.reason].filter(Boolean).join(": ");return this.logger.warn(`${i.member} stopped (exit code ${i.exitCode??"unknown"}${f?`, ${f}`:""}) while the job ran`),i.worker?this.granted>=this.limit?(this.unreplaced.push(i.member),this.logger.warn(`${i.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`),!1):(this.granted++,!0):!1}failed(i,f){this.granted--,this.logger.warn(`could not replace ${i}: ${f instanceof Error?f.message:String(f)}`)}replaced(i){this.replacements.push(i);const f=i.capacity?` on ${i.capacity}`:"";this.logger.warn(`replaced ${i.member} with ${i.replacement}${f} (${this.replacements.length}/${this.limit})`)}watch(i){return{stopped:this.stopped,replacements:this.replacements,unreplaced:this.unreplaced,stop:i}}}function P(m){return{stoppedMembers:[...m.stopped],...m.replacements&&m.replacements.length>0?{replacements:[...m.replacements]}:{},...m.unreplaced&&m.unreplaced.length>0?{unreplaced:[...m.unreplaced]}:{}}}})};export{j as id,L as ids,N as modules};
