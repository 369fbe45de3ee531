const L=608,N=[608],G={608:((x,P,n)=>{n.r(P),n.d(P,{FARGATE_PRICES:()=>R,PhaseTimer:()=>w,countWorkers:()=>$.R,createBackend:()=>d,estimateFargateCost:()=>A,hourlyFargateCost:()=>o,runClusterJob:()=>v,silentLogger:()=>S.q});var a=n(8962),D=n(88246),y=n(16641),b=n(93866),T=n(86935);function d(i,l={}){if(i==="docker")return f({name:"docker",validate:()=>{},plan:t=>(0,a.M)(t,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([n.e(292),n.e(639),n.e(533)]).then(n.bind(n,533))).dockerEngineVerbs(l));const e=l.fargate;if(!e)throw new D.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const r=t=>({ecsCluster:e.ecsCluster??`<created: ${t.clusterId}>`,executionRoleArn:e.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:e.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:e.subnets??["<default VPC subnets>"],securityGroups:e.securityGroups??[y.rJ.securityGroupId],assignPublicIp:e.assignPublicIp??!e.subnets,tlsSecretArn:t.tls?y.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return f({name:"fargate",validate:t=>{(0,b.q8)(e,t)},plan:t=>(0,y.Kp)(t,(0,b.q8)(e,t),r(t))},async()=>(await Promise.all([n.e(149),n.e(639),n.e(171),n.e(879)]).then(n.bind(n,22879))).fargateEngineVerbs(e,l.clients))}function f(i,l){let e;const r=()=>(e??=l().catch(t=>{throw e=void 0,t}),e);return{name:i.name,validate:i.validate,plan:i.plan,preflight:i.preflight??(async(t,s)=>(await r()).preflight(t,s)),up:async(t,s)=>(await r()).up(t,s),runJob:async(t,s,u)=>(await r()).runJob(t,s,u),watchMembers:async(t,s)=>(await r()).watchMembers(t,s),scale:async(t,s,u)=>(_(t,s),(await r()).scale(t,s,u)),down:async(t,s)=>(await r()).down(t,s),reap:async t=>(await r()).reap(t),logs:async(t,s)=>(await r()).logs(t,s)}}function _(i,l){(0,T.i)({...i.spec,workers:l,allowUnboundedCost:i.spec.allowUnboundedCost??!1})}var E=n(14589);async function v(i,l,e,r){if(e.runsOn==="cluster")return i.runJob(l,e,r);const t=await i.watchMembers(l,r);try{return{...await(0,E.wO)(l,e,r.signal),stoppedMembers:[...t.stopped]}}finally{t.stop()}}const R={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function h(i,l,e,r){const t=R[l],s=(m,k)=>m*t.vcpuHour+k/1024*t.gbHour;return(1+(r.jobTask?1:0))*s(i.schedulerCpu,i.schedulerMemory)+i.workers*s(i.workerCpu,i.workerMemory)+e*R.publicIpv4Hour}const c=(i,l)=>`1 scheduler + ${i.workers} workers${l.jobTask?" + 1 job task":""}`;function o(i,l,e,r,t={}){const s=h(i,l,e,t),u=s*(i.maxLifetime/3600),m=r?" (upper bound: Spot workers priced on demand)":"";return{usd:s,maxLifetimeUsd:u,text:`about $${s.toFixed(2)} per hour${m}; at most $${u.toFixed(2)} before the ${p(i.maxLifetime)} max-lifetime ends it`,method:`${c(i,t)}${e>0?` + ${e} public IPv4 addresses`:""} at ${R.source}`}}function A(i,l,e,r,t,s={}){const u=Math.max(60,Math.ceil(e))/3600,m=h(i,l,r,s)*u,k=`$${m.toFixed(4)}${t?" (upper bound: Spot workers priced on demand)":""}`;return{usd:m,text:k,method:`${c(i,s)} \xD7 ${Math.ceil(e)} s (min. 60 s) at ${R.source}`}}function p(i){const l=i/3600;return Number.isInteger(l)?`${l} h`:`${Math.round(i/60)} min`}var S=n(4353);class w{phases=[];async time(l,e){const r=performance.now();try{return await e()}finally{this.phases.push([l,performance.now()-r])}}toJSON(){return Object.fromEntries(this.phases.map(([l,e])=>[l,Math.round(e)]))}toString(){return this.phases.map(([l,e])=>`${l} ${(e/1e3).toFixed(1)} s`).join(", ")}}var $=n(29641)}),8962:((x,P,n)=>{n.d(P,{M:()=>T,q:()=>b});var a=n(53145),D=n(42628),y=n(89401);function b(d,f,_,E){return{role:"worker",name:y.Dy.worker(d.clusterId,E),command:(0,a.y2)(d,_,`worker-${E}`),cpu:d.workerCpu,memoryMiB:d.workerMemory,environment:d.environment,createdAt:f.createdAt,expiresAt:f.expiresAt}}function T(d,f){const _=`${d.tls?"tls":"tcp"}://${y.Dy.scheduler(d.clusterId)}:${a.Q9}`;return{backend:"docker",clusterId:d.clusterId,network:{name:y.Dy.network(d.clusterId),driver:"bridge",labels:(0,D.EC)(d.clusterId,f.createdAt,f.expiresAt,d.labels)},scheduler:{role:"scheduler",name:y.Dy.scheduler(d.clusterId),command:(0,a.hx)(d),cpu:d.schedulerCpu,memoryMiB:d.schedulerMemory,environment:d.environment,createdAt:f.createdAt,expiresAt:f.expiresAt,publish:!0},workers:Array.from({length:d.workers},(E,v)=>b(d,f,_,v)),schedulerAddress:_,publishedPorts:[a.Q9,a.r2],tls:d.tls}}}),89401:((x,P,n)=>{n.d(P,{Dy:()=>d,Mn:()=>v,aR:()=>_,bi:()=>f,w$:()=>E});var a=n(57075),D=n(36474),y=n(53145),b=n(42628),T=n(84368);const d={network:h=>h,scheduler:h=>`${h}-scheduler`,worker:(h,c)=>`${h}-worker-${c}`,job:(h,c)=>`${h}-job-${c}`};async function f(h,c,o){const A=[`${y.Q9}/tcp`,`${y.r2}/tcp`];return h.createContainer({name:o.name,Image:c.image,Cmd:[...o.command],Env:Object.entries(o.environment).map(([p,S])=>`${p}=${S}`),Labels:(0,b.EC)(c.clusterId,o.createdAt,o.expiresAt,c.labels,o.role),...o.workingDir?{WorkingDir:o.workingDir}:{},...o.publish?{ExposedPorts:Object.fromEntries(A.map(p=>[p,{}]))}:{},HostConfig:{NetworkMode:d.network(c.clusterId),NanoCpus:Math.round(o.cpu*1e9),Memory:o.memoryMiB*1024*1024,MemorySwap:o.memoryMiB*1024*1024,...o.binds?{Binds:[...o.binds]}:{},...o.tmpfs&&Object.keys(o.tmpfs).length>0?{Tmpfs:{...o.tmpfs}}:{},...o.publish?{PortBindings:Object.fromEntries(A.map(p=>[p,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function _(h,c){const o=(0,D.pack)(),A=[];o.on("data",w=>A.push(w));const p=new Promise((w,$)=>{o.on("end",w),o.on("error",$)}),S=y.Qy.replace(/^\/tmp\//,"");o.entry({name:`${S}/`,type:"directory",mode:493}),o.entry({name:`${S}/${y.qJ.ca}`,mode:292},c.ca),o.entry({name:`${S}/${y.qJ.cert}`,mode:292},c.cert),o.entry({name:`${S}/${y.qJ.key}`,mode:292},c.key),o.finalize(),await p,await h.putArchive(Buffer.concat(A),{path:"/tmp"})}async function E(h,c=15){try{const o=await h.logs({stdout:!0,stderr:!0,tail:c}),A=new a.PassThrough,p=[],S=(0,T.S)(A,w=>{w.trimEnd()!==""&&p.push(w.trimEnd())});return await R(h.modem,a.Readable.from([o]),A,A),A.end(),await S,p}catch{return[]}}async function v(h,c,o){const A=new a.PassThrough,p=new a.PassThrough,S=Promise.all([(0,T.S)(A,w=>o(w,"stdout")),(0,T.S)(p,w=>o(w,"stderr"))]);await R(h.modem,c,A,p),A.end(),p.end(),await S}function R(h,c,o,A){return new Promise(p=>{c.on("end",()=>p()),c.on("close",()=>p()),c.on("error",()=>p()),h.demuxStream(c,o,A)})}}),16641:((x,P,n)=>{n.d(P,{D8:()=>_,rJ:()=>v,vZ:()=>f,Dd:()=>R,xS:()=>h,Kp:()=>S,dY:()=>i,zb:()=>l});var a=n(53145),D=n(42628),y=n(31301),b=n(81451);const T=String.raw`
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
`,d=10,f="scheduler",_="outputs",E="<attempt token>",v={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function R(e,r){const t=Object.entries(r).flatMap(([u,m])=>m===void 0?[]:[[v[u],m]]),s=u=>typeof u=="string"?t.reduce((m,[k,g])=>m.split(k).join(g),u):Array.isArray(u)?u.map(s):u&&typeof u=="object"?Object.fromEntries(Object.entries(u).map(([m,k])=>[m,s(k)])):u;return s(e)}function h(e,r,t){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:r,expiresAt:t}}function c(e){return Object.entries(e).map(([r,t])=>({key:r,value:t}))}function o(e){return Object.entries(e).map(([r,t])=>({Key:r,Value:t}))}const A=["umask 077",`mkdir -p ${a.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${a.Qy}/${a.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${a.Qy}/${a.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${a.Qy}/${a.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function p(e,r){return e.tls?["sh","-c",A,"sh",...r]:[...r]}function S(e,r,t){const s=(0,D.EC)(e.clusterId,t.createdAt,t.expiresAt,e.labels),u=b.P.logGroup(e.clusterId),m=[...r.clientCidr?[r.clientCidr]:[],...r.allowPublicIngress?["0.0.0.0/0"]:[]],k=g=>{const C=g==="worker"?r.workerSize:r.schedulerSize,I=g==="job"&&r.outputUri?(0,y.V6)(r.outputUri):void 0,O=t.tlsSecretArn!==void 0,F=g==="scheduler"?(0,a.hx)(e):g==="worker"?(0,a.y2)(e,O?void 0:"scheduler-address-set-per-run"):(0,a.pi)(e,{uploadOutputs:I!==void 0}),j=[...Object.entries(r.secrets).map(([U,M])=>({name:U,valueFrom:M})),...t.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${t.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${t.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${t.tlsSecretArn}:key::`}]:[],...t.tlsSecretArn&&g==="worker"?[{name:"DASK_SCHEDULER_ADDRESS",valueFrom:`${t.tlsSecretArn}:${f}::`}]:[],...t.tlsSecretArn&&I?[{name:"DFA_OUTPUT_KEY",valueFrom:`${t.tlsSecretArn}:${_}::`}]:[]];return{family:b.P.family(e.clusterId,g),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(C.cpu),memory:String(C.memory),runtimePlatform:{cpuArchitecture:r.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:t.executionRoleArn,taskRoleArn:t.taskRoleArn,...r.ephemeralStorage?{ephemeralStorage:{sizeInGiB:r.ephemeralStorage}}:{},containerDefinitions:[{name:b.P.container,image:e.image,essential:!0,memory:C.memory,command:p(e,F),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(e.environment).map(([U,M])=>({name:U,value:M})),...I?[{name:"DFA_UPLOAD_OUTPUTS",value:T},{name:"DFA_OUTPUT_BUCKET",value:I.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,y.Pr)(I,e.clusterId,t.outputToken??E)},{name:"DFA_OUTPUT_CLUSTER",value:e.clusterId},{name:"DFA_OUTPUT_TOKEN",value:t.outputToken??E}]:[]],...j.length>0?{secrets:j}:{},...g==="scheduler"?{portMappings:[a.Q9,a.r2].map(U=>({containerPort:U,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":u,"awslogs-region":r.region,"awslogs-stream-prefix":g}}}],tags:c({...s,"io.dask-fargate-action.role":g})}};return{backend:"fargate",clusterId:e.clusterId,region:r.region,createCluster:r.ecsCluster?void 0:{clusterName:b.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:c(s),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:u,retentionInDays:r.logRetentionDays,tags:s},securityGroup:r.securityGroups?void 0:{name:b.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:t.vpcId??"<the subnets' VPC>",clientCidrs:m,clientPorts:{from:a.Q9,to:r.openDashboard?a.r2:a.Q9},tags:o({...s,Name:b.P.securityGroup(e.clusterId)}),ingress:w(v.securityGroupId,m,{from:a.Q9,to:r.openDashboard?a.r2:a.Q9})},tlsSecret:e.tls?{name:b.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:o(s)}:void 0,taskDefinitions:{scheduler:k("scheduler"),worker:k("worker"),job:k("job")},schedulerRun:i(e,r,t,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),schedulerAddressIn:t.tlsSecretArn!==void 0?"secret":"worker-overrides",workerRuns:l(e,r,t,v.schedulerAddress,0,e.workers,r.spotWorkers),workerFallback:r.spotWorkers?"on-demand":"none",tags:s}}function w(e,r,t){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...r.length>0?[{IpProtocol:"tcp",FromPort:t.from,ToPort:t.to,IpRanges:r.map(s=>({CidrIp:s,Description:t.to>t.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function $(e){const r=(g,C)=>(I,O)=>({operation:I,input:O,stage:g,lane:C}),t=r(1,"ecs cluster"),s=r(1,"log group"),u=r(1,"security group"),m=r(1,"secret and task definitions"),k=r(3,"workers");return[...e.createCluster?[t("ecs:CreateCluster",e.createCluster)]:[],s("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),s("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[u("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),u("ec2:AuthorizeSecurityGroupIngress",{GroupId:v.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[m("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(g=>m("ecs:RegisterTaskDefinition",e.taskDefinitions[g])),r(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(g=>k("ecs:RunTask",g)),...e.schedulerAddressIn==="secret"?[r(3,"scheduler address")("secretsmanager:PutSecretValue",{SecretId:v.tlsSecretArn})]:[]]}function i(e,r,t,s,u,m,k,g,C={}){const I=Object.entries(C).map(([O,F])=>({name:O,value:F}));return{cluster:t.ecsCluster,taskDefinition:b.P.family(e.clusterId,s),count:u,clientToken:m,startedBy:e.clusterId,...g?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:r.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...t.subnets],securityGroups:[...t.securityGroups],assignPublicIp:t.assignPublicIp?"ENABLED":"DISABLED"}},...k||I.length>0?{overrides:{containerOverrides:[{name:b.P.container,...k?{command:p(e,k)}:{},...I.length>0?{environment:I}:{}}]}}:{},tags:c({...(0,D.EC)(e.clusterId,t.createdAt,t.expiresAt,e.labels),"io.dask-fargate-action.role":s}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function l(e,r,t,s,u,m,k){const g=[];for(let C=u;C<u+m;C+=d){const I=Math.min(d,u+m-C),O=t.tlsSecretArn!==void 0?void 0:(0,a.y2)(e,s);g.push(i(e,r,t,"worker",I,`${e.clusterId}-w${C}-${I}${k?"-spot":""}`,O,k))}return g}}),4353:((x,P,n)=>{n.d(P,{q:()=>a});const a={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((x,P,n)=>{n.d(P,{R:()=>D});var a=n(37067);function D(y,b=5e3){return new Promise(T=>{const d=(0,a.get)(`${y.replace(/\/$/,"")}/json/identity.json`,{timeout:b},f=>{let _="";f.setEncoding("utf8"),f.on("data",E=>{_+=E}),f.on("end",()=>{if(f.statusCode!==200)return T(void 0);try{const E=JSON.parse(_);T(Object.keys(E.workers??{}).length)}catch{T(void 0)}}),f.on("error",()=>T(void 0))});d.on("timeout",()=>d.destroy()),d.on("error",()=>T(void 0))})}})};export{L as id,N as ids,G as modules};
