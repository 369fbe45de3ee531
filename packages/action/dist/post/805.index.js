const M=805,j=[805],L={41805:((O,I,d)=>{d.r(I),d.d(I,{FARGATE_PRICES:()=>C,PhaseTimer:()=>S,countWorkers:()=>D.R,createBackend:()=>l,estimateFargateCost:()=>y,hourlyFargateCost:()=>u,parseRegistrations:()=>t,runClusterJob:()=>R,silentLogger:()=>w.q,withRegistrations:()=>i});var c=d(8962),v=d(88246),b=d(16641),A=d(93866),_=d(86935);function l(e,o={}){if(e==="docker")return p({name:"docker",validate:()=>{},plan:s=>(0,c.M)(s,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([d.e(292),d.e(639),d.e(997)]).then(d.bind(d,46997))).dockerEngineVerbs(o));const r=o.fargate;if(!r)throw new v.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const n=s=>({ecsCluster:r.ecsCluster??`<created: ${s.clusterId}>`,executionRoleArn:r.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:r.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:r.subnets??["<default VPC subnets>"],securityGroups:r.securityGroups??[b.rJ.securityGroupId],assignPublicIp:r.assignPublicIp??!r.subnets,tlsSecretArn:s.tls?b.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return p({name:"fargate",validate:s=>{(0,A.q8)(r,s)},plan:s=>(0,b.Kp)(s,(0,A.q8)(r,s),n(s))},async()=>(await Promise.all([d.e(149),d.e(639),d.e(171),d.e(105)]).then(d.bind(d,45105))).fargateEngineVerbs(r,o.clients))}function p(e,o){let r;const n=()=>(r??=o().catch(s=>{throw r=void 0,s}),r);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(s,a)=>(await n()).preflight(s,a)),up:async(s,a)=>(await n()).up(s,a),runJob:async(s,a,g)=>(await n()).runJob(s,a,g),watchMembers:async(s,a)=>(await n()).watchMembers(s,a),scale:async(s,a,g)=>(E(s,a),(await n()).scale(s,a,g)),down:async(s,a)=>(await n()).down(s,a),reap:async s=>(await n()).reap(s),logs:async(s,a)=>(await n()).logs(s,a)}}function E(e,o){(0,_.i)({...e.spec,workers:o,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var T=d(14589);async function R(e,o,r,n){if(r.runsOn==="cluster")return e.runJob(o,r,n);const s=await e.watchMembers(o,n);try{return{...await(0,T.wO)(o,r,n.signal),stoppedMembers:[...s.stopped]}}finally{s.stop()}}const C={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function h(e,o,r,n){const s=C[o],a=(k,P)=>k*s.vcpuHour+P/1024*s.gbHour;return(1+(n.jobTask?1:0))*a(e.schedulerCpu,e.schedulerMemory)+e.workers*a(e.workerCpu,e.workerMemory)+r*C.publicIpv4Hour}const m=(e,o)=>`1 scheduler + ${e.workers} workers${o.jobTask?" + 1 job task":""}`;function u(e,o,r,n,s={}){const a=h(e,o,r,s),g=a*(e.maxLifetime/3600),k=n?" (upper bound: Spot workers priced on demand)":"";return{usd:a,maxLifetimeUsd:g,text:`about $${a.toFixed(2)} per hour${k}; at most $${g.toFixed(2)} before the ${f(e.maxLifetime)} max-lifetime ends it`,method:`${m(e,s)}${r>0?` + ${r} public IPv4 addresses`:""} at ${C.source}`}}function y(e,o,r,n,s,a={}){const g=Math.max(60,Math.ceil(r))/3600,k=h(e,o,n,a)*g,P=`$${k.toFixed(4)}${s?" (upper bound: Spot workers priced on demand)":""}`;return{usd:k,text:P,method:`${m(e,a)} \xD7 ${Math.ceil(r)} s (min. 60 s) at ${C.source}`}}function f(e){const o=e/3600;return Number.isInteger(o)?`${o} h`:`${Math.round(e/60)} min`}var w=d(4353);class S{phases=[];async time(o,r){const n=performance.now();try{return await r()}finally{this.phases.push([o,performance.now()-n])}}toJSON(){return Object.fromEntries(this.phases.map(([o,r])=>[o,Math.round(r)]))}toString(){return this.phases.map(([o,r])=>`${o} ${(r/1e3).toFixed(1)} s`).join(", ")}}var D=d(29641);const U=/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;function t(e){const o=[];for(const r of e){const n=U.exec(r.trim());if(!n)continue;const s=Date.parse(`${n[1]?.replace(" ","T")}.${n[2]}Z`);Number.isNaN(s)||o.push({address:n[3]??"",worker:(n[4]??n[3]??"").trim(),at:s})}return o}function i(e,o){const r=new Map;for(const n of o){const s=n.address.replace(/^[a-z]+:\/\//,"").replace(/:\d+$/,"");for(const a of[n.worker,s])(!r.has(a)||(r.get(a)??0)>n.at)&&r.set(a,n.at)}return{...e,members:e.members.map(n=>{if(n.role!=="worker")return n;const s=r.get(n.member)??(n.address?r.get(n.address):void 0);return s===void 0?n:{...n,registeredAt:s}})}}}),8962:((O,I,d)=>{d.d(I,{M:()=>_,q:()=>A});var c=d(53145),v=d(42628),b=d(89401);function A(l,p,E,T){return{role:"worker",name:b.Dy.worker(l.clusterId,T),command:(0,c.y2)(l,E,`worker-${T}`),cpu:l.workerCpu,memoryMiB:l.workerMemory,environment:l.environment,createdAt:p.createdAt,expiresAt:p.expiresAt}}function _(l,p){const E=`${l.tls?"tls":"tcp"}://${b.Dy.scheduler(l.clusterId)}:${c.Q9}`;return{backend:"docker",clusterId:l.clusterId,network:{name:b.Dy.network(l.clusterId),driver:"bridge",labels:(0,v.EC)(l.clusterId,p.createdAt,p.expiresAt,l.labels)},scheduler:{role:"scheduler",name:b.Dy.scheduler(l.clusterId),command:(0,c.hx)(l),cpu:l.schedulerCpu,memoryMiB:l.schedulerMemory,environment:l.environment,createdAt:p.createdAt,expiresAt:p.expiresAt,publish:!0},workers:Array.from({length:l.workers},(T,R)=>A(l,p,E,R)),schedulerAddress:E,publishedPorts:[c.Q9,c.r2],tls:l.tls}}}),89401:((O,I,d)=>{d.d(I,{Dy:()=>l,Mn:()=>R,aR:()=>E,bi:()=>p,w$:()=>T});var c=d(57075),v=d(36474),b=d(53145),A=d(42628),_=d(84368);const l={network:h=>h,scheduler:h=>`${h}-scheduler`,worker:(h,m)=>`${h}-worker-${m}`,job:(h,m)=>`${h}-job-${m}`};async function p(h,m,u){const y=[`${b.Q9}/tcp`,`${b.r2}/tcp`];return h.createContainer({name:u.name,Image:m.image,Cmd:[...u.command],Env:Object.entries(u.environment).map(([f,w])=>`${f}=${w}`),Labels:(0,A.EC)(m.clusterId,u.createdAt,u.expiresAt,m.labels,u.role),...u.workingDir?{WorkingDir:u.workingDir}:{},...u.publish?{ExposedPorts:Object.fromEntries(y.map(f=>[f,{}]))}:{},HostConfig:{NetworkMode:l.network(m.clusterId),NanoCpus:Math.round(u.cpu*1e9),Memory:u.memoryMiB*1024*1024,MemorySwap:u.memoryMiB*1024*1024,...u.binds?{Binds:[...u.binds]}:{},...u.tmpfs&&Object.keys(u.tmpfs).length>0?{Tmpfs:{...u.tmpfs}}:{},...u.publish?{PortBindings:Object.fromEntries(y.map(f=>[f,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function E(h,m){const u=(0,v.pack)(),y=[];u.on("data",S=>y.push(S));const f=new Promise((S,D)=>{u.on("end",S),u.on("error",D)}),w=b.Qy.replace(/^\/tmp\//,"");u.entry({name:`${w}/`,type:"directory",mode:493}),u.entry({name:`${w}/${b.qJ.ca}`,mode:292},m.ca),u.entry({name:`${w}/${b.qJ.cert}`,mode:292},m.cert),u.entry({name:`${w}/${b.qJ.key}`,mode:292},m.key),u.finalize(),await f,await h.putArchive(Buffer.concat(y),{path:"/tmp"})}async function T(h,m=15){try{const u=await h.logs({stdout:!0,stderr:!0,tail:m}),y=new c.PassThrough,f=[],w=(0,_.S)(y,S=>{S.trimEnd()!==""&&f.push(S.trimEnd())});return await C(h.modem,c.Readable.from([u]),y,y),y.end(),await w,f}catch{return[]}}async function R(h,m,u){const y=new c.PassThrough,f=new c.PassThrough,w=Promise.all([(0,_.S)(y,S=>u(S,"stdout")),(0,_.S)(f,S=>u(S,"stderr"))]);await C(h.modem,m,y,f),y.end(),f.end(),await w}function C(h,m,u,y){return new Promise(f=>{m.on("end",()=>f()),m.on("close",()=>f()),m.on("error",()=>f()),h.demuxStream(m,u,y)})}}),16641:((O,I,d)=>{d.d(I,{D8:()=>p,rJ:()=>T,Dd:()=>R,xS:()=>C,Kp:()=>f,dY:()=>D,zb:()=>U});var c=d(53145),v=d(42628),b=d(31301),A=d(81451);const _=String.raw`
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
`,l=10,p="outputs",E="<attempt token>",T={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function R(t,i){const e=Object.entries(i).flatMap(([r,n])=>n===void 0?[]:[[T[r],n]]),o=r=>typeof r=="string"?e.reduce((n,[s,a])=>n.split(s).join(a),r):Array.isArray(r)?r.map(o):r&&typeof r=="object"?Object.fromEntries(Object.entries(r).map(([n,s])=>[n,o(s)])):r;return o(t)}function C(t,i,e){return{ecsCluster:t.ecsCluster,executionRoleArn:t.executionRoleArn,taskRoleArn:t.taskRoleArn,subnets:t.subnets,securityGroups:t.securityGroups,assignPublicIp:t.assignPublicIp,tlsSecretArn:t.tlsSecretArn,createdAt:i,expiresAt:e}}function h(t){return Object.entries(t).map(([i,e])=>({key:i,value:e}))}function m(t){return Object.entries(t).map(([i,e])=>({Key:i,Value:e}))}const u=["umask 077",`mkdir -p ${c.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${c.Qy}/${c.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${c.Qy}/${c.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${c.Qy}/${c.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function y(t,i){return t.tls?["sh","-c",u,"sh",...i]:[...i]}function f(t,i,e){const o=(0,v.EC)(t.clusterId,e.createdAt,e.expiresAt,t.labels),r=A.P.logGroup(t.clusterId),n=[...i.clientCidr?[i.clientCidr]:[],...i.allowPublicIngress?["0.0.0.0/0"]:[]],s=a=>{const g=a==="worker"?i.workerSize:i.schedulerSize,k=a==="job"&&i.outputUri?(0,b.V6)(i.outputUri):void 0,P=a==="scheduler"?(0,c.hx)(t):a==="worker"?(0,c.y2)(t,"scheduler-address-set-per-run"):(0,c.pi)(t,{uploadOutputs:k!==void 0}),$=[...Object.entries(i.secrets).map(([x,F])=>({name:x,valueFrom:F})),...e.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${e.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${e.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${e.tlsSecretArn}:key::`}]:[],...e.tlsSecretArn&&k?[{name:"DFA_OUTPUT_KEY",valueFrom:`${e.tlsSecretArn}:${p}::`}]:[]];return{family:A.P.family(t.clusterId,a),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(g.cpu),memory:String(g.memory),runtimePlatform:{cpuArchitecture:i.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,...i.ephemeralStorage?{ephemeralStorage:{sizeInGiB:i.ephemeralStorage}}:{},containerDefinitions:[{name:A.P.container,image:t.image,essential:!0,memory:g.memory,command:y(t,P),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(t.environment).map(([x,F])=>({name:x,value:F})),...k?[{name:"DFA_UPLOAD_OUTPUTS",value:_},{name:"DFA_OUTPUT_BUCKET",value:k.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,b.Pr)(k,t.clusterId,e.outputToken??E)},{name:"DFA_OUTPUT_CLUSTER",value:t.clusterId},{name:"DFA_OUTPUT_TOKEN",value:e.outputToken??E}]:[]],...$.length>0?{secrets:$}:{},...a==="scheduler"?{portMappings:[c.Q9,c.r2].map(x=>({containerPort:x,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":r,"awslogs-region":i.region,"awslogs-stream-prefix":a}}}],tags:h({...o,"io.dask-fargate-action.role":a})}};return{backend:"fargate",clusterId:t.clusterId,region:i.region,createCluster:i.ecsCluster?void 0:{clusterName:A.P.ecsCluster(t.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:h(o),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:r,retentionInDays:i.logRetentionDays,tags:o},securityGroup:i.securityGroups?void 0:{name:A.P.securityGroup(t.clusterId),description:`dask-fargate-action cluster ${t.clusterId}: members reach each other on all TCP ports`,vpcId:e.vpcId??"<the subnets' VPC>",clientCidrs:n,clientPorts:{from:c.Q9,to:i.openDashboard?c.r2:c.Q9},tags:m({...o,Name:A.P.securityGroup(t.clusterId)}),ingress:w(T.securityGroupId,n,{from:c.Q9,to:i.openDashboard?c.r2:c.Q9})},tlsSecret:t.tls?{name:A.P.tlsSecret(t.clusterId),description:`dask-fargate-action: TLS files of cluster ${t.clusterId}; deleted with the cluster`,tags:m(o)}:void 0,taskDefinitions:{scheduler:s("scheduler"),worker:s("worker"),job:s("job")},schedulerRun:D(t,i,e,"scheduler",1,`${t.clusterId}-scheduler`,void 0,!1),workerRuns:U(t,i,e,T.schedulerAddress,0,t.workers,i.spotWorkers),workerFallback:i.spotWorkers?"on-demand":"none",tags:o}}function w(t,i,e){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:t,Description:"cluster members: Dask and XGBoost"}]},...i.length>0?[{IpProtocol:"tcp",FromPort:e.from,ToPort:e.to,IpRanges:i.map(o=>({CidrIp:o,Description:e.to>e.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function S(t){const i=(a,g)=>(k,P)=>({operation:k,input:P,stage:a,lane:g}),e=i(1,"ecs cluster"),o=i(1,"log group"),r=i(1,"security group"),n=i(1,"secret and task definitions"),s=i(3,"workers");return[...t.createCluster?[e("ecs:CreateCluster",t.createCluster)]:[],o("logs:CreateLogGroup",{logGroupName:t.logGroup.name,tags:t.logGroup.tags}),o("logs:PutRetentionPolicy",{logGroupName:t.logGroup.name,retentionInDays:t.logGroup.retentionInDays}),...t.securityGroup?[r("ec2:CreateSecurityGroup",{GroupName:t.securityGroup.name,Description:t.securityGroup.description,VpcId:t.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:t.securityGroup.tags}]}),r("ec2:AuthorizeSecurityGroupIngress",{GroupId:T.securityGroupId,IpPermissions:t.securityGroup.ingress})]:[],...t.tlsSecret?[n("secretsmanager:CreateSecret",{Name:t.tlsSecret.name,Description:t.tlsSecret.description,Tags:t.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(a=>n("ecs:RegisterTaskDefinition",t.taskDefinitions[a])),i(2,"scheduler")("ecs:RunTask",t.schedulerRun),...t.workerRuns.map(a=>s("ecs:RunTask",a))]}function D(t,i,e,o,r,n,s,a,g={}){const k=Object.entries(g).map(([P,$])=>({name:P,value:$}));return{cluster:e.ecsCluster,taskDefinition:A.P.family(t.clusterId,o),count:r,clientToken:n,startedBy:t.clusterId,...a?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:i.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...e.subnets],securityGroups:[...e.securityGroups],assignPublicIp:e.assignPublicIp?"ENABLED":"DISABLED"}},...s||k.length>0?{overrides:{containerOverrides:[{name:A.P.container,...s?{command:y(t,s)}:{},...k.length>0?{environment:k}:{}}]}}:{},tags:h({...(0,v.EC)(t.clusterId,e.createdAt,e.expiresAt,t.labels),"io.dask-fargate-action.role":o}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function U(t,i,e,o,r,n,s){const a=[];for(let g=r;g<r+n;g+=l){const k=Math.min(l,r+n-g),P=(0,c.y2)(t,o);a.push(D(t,i,e,"worker",k,`${t.clusterId}-w${g}-${k}${s?"-spot":""}`,P,s))}return a}}),4353:((O,I,d)=>{d.d(I,{q:()=>c});const c={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((O,I,d)=>{d.d(I,{R:()=>v});var c=d(37067);function v(b,A=5e3){return new Promise(_=>{const l=(0,c.get)(`${b.replace(/\/$/,"")}/json/identity.json`,{timeout:A},p=>{let E="";p.setEncoding("utf8"),p.on("data",T=>{E+=T}),p.on("end",()=>{if(p.statusCode!==200)return _(void 0);try{const T=JSON.parse(E);_(Object.keys(T.workers??{}).length)}catch{_(void 0)}}),p.on("error",()=>_(void 0))});l.on("timeout",()=>l.destroy()),l.on("error",()=>_(void 0))})}})};export{M as id,j as ids,L as modules};
