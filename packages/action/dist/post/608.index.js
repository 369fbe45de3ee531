const M=608,j=[608],L={608:((x,I,o)=>{o.r(I),o.d(I,{FARGATE_PRICES:()=>C,PhaseTimer:()=>w,countWorkers:()=>O.R,createBackend:()=>d,estimateFargateCost:()=>y,hourlyFargateCost:()=>a,runClusterJob:()=>D,silentLogger:()=>E.q});var i=o(8962),v=o(88246),A=o(16641),k=o(93866),T=o(86935);function d(u,e={}){if(u==="docker")return f({name:"docker",validate:()=>{},plan:s=>(0,i.M)(s,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([o.e(292),o.e(639),o.e(533)]).then(o.bind(o,533))).dockerEngineVerbs(e));const t=e.fargate;if(!t)throw new v.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const r=s=>({ecsCluster:t.ecsCluster??`<created: ${s.clusterId}>`,executionRoleArn:t.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:t.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:t.subnets??["<default VPC subnets>"],securityGroups:t.securityGroups??[A.rJ.securityGroupId],assignPublicIp:t.assignPublicIp??!t.subnets,tlsSecretArn:s.tls?A.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return f({name:"fargate",validate:s=>{(0,k.q8)(t,s)},plan:s=>(0,A.Kp)(s,(0,k.q8)(t,s),r(s))},async()=>(await Promise.all([o.e(149),o.e(639),o.e(171),o.e(559)]).then(o.bind(o,60559))).fargateEngineVerbs(t,e.clients))}function f(u,e){let t;const r=()=>(t??=e().catch(s=>{throw t=void 0,s}),t);return{name:u.name,validate:u.validate,plan:u.plan,preflight:u.preflight??(async(s,n)=>(await r()).preflight(s,n)),up:async(s,n)=>(await r()).up(s,n),runJob:async(s,n,c)=>(await r()).runJob(s,n,c),watchMembers:async(s,n)=>(await r()).watchMembers(s,n),scale:async(s,n,c)=>(_(s,n),(await r()).scale(s,n,c)),down:async(s,n)=>(await r()).down(s,n),reap:async s=>(await r()).reap(s),logs:async(s,n)=>(await r()).logs(s,n)}}function _(u,e){(0,T.i)({...u.spec,workers:e,allowUnboundedCost:u.spec.allowUnboundedCost??!1})}var b=o(14589);async function D(u,e,t,r){if(t.runsOn==="cluster")return u.runJob(e,t,r);const s=await u.watchMembers(e,r);try{return{...await(0,b.wO)(e,t,r.signal),stoppedMembers:[...s.stopped]}}finally{s.stop()}}const C={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function m(u,e,t,r){const s=C[e],n=(p,h)=>p*s.vcpuHour+h/1024*s.gbHour;return(1+(r.jobTask?1:0))*n(u.schedulerCpu,u.schedulerMemory)+u.workers*n(u.workerCpu,u.workerMemory)+t*C.publicIpv4Hour}const l=(u,e)=>`1 scheduler + ${u.workers} workers${e.jobTask?" + 1 job task":""}`;function a(u,e,t,r,s={}){const n=m(u,e,t,s),c=n*(u.maxLifetime/3600),p=r?" (upper bound: Spot workers priced on demand)":"";return{usd:n,maxLifetimeUsd:c,text:`about $${n.toFixed(2)} per hour${p}; at most $${c.toFixed(2)} before the ${g(u.maxLifetime)} max-lifetime ends it`,method:`${l(u,s)}${t>0?` + ${t} public IPv4 addresses`:""} at ${C.source}`}}function y(u,e,t,r,s,n={}){const c=Math.max(60,Math.ceil(t))/3600,p=m(u,e,r,n)*c,h=`$${p.toFixed(4)}${s?" (upper bound: Spot workers priced on demand)":""}`;return{usd:p,text:h,method:`${l(u,n)} \xD7 ${Math.ceil(t)} s (min. 60 s) at ${C.source}`}}function g(u){const e=u/3600;return Number.isInteger(e)?`${e} h`:`${Math.round(u/60)} min`}var E=o(4353);class w{phases=[];async time(e,t){const r=performance.now();try{return await t()}finally{this.phases.push([e,performance.now()-r])}}toJSON(){return Object.fromEntries(this.phases.map(([e,t])=>[e,Math.round(t)]))}toString(){return this.phases.map(([e,t])=>`${e} ${(t/1e3).toFixed(1)} s`).join(", ")}}var O=o(29641)}),8962:((x,I,o)=>{o.d(I,{M:()=>T,q:()=>k});var i=o(53145),v=o(42628),A=o(89401);function k(d,f,_,b){return{role:"worker",name:A.Dy.worker(d.clusterId,b),command:(0,i.y2)(d,_,`worker-${b}`),cpu:d.workerCpu,memoryMiB:d.workerMemory,environment:d.environment,createdAt:f.createdAt,expiresAt:f.expiresAt}}function T(d,f){const _=`${d.tls?"tls":"tcp"}://${A.Dy.scheduler(d.clusterId)}:${i.Q9}`;return{backend:"docker",clusterId:d.clusterId,network:{name:A.Dy.network(d.clusterId),driver:"bridge",labels:(0,v.EC)(d.clusterId,f.createdAt,f.expiresAt,d.labels)},scheduler:{role:"scheduler",name:A.Dy.scheduler(d.clusterId),command:(0,i.hx)(d),cpu:d.schedulerCpu,memoryMiB:d.schedulerMemory,environment:d.environment,createdAt:f.createdAt,expiresAt:f.expiresAt,publish:!0},workers:Array.from({length:d.workers},(b,D)=>k(d,f,_,D)),schedulerAddress:_,publishedPorts:[i.Q9,i.r2],tls:d.tls}}}),89401:((x,I,o)=>{o.d(I,{Dy:()=>d,Mn:()=>D,aR:()=>_,bi:()=>f,w$:()=>b});var i=o(57075),v=o(36474),A=o(53145),k=o(42628),T=o(84368);const d={network:m=>m,scheduler:m=>`${m}-scheduler`,worker:(m,l)=>`${m}-worker-${l}`,job:(m,l)=>`${m}-job-${l}`};async function f(m,l,a){const y=[`${A.Q9}/tcp`,`${A.r2}/tcp`];return m.createContainer({name:a.name,Image:l.image,Cmd:[...a.command],Env:Object.entries(a.environment).map(([g,E])=>`${g}=${E}`),Labels:(0,k.EC)(l.clusterId,a.createdAt,a.expiresAt,l.labels,a.role),...a.workingDir?{WorkingDir:a.workingDir}:{},...a.publish?{ExposedPorts:Object.fromEntries(y.map(g=>[g,{}]))}:{},HostConfig:{NetworkMode:d.network(l.clusterId),NanoCpus:Math.round(a.cpu*1e9),Memory:a.memoryMiB*1024*1024,MemorySwap:a.memoryMiB*1024*1024,...a.binds?{Binds:[...a.binds]}:{},...a.tmpfs&&Object.keys(a.tmpfs).length>0?{Tmpfs:{...a.tmpfs}}:{},...a.publish?{PortBindings:Object.fromEntries(y.map(g=>[g,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function _(m,l){const a=(0,v.pack)(),y=[];a.on("data",w=>y.push(w));const g=new Promise((w,O)=>{a.on("end",w),a.on("error",O)}),E=A.Qy.replace(/^\/tmp\//,"");a.entry({name:`${E}/`,type:"directory",mode:493}),a.entry({name:`${E}/${A.qJ.ca}`,mode:292},l.ca),a.entry({name:`${E}/${A.qJ.cert}`,mode:292},l.cert),a.entry({name:`${E}/${A.qJ.key}`,mode:292},l.key),a.finalize(),await g,await m.putArchive(Buffer.concat(y),{path:"/tmp"})}async function b(m,l=15){try{const a=await m.logs({stdout:!0,stderr:!0,tail:l}),y=new i.PassThrough,g=[],E=(0,T.S)(y,w=>{w.trimEnd()!==""&&g.push(w.trimEnd())});return await C(m.modem,i.Readable.from([a]),y,y),y.end(),await E,g}catch{return[]}}async function D(m,l,a){const y=new i.PassThrough,g=new i.PassThrough,E=Promise.all([(0,T.S)(y,w=>a(w,"stdout")),(0,T.S)(g,w=>a(w,"stderr"))]);await C(m.modem,l,y,g),y.end(),g.end(),await E}function C(m,l,a,y){return new Promise(g=>{l.on("end",()=>g()),l.on("close",()=>g()),l.on("error",()=>g()),m.demuxStream(l,a,y)})}}),16641:((x,I,o)=>{o.d(I,{D8:()=>f,rJ:()=>b,Dd:()=>D,xS:()=>C,Kp:()=>g,dY:()=>O,zb:()=>u});var i=o(53145),v=o(42628),A=o(31301),k=o(81451);const T=String.raw`
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
`,d=10,f="outputs",_="<attempt token>",b={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function D(e,t){const r=Object.entries(t).flatMap(([n,c])=>c===void 0?[]:[[b[n],c]]),s=n=>typeof n=="string"?r.reduce((c,[p,h])=>c.split(p).join(h),n):Array.isArray(n)?n.map(s):n&&typeof n=="object"?Object.fromEntries(Object.entries(n).map(([c,p])=>[c,s(p)])):n;return s(e)}function C(e,t,r){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:t,expiresAt:r}}function m(e){return Object.entries(e).map(([t,r])=>({key:t,value:r}))}function l(e){return Object.entries(e).map(([t,r])=>({Key:t,Value:r}))}const a=["umask 077",`mkdir -p ${i.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${i.Qy}/${i.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${i.Qy}/${i.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${i.Qy}/${i.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function y(e,t){return e.tls?["sh","-c",a,"sh",...t]:[...t]}function g(e,t,r){const s=(0,v.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),n=k.P.logGroup(e.clusterId),c=[...t.clientCidr?[t.clientCidr]:[],...t.allowPublicIngress?["0.0.0.0/0"]:[]],p=h=>{const P=h==="worker"?t.workerSize:t.schedulerSize,S=h==="job"&&t.outputUri?(0,A.V6)(t.outputUri):void 0,R=h==="scheduler"?(0,i.hx)(e):h==="worker"?(0,i.y2)(e,"scheduler-address-set-per-run"):(0,i.pi)(e,{uploadOutputs:S!==void 0}),$=[...Object.entries(t.secrets).map(([U,F])=>({name:U,valueFrom:F})),...r.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${r.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${r.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${r.tlsSecretArn}:key::`}]:[],...r.tlsSecretArn&&S?[{name:"DFA_OUTPUT_KEY",valueFrom:`${r.tlsSecretArn}:${f}::`}]:[]];return{family:k.P.family(e.clusterId,h),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(P.cpu),memory:String(P.memory),runtimePlatform:{cpuArchitecture:t.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,...t.ephemeralStorage?{ephemeralStorage:{sizeInGiB:t.ephemeralStorage}}:{},containerDefinitions:[{name:k.P.container,image:e.image,essential:!0,memory:P.memory,command:y(e,R),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(e.environment).map(([U,F])=>({name:U,value:F})),...S?[{name:"DFA_UPLOAD_OUTPUTS",value:T},{name:"DFA_OUTPUT_BUCKET",value:S.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,A.Pr)(S,e.clusterId,r.outputToken??_)},{name:"DFA_OUTPUT_CLUSTER",value:e.clusterId},{name:"DFA_OUTPUT_TOKEN",value:r.outputToken??_}]:[]],...$.length>0?{secrets:$}:{},...h==="scheduler"?{portMappings:[i.Q9,i.r2].map(U=>({containerPort:U,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":n,"awslogs-region":t.region,"awslogs-stream-prefix":h}}}],tags:m({...s,"io.dask-fargate-action.role":h})}};return{backend:"fargate",clusterId:e.clusterId,region:t.region,createCluster:t.ecsCluster?void 0:{clusterName:k.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:m(s),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:n,retentionInDays:t.logRetentionDays,tags:s},securityGroup:t.securityGroups?void 0:{name:k.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:r.vpcId??"<the subnets' VPC>",clientCidrs:c,clientPorts:{from:i.Q9,to:t.openDashboard?i.r2:i.Q9},tags:l({...s,Name:k.P.securityGroup(e.clusterId)}),ingress:E(b.securityGroupId,c,{from:i.Q9,to:t.openDashboard?i.r2:i.Q9})},tlsSecret:e.tls?{name:k.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:l(s)}:void 0,taskDefinitions:{scheduler:p("scheduler"),worker:p("worker"),job:p("job")},schedulerRun:O(e,t,r,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),workerRuns:u(e,t,r,b.schedulerAddress,0,e.workers,t.spotWorkers),workerFallback:t.spotWorkers?"on-demand":"none",tags:s}}function E(e,t,r){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...t.length>0?[{IpProtocol:"tcp",FromPort:r.from,ToPort:r.to,IpRanges:t.map(s=>({CidrIp:s,Description:r.to>r.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function w(e){const t=(h,P)=>(S,R)=>({operation:S,input:R,stage:h,lane:P}),r=t(1,"ecs cluster"),s=t(1,"log group"),n=t(1,"security group"),c=t(1,"secret and task definitions"),p=t(3,"workers");return[...e.createCluster?[r("ecs:CreateCluster",e.createCluster)]:[],s("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),s("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[n("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),n("ec2:AuthorizeSecurityGroupIngress",{GroupId:b.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[c("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(h=>c("ecs:RegisterTaskDefinition",e.taskDefinitions[h])),t(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(h=>p("ecs:RunTask",h))]}function O(e,t,r,s,n,c,p,h,P={}){const S=Object.entries(P).map(([R,$])=>({name:R,value:$}));return{cluster:r.ecsCluster,taskDefinition:k.P.family(e.clusterId,s),count:n,clientToken:c,startedBy:e.clusterId,...h?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:t.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...r.subnets],securityGroups:[...r.securityGroups],assignPublicIp:r.assignPublicIp?"ENABLED":"DISABLED"}},...p||S.length>0?{overrides:{containerOverrides:[{name:k.P.container,...p?{command:y(e,p)}:{},...S.length>0?{environment:S}:{}}]}}:{},tags:m({...(0,v.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),"io.dask-fargate-action.role":s}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function u(e,t,r,s,n,c,p){const h=[];for(let P=n;P<n+c;P+=d){const S=Math.min(d,n+c-P),R=(0,i.y2)(e,s);h.push(O(e,t,r,"worker",S,`${e.clusterId}-w${P}-${S}${p?"-spot":""}`,R,p))}return h}}),4353:((x,I,o)=>{o.d(I,{q:()=>i});const i={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((x,I,o)=>{o.d(I,{R:()=>v});var i=o(37067);function v(A,k=5e3){return new Promise(T=>{const d=(0,i.get)(`${A.replace(/\/$/,"")}/json/identity.json`,{timeout:k},f=>{let _="";f.setEncoding("utf8"),f.on("data",b=>{_+=b}),f.on("end",()=>{if(f.statusCode!==200)return T(void 0);try{const b=JSON.parse(_);T(Object.keys(b.workers??{}).length)}catch{T(void 0)}}),f.on("error",()=>T(void 0))});d.on("timeout",()=>d.destroy()),d.on("error",()=>T(void 0))})}})};export{M as id,j as ids,L as modules};
