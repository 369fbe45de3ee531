const F=608,j=[608],G={608:((D,E,n)=>{n.r(E),n.d(E,{FARGATE_PRICES:()=>C,PhaseTimer:()=>_,countWorkers:()=>O.R,createBackend:()=>d,estimateFargateCost:()=>k,hourlyFargateCost:()=>u,runClusterJob:()=>R,silentLogger:()=>w.q});var o=n(8962),T=n(88246),g=n(16641),A=n(93866),b=n(86935);function d(e,r={}){if(e==="docker")return h({name:"docker",validate:()=>{},plan:s=>(0,o.M)(s,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([n.e(292),n.e(639),n.e(533)]).then(n.bind(n,533))).dockerEngineVerbs(r));const t=r.fargate;if(!t)throw new T.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const a=s=>({ecsCluster:t.ecsCluster??`<created: ${s.clusterId}>`,executionRoleArn:t.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:t.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:t.subnets??["<default VPC subnets>"],securityGroups:t.securityGroups??[g.rJ.securityGroupId],assignPublicIp:t.assignPublicIp??!t.subnets,tlsSecretArn:s.tls?g.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return h({name:"fargate",validate:s=>{(0,A.q8)(t,s)},plan:s=>(0,g.Kp)(s,(0,A.q8)(t,s),a(s))},async()=>(await Promise.all([n.e(149),n.e(639),n.e(171),n.e(865)]).then(n.bind(n,27865))).fargateEngineVerbs(t,r.clients))}function h(e,r){let t;const a=()=>(t??=r().catch(s=>{throw t=void 0,s}),t);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(s,i)=>(await a()).preflight(s,i)),up:async(s,i)=>(await a()).up(s,i),runJob:async(s,i,m)=>(await a()).runJob(s,i,m),watchMembers:async(s,i)=>(await a()).watchMembers(s,i),scale:async(s,i,m)=>(y(s,i),(await a()).scale(s,i,m)),down:async(s,i)=>(await a()).down(s,i),reap:async s=>(await a()).reap(s),logs:async(s,i)=>(await a()).logs(s,i)}}function y(e,r){(0,b.i)({...e.spec,workers:r,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var I=n(14589);async function R(e,r,t,a){if(t.runsOn==="cluster")return e.runJob(r,t,a);const s=await e.watchMembers(r,a);try{return{...await(0,I.wO)(r,t,a.signal),stoppedMembers:[...s.stopped]}}finally{s.stop()}}const C={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function p(e,r,t,a){const s=C[r],i=(c,S)=>c*s.vcpuHour+S/1024*s.gbHour;return(1+(a.jobTask?1:0))*i(e.schedulerCpu,e.schedulerMemory)+e.workers*i(e.workerCpu,e.workerMemory)+t*C.publicIpv4Hour}const l=(e,r)=>`1 scheduler + ${e.workers} workers${r.jobTask?" + 1 job task":""}`;function u(e,r,t,a,s={}){const i=p(e,r,t,s),m=i*(e.maxLifetime/3600),c=a?" (upper bound: Spot workers priced on demand)":"";return{usd:i,maxLifetimeUsd:m,text:`about $${i.toFixed(2)} per hour${c}; at most $${m.toFixed(2)} before the ${f(e.maxLifetime)} max-lifetime ends it`,method:`${l(e,s)}${t>0?` + ${t} public IPv4 addresses`:""} at ${C.source}`}}function k(e,r,t,a,s,i={}){const m=Math.max(60,Math.ceil(t))/3600,c=p(e,r,a,i)*m,S=`$${c.toFixed(4)}${s?" (upper bound: Spot workers priced on demand)":""}`;return{usd:c,text:S,method:`${l(e,i)} \xD7 ${Math.ceil(t)} s (min. 60 s) at ${C.source}`}}function f(e){const r=e/3600;return Number.isInteger(r)?`${r} h`:`${Math.round(e/60)} min`}var w=n(4353);class _{phases=[];async time(r,t){const a=performance.now();try{return await t()}finally{this.phases.push([r,performance.now()-a])}}toJSON(){return Object.fromEntries(this.phases.map(([r,t])=>[r,Math.round(t)]))}toString(){return this.phases.map(([r,t])=>`${r} ${(t/1e3).toFixed(1)} s`).join(", ")}}var O=n(29641)}),8962:((D,E,n)=>{n.d(E,{M:()=>b,q:()=>A});var o=n(53145),T=n(42628),g=n(89401);function A(d,h,y,I){return{role:"worker",name:g.Dy.worker(d.clusterId,I),command:(0,o.y2)(d,y,`worker-${I}`),cpu:d.workerCpu,memoryMiB:d.workerMemory,environment:d.environment,createdAt:h.createdAt,expiresAt:h.expiresAt}}function b(d,h){const y=`${d.tls?"tls":"tcp"}://${g.Dy.scheduler(d.clusterId)}:${o.Q9}`;return{backend:"docker",clusterId:d.clusterId,network:{name:g.Dy.network(d.clusterId),driver:"bridge",labels:(0,T.EC)(d.clusterId,h.createdAt,h.expiresAt,d.labels)},scheduler:{role:"scheduler",name:g.Dy.scheduler(d.clusterId),command:(0,o.hx)(d),cpu:d.schedulerCpu,memoryMiB:d.schedulerMemory,environment:d.environment,createdAt:h.createdAt,expiresAt:h.expiresAt,publish:!0},workers:Array.from({length:d.workers},(I,R)=>A(d,h,y,R)),schedulerAddress:y,publishedPorts:[o.Q9,o.r2],tls:d.tls}}}),89401:((D,E,n)=>{n.d(E,{Dy:()=>d,Mn:()=>R,aR:()=>y,bi:()=>h,w$:()=>I});var o=n(57075),T=n(36474),g=n(53145),A=n(42628),b=n(84368);const d={network:p=>p,scheduler:p=>`${p}-scheduler`,worker:(p,l)=>`${p}-worker-${l}`,job:(p,l)=>`${p}-job-${l}`};async function h(p,l,u){const k=[`${g.Q9}/tcp`,`${g.r2}/tcp`];return p.createContainer({name:u.name,Image:l.image,Cmd:[...u.command],Env:Object.entries(u.environment).map(([f,w])=>`${f}=${w}`),Labels:(0,A.EC)(l.clusterId,u.createdAt,u.expiresAt,l.labels,u.role),...u.workingDir?{WorkingDir:u.workingDir}:{},...u.publish?{ExposedPorts:Object.fromEntries(k.map(f=>[f,{}]))}:{},HostConfig:{NetworkMode:d.network(l.clusterId),NanoCpus:Math.round(u.cpu*1e9),Memory:u.memoryMiB*1024*1024,MemorySwap:u.memoryMiB*1024*1024,...u.binds?{Binds:[...u.binds]}:{},...u.tmpfs&&Object.keys(u.tmpfs).length>0?{Tmpfs:{...u.tmpfs}}:{},...u.publish?{PortBindings:Object.fromEntries(k.map(f=>[f,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function y(p,l){const u=(0,T.pack)(),k=[];u.on("data",_=>k.push(_));const f=new Promise((_,O)=>{u.on("end",_),u.on("error",O)}),w=g.Qy.replace(/^\/tmp\//,"");u.entry({name:`${w}/`,type:"directory",mode:493}),u.entry({name:`${w}/${g.qJ.ca}`,mode:292},l.ca),u.entry({name:`${w}/${g.qJ.cert}`,mode:292},l.cert),u.entry({name:`${w}/${g.qJ.key}`,mode:292},l.key),u.finalize(),await f,await p.putArchive(Buffer.concat(k),{path:"/tmp"})}async function I(p,l=15){try{const u=await p.logs({stdout:!0,stderr:!0,tail:l}),k=new o.PassThrough,f=[],w=(0,b.S)(k,_=>{_.trimEnd()!==""&&f.push(_.trimEnd())});return await C(p.modem,o.Readable.from([u]),k,k),k.end(),await w,f}catch{return[]}}async function R(p,l,u){const k=new o.PassThrough,f=new o.PassThrough,w=Promise.all([(0,b.S)(k,_=>u(_,"stdout")),(0,b.S)(f,_=>u(_,"stderr"))]);await C(p.modem,l,k,f),k.end(),f.end(),await w}function C(p,l,u,k){return new Promise(f=>{l.on("end",()=>f()),l.on("close",()=>f()),l.on("error",()=>f()),p.demuxStream(l,u,k)})}}),16641:((D,E,n)=>{n.d(E,{rJ:()=>y,vZ:()=>h,Dd:()=>I,xS:()=>R,Kp:()=>k,dY:()=>_,zb:()=>O});var o=n(53145),T=n(42628),g=n(31301),A=n(81451);const b=String.raw`
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

def put(scheme, host, path, file_path, creds, region):
    digest = hashlib.sha256()
    with open(file_path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    size = os.path.getsize(file_path)
    for attempt in range(4):
        amz_date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
        # An explicit type: urllib would otherwise send form-urlencoded, which some servers parse as a form.
        headers = sign('PUT', host, path, {}, {'content-length': str(size), 'content-type': 'application/octet-stream'}, digest.hexdigest(), creds[0], creds[1], creds[2], region, amz_date)
        del headers['host']
        with open(file_path, 'rb') as f:
            request = urllib.request.Request(scheme + '://' + host + uri_encode(path, True), data=f, method='PUT', headers=headers)
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
        time.sleep(2 ** attempt)

def main():
    root = os.environ['DFA_OUTPUT_DIR']
    bucket = os.environ['DFA_OUTPUT_BUCKET']
    prefix = os.environ['DFA_OUTPUT_PREFIX']
    region = os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'
    files = []
    for parent, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files.append(path)
    if not files:
        print('dask-fargate: the job wrote no outputs to ' + root, file=sys.stderr, flush=True)
        return 0
    try:
        creds = credentials()
    except Exception as error:
        print('dask-fargate: cannot upload the job outputs: ' + str(error), file=sys.stderr, flush=True)
        return 1
    scheme, host, base = endpoint(bucket, region)
    failed = 0
    total = 0
    for path in files:
        key = prefix + os.path.relpath(path, root).replace(os.sep, '/')
        try:
            put(scheme, host, base + key, path, creds, region)
            total += os.path.getsize(path)
        except Exception as error:
            failed += 1
            print('dask-fargate: could not upload ' + key + ': ' + str(error), file=sys.stderr, flush=True)
    print('dask-fargate: uploaded ' + str(len(files) - failed) + ' output file(s), ' + str(total) + ' bytes, to s3://' + bucket + '/' + prefix, file=sys.stderr, flush=True)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
`,d=10,h="scheduler",y={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function I(e,r){const t=Object.entries(r).flatMap(([s,i])=>i===void 0?[]:[[y[s],i]]),a=s=>typeof s=="string"?t.reduce((i,[m,c])=>i.split(m).join(c),s):Array.isArray(s)?s.map(a):s&&typeof s=="object"?Object.fromEntries(Object.entries(s).map(([i,m])=>[i,a(m)])):s;return a(e)}function R(e,r,t){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:r,expiresAt:t}}function C(e){return Object.entries(e).map(([r,t])=>({key:r,value:t}))}function p(e){return Object.entries(e).map(([r,t])=>({Key:r,Value:t}))}const l=["umask 077",`mkdir -p ${o.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${o.Qy}/${o.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${o.Qy}/${o.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${o.Qy}/${o.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function u(e,r){return e.tls?["sh","-c",l,"sh",...r]:[...r]}function k(e,r,t){const a=(0,T.EC)(e.clusterId,t.createdAt,t.expiresAt,e.labels),s=A.P.logGroup(e.clusterId),i=[...r.clientCidr?[r.clientCidr]:[],...r.allowPublicIngress?["0.0.0.0/0"]:[]],m=c=>{const S=c==="worker"?r.workerSize:r.schedulerSize,P=c==="job"&&r.outputUri?(0,g.V6)(r.outputUri):void 0,v=t.tlsSecretArn!==void 0,x=c==="scheduler"?(0,o.hx)(e):c==="worker"?(0,o.y2)(e,v?void 0:"scheduler-address-set-per-run"):(0,o.pi)(e,{uploadOutputs:P!==void 0}),L=[...Object.entries(r.secrets).map(([$,M])=>({name:$,valueFrom:M})),...t.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${t.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${t.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${t.tlsSecretArn}:key::`}]:[],...t.tlsSecretArn&&c==="worker"?[{name:"DASK_SCHEDULER_ADDRESS",valueFrom:`${t.tlsSecretArn}:${h}::`}]:[]];return{family:A.P.family(e.clusterId,c),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(S.cpu),memory:String(S.memory),runtimePlatform:{cpuArchitecture:r.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:t.executionRoleArn,taskRoleArn:t.taskRoleArn,...r.ephemeralStorage?{ephemeralStorage:{sizeInGiB:r.ephemeralStorage}}:{},containerDefinitions:[{name:A.P.container,image:e.image,essential:!0,memory:S.memory,command:u(e,x),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(e.environment).map(([$,M])=>({name:$,value:M})),...P?[{name:"DFA_UPLOAD_OUTPUTS",value:b},{name:"DFA_OUTPUT_BUCKET",value:P.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,g.$4)(P,e.clusterId)}]:[]],...L.length>0?{secrets:L}:{},...c==="scheduler"?{portMappings:[o.Q9,o.r2].map($=>({containerPort:$,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":s,"awslogs-region":r.region,"awslogs-stream-prefix":c}}}],tags:C({...a,"io.dask-fargate-action.role":c})}};return{backend:"fargate",clusterId:e.clusterId,region:r.region,createCluster:r.ecsCluster?void 0:{clusterName:A.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:C(a),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:s,retentionInDays:r.logRetentionDays,tags:a},securityGroup:r.securityGroups?void 0:{name:A.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:t.vpcId??"<the subnets' VPC>",clientCidrs:i,clientPorts:{from:o.Q9,to:r.openDashboard?o.r2:o.Q9},tags:p({...a,Name:A.P.securityGroup(e.clusterId)}),ingress:f(y.securityGroupId,i,{from:o.Q9,to:r.openDashboard?o.r2:o.Q9})},tlsSecret:e.tls?{name:A.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:p(a)}:void 0,taskDefinitions:{scheduler:m("scheduler"),worker:m("worker"),job:m("job")},schedulerRun:_(e,r,t,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),schedulerAddressIn:t.tlsSecretArn!==void 0?"secret":"worker-overrides",workerRuns:O(e,r,t,y.schedulerAddress,0,e.workers,r.spotWorkers),workerFallback:r.spotWorkers?"on-demand":"none",tags:a}}function f(e,r,t){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...r.length>0?[{IpProtocol:"tcp",FromPort:t.from,ToPort:t.to,IpRanges:r.map(a=>({CidrIp:a,Description:t.to>t.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function w(e){const r=(c,S)=>(P,v)=>({operation:P,input:v,stage:c,lane:S}),t=r(1,"ecs cluster"),a=r(1,"log group"),s=r(1,"security group"),i=r(1,"secret and task definitions"),m=r(3,"workers");return[...e.createCluster?[t("ecs:CreateCluster",e.createCluster)]:[],a("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),a("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[s("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),s("ec2:AuthorizeSecurityGroupIngress",{GroupId:y.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[i("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(c=>i("ecs:RegisterTaskDefinition",e.taskDefinitions[c])),r(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(c=>m("ecs:RunTask",c)),...e.schedulerAddressIn==="secret"?[r(3,"scheduler address")("secretsmanager:PutSecretValue",{SecretId:y.tlsSecretArn})]:[]]}function _(e,r,t,a,s,i,m,c,S={}){const P=Object.entries(S).map(([v,x])=>({name:v,value:x}));return{cluster:t.ecsCluster,taskDefinition:A.P.family(e.clusterId,a),count:s,clientToken:i,startedBy:e.clusterId,...c?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:r.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...t.subnets],securityGroups:[...t.securityGroups],assignPublicIp:t.assignPublicIp?"ENABLED":"DISABLED"}},...m||P.length>0?{overrides:{containerOverrides:[{name:A.P.container,...m?{command:u(e,m)}:{},...P.length>0?{environment:P}:{}}]}}:{},tags:C({...(0,T.EC)(e.clusterId,t.createdAt,t.expiresAt,e.labels),"io.dask-fargate-action.role":a}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function O(e,r,t,a,s,i,m){const c=[];for(let S=s;S<s+i;S+=d){const P=Math.min(d,s+i-S),v=t.tlsSecretArn!==void 0?void 0:(0,o.y2)(e,a);c.push(_(e,r,t,"worker",P,`${e.clusterId}-w${S}-${P}${m?"-spot":""}`,v,m))}return c}}),42628:((D,E,n)=>{n.d(E,{EC:()=>g,Kf:()=>T,d_:()=>o});const o={managedBy:"io.dask-fargate-action.managed-by",clusterId:"io.dask-fargate-action.cluster-id",role:"io.dask-fargate-action.role",expiresAt:"io.dask-fargate-action.expires-at",createdAt:"io.dask-fargate-action.created-at"},T="dask-fargate-action";function g(A,b,d,h,y){return{...h,[o.managedBy]:T,[o.clusterId]:A,[o.createdAt]:b,[o.expiresAt]:d,...y?{[o.role]:y}:{}}}}),4353:((D,E,n)=>{n.d(E,{q:()=>o});const o={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((D,E,n)=>{n.d(E,{R:()=>T});var o=n(37067);function T(g,A=5e3){return new Promise(b=>{const d=(0,o.get)(`${g.replace(/\/$/,"")}/json/identity.json`,{timeout:A},h=>{let y="";h.setEncoding("utf8"),h.on("data",I=>{y+=I}),h.on("end",()=>{if(h.statusCode!==200)return b(void 0);try{const I=JSON.parse(y);b(Object.keys(I.workers??{}).length)}catch{b(void 0)}}),h.on("error",()=>b(void 0))});d.on("timeout",()=>d.destroy()),d.on("error",()=>b(void 0))})}})};export{F as id,j as ids,G as modules};
