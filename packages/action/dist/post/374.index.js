const ee=374,re=[374],te={31374:((j,$,u)=>{u.r($),u.d($,{FARGATE_PRICES:()=>I,PhaseTimer:()=>J,countWorkers:()=>X.R,createBackend:()=>v.n,estimateFargateCost:()=>Q,formatTimeline:()=>h,hourlyFargateCost:()=>V,parseRegistrations:()=>i,runClusterJob:()=>a,silentLogger:()=>K.q,withRegistrations:()=>m});const f="dask-fargate-adapt: ",D=e=>typeof e=="string"?e:"";function S(e){const s=e.indexOf(f);if(s<0||s>64)return;let n;try{n=JSON.parse(e.slice(s+f.length))}catch{return}if(typeof n!="object"||n===null)return;const t=n;if(Array.isArray(t.retired))return{kind:"retired",retired:t.retired.filter(w=>typeof w=="object"&&w!==null).map(w=>({address:D(w.address),name:D(w.name),host:D(w.host)})).filter(w=>w.address!=="")};const o=t.target,d=t.workers;if(typeof o=="number"&&Number.isInteger(o)&&o>=0&&typeof d=="number"&&Number.isInteger(d)&&d>=0)return{kind:"target",target:o,workers:d}}function y(e){const s=e.now??Date.now,{min:n,max:t}=e.range,o=s(),d=[{atSeconds:0,workers:e.initial}],g=[],w=new Set;let P=e.initial,U=0,M=0,G=Promise.resolve(),F=!1,H=Number.NEGATIVE_INFINITY,W=!1;const b=T=>{P=T;const C=(s()-o)/1e3,N=d[d.length-1];N&&N.workers===T||d.push({atSeconds:C,workers:T})},L=(T,C)=>{G=G.then(C).catch(N=>{const Y=`${T} failed: ${N instanceof Error?N.message:String(N)}`;g.push(Y),e.logger.warn(`adaptive workers: ${Y}; the job goes on with ${P} workers`)})},Z=T=>{if(!W){if(T.kind==="target"){const C=Math.max(n,Math.min(t,T.target));if(C<=P||F||s()-H<(e.growCooldownMs??1e4))return;F=!0;const N=P;L(`growing to ${C} workers`,async()=>{try{e.logger.info(`adaptive workers: the scheduler's target is ${T.target}; growing from ${P} to ${C} workers`),b(C),b(await e.scaler.grow(C).catch(Y=>{throw b(N),Y})),U+=1}finally{F=!1,H=s()}});return}if(T.retired.length!==0){for(const C of T.retired)w.add(C.name);L(`removing ${T.retired.length} retired worker(s)`,async()=>{e.logger.info(`adaptive workers: the scheduler retired ${T.retired.map(C=>C.name).join(", ")}; removing their members`),b(await e.scaler.remove(T.retired)),M+=T.retired.length})}}};return{retiring:w,onLine(T){const C=S(T);return C?(Z(C),!0):!1},async stop(){W=!0,await G;const T=(s()-o)/1e3;return{min:n,max:t,peak:Math.max(...d.map(C=>C.workers)),timeline:d,workerSeconds:p(d,T),scaleUps:U,retired:M,failures:g}}}}function p(e,s){let n=0;for(const[t,o]of e.entries()){const d=e[t+1]?.atSeconds??s;n+=o.workers*Math.max(0,d-o.atSeconds)}return Math.round(n*10)/10}function h(e){return e.timeline.map(s=>`${Math.round(s.atSeconds)} s: ${s.workers}`).join(", ")}var v=u(5089),O=u(31421),x=u(84368),A=u(14589),R=u(59606);async function k(e,s,n,t,o){const d=s.spec.adaptive;if(!d)return o(n,t.logger);let g=s;const w=new Set,P=y({range:d,initial:s.spec.workers,logger:t.logger,...t.growCooldownMs!==void 0?{growCooldownMs:t.growCooldownMs}:{},scaler:{grow:async b=>(g=await e.scale(g,b,t),g.spec.workers),remove:async b=>{const L=g;g=await e.removeWorkers(g,b,t);const Z=new Set(g.fargate?.workerTaskArns??[]);for(const T of L.fargate?.workerTaskArns??[])Z.has(T)||w.add(T.split("/").pop()??T);for(const T of b)w.add(`${s.clusterId}-${T.name}`);return g.spec.workers}}}),U=n.runsOn==="runner"?_(s,n,P,t):void 0,M=[],G={...t.logger,warn:b=>/ while the job ran$/.test(b)?M.push(b):t.logger.warn(b)};let F;try{F=await o({...n,onOutput:(b,L)=>P.onLine(b)?void 0:n.onOutput?.(b,L)},G)}finally{U?.kill()}const H=await P.stop(),W=b=>[...w].some(L=>b===L||b.includes(` ${L}`)||b.startsWith(`${L} `));for(const b of M)W(b)?t.logger.info(`${b} (retired by the scheduler and removed on purpose)`):t.logger.warn(b);return{...F,stoppedMembers:F.stoppedMembers.filter(b=>!W(b.member)),adaptive:H}}function _(e,s,n,t){const o=e.spec.adaptive??{min:e.spec.workers,max:e.spec.workers},d={...(0,A.F1)(e,s,process.env),...(0,R.L)(o)},g=(0,O.spawn)(t.runnerPython??"python3",["-c",d.DFA_ADAPT_PY??""],{env:d,stdio:["ignore","pipe","pipe"]});g.on("error",P=>t.logger.warn(`adaptive workers: the sidecar did not start (${P.message}); the cluster keeps its size`));const w=P=>{n.onLine(P)||t.logger.debug(`adaptive sidecar: ${P}`)};return g.stdout&&(0,x.S)(g.stdout,w),g.stderr&&(0,x.S)(g.stderr,w),g}var c=u(58182);async function a(e,s,n,t){return k(e,s,n,t,(o,d)=>l(e,s,o,{...t,logger:d}))}async function l(e,s,n,t){if(n.runsOn==="cluster")return e.runJob(s,n,t);const o=await e.watchMembers(s,t);let d;try{d=await(0,A.wO)(s,n,t.signal)}finally{await o.stop()}return{...d,...(0,c.$D)(o)}}var E=u(63100);const I={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function z(e,s,n,t){const o=I[s],d=(w,P)=>w*o.vcpuHour+P/1024*o.gbHour;return(1+(t.jobTask?1:0))*d(e.schedulerCpu,e.schedulerMemory)+(0,E.pK)(e)*d(e.workerCpu,e.workerMemory)+n*I.publicIpv4Hour}const B=(e,s)=>`1 scheduler + ${e.adaptive?`up to ${(0,E.pK)(e)} (adaptive ${e.adaptive.min}-${e.adaptive.max})`:e.workers} workers${s.jobTask?" + 1 job task":""}`;function V(e,s,n,t,o={}){const d=z(e,s,n,o),g=d*(e.maxLifetime/3600),w=t?" (upper bound: Spot workers priced on demand)":"";return{usd:d,maxLifetimeUsd:g,text:`about $${d.toFixed(2)} per hour${w}; at most $${g.toFixed(2)} before the ${q(e.maxLifetime)} max-lifetime ends it`,method:`${B(e,o)}${n>0?` + ${n} public IPv4 addresses`:""} at ${I.source}`}}function Q(e,s,n,t,o,d={}){const g=Math.max(60,Math.ceil(n))/3600,w=I[s],P=(d.replacementSeconds??[]).reduce((H,W)=>H+Math.max(60,Math.ceil(W))/3600,0),U=e.workerCpu*w.vcpuHour+e.workerMemory/1024*w.gbHour+(d.replacementPublicIps?I.publicIpv4Hour:0),M=z(e,s,t,d)*g+U*P,G=`$${M.toFixed(4)}${o?" (upper bound: Spot workers priced on demand)":""}`,F=d.replacementSeconds?.length?` + ${d.replacementSeconds.length} replacement worker(s) \xD7 ${Math.ceil(P*3600)} s in all (min. 60 s each)`:"";return{usd:M,text:G,method:`${B(e,d)} \xD7 ${Math.ceil(n)} s (min. 60 s)${F} at ${I.source}`}}function q(e){const s=e/3600;return Number.isInteger(s)?`${s} h`:`${Math.round(e/60)} min`}var K=u(4353);class J{phases=[];async time(s,n){const t=performance.now();try{return await n()}finally{this.phases.push([s,performance.now()-t])}}toJSON(){return Object.fromEntries(this.phases.map(([s,n])=>[s,Math.round(n)]))}toString(){return this.phases.map(([s,n])=>`${s} ${(n/1e3).toFixed(1)} s`).join(", ")}}var X=u(29641);const r=/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;function i(e){const s=[];for(const n of e){const t=r.exec(n.trim());if(!t)continue;const o=Date.parse(`${t[1]?.replace(" ","T")}.${t[2]}Z`);Number.isNaN(o)||s.push({address:t[3]??"",worker:(t[4]??t[3]??"").trim(),at:o})}return s}function m(e,s){const n=new Map;for(const t of s){const o=t.address.replace(/^[a-z]+:\/\//,"").replace(/:\d+$/,"");for(const d of[t.worker,o])(!n.has(d)||(n.get(d)??0)>t.at)&&n.set(d,t.at)}return{...e,members:e.members.map(t=>{if(t.role!=="worker")return t;const o=n.get(t.member)??(t.address?n.get(t.address):void 0);return o===void 0?t:{...t,registeredAt:o}})}}}),5089:((j,$,u)=>{u.d($,{J:()=>O,n:()=>h});var f=u(8962),D=u(88246),S=u(66590),y=u(93866),p=u(86935);function h(A,R={}){if(A==="docker")return v({name:"docker",resolve:()=>({backend:"docker"}),plan:a=>(0,f.M)(a,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([u.e(292),u.e(639),u.e(99)]).then(u.bind(u,68099))).dockerEngineVerbs(R));const k=R.fargate;if(!k)throw new D.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const _=a=>({ecsCluster:k.ecsCluster??`<created: ${a.clusterId}>`,executionRoleArn:k.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:k.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:k.subnets??["<default VPC subnets>"],securityGroups:k.securityGroups??[S.rJ.securityGroupId],assignPublicIp:k.assignPublicIp??!k.subnets,tlsSecretArn:a.tls?S.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),c=a=>({backend:"fargate",fargate:(0,y.q8)(k,a)});return v({name:"fargate",resolve:c,plan:(a,l)=>(0,S.Kp)(a,O(l??c(a)),_(a))},async()=>(await Promise.all([u.e(149),u.e(639),u.e(171),u.e(786)]).then(u.bind(u,87786))).fargateEngineVerbs(k,R.clients))}function v(A,R){let k;const _=()=>(k??=R().catch(a=>{throw k=void 0,a}),k),c=(a,l)=>{if(l&&l.backend!==A.name)throw new D.am(`a ${l.backend} backend spec was handed to the ${A.name} backend`);return l??A.resolve(a)};return{name:A.name,resolve:A.resolve,validate:a=>{A.resolve(a)},plan:(a,l)=>A.plan(a,c(a,l)),preflight:A.preflight??(async(a,l)=>{const E=c(a,l.backendSpec);return(await _()).preflight(a,E,l)}),up:async(a,l)=>{const E=c(a,l.backendSpec);return(await _()).up(a,E,l)},runJob:async(a,l,E)=>(await _()).runJob(a,l,E),watchMembers:async(a,l)=>(await _()).watchMembers(a,l),scale:async(a,l,E)=>(x(a,l),(await _()).scale(a,l,E)),removeWorkers:async(a,l,E)=>(await _()).removeWorkers(a,l,E),down:async(a,l)=>(await _()).down(a,l),reap:async a=>(await _()).reap(a),logs:async(a,l)=>(await _()).logs(a,l)}}function O(A){if(A.backend!=="fargate")throw new D.am(`a ${A.backend} backend spec was handed to the fargate backend`);return A.fargate}function x(A,R){(0,p.i)({...A.spec,workers:R,allowUnboundedCost:A.spec.allowUnboundedCost??!1})}}),8962:((j,$,u)=>{u.d($,{M:()=>p,q:()=>y});var f=u(53145),D=u(42628),S=u(89401);function y(h,v,O,x){return{role:"worker",name:S.Dy.worker(h.clusterId,x),command:(0,f.y2)(h,O,`worker-${x}`),cpu:h.workerCpu,memoryMiB:h.workerMemory,environment:h.environment,createdAt:v.createdAt,expiresAt:v.expiresAt}}function p(h,v){const O=`${h.tls?"tls":"tcp"}://${S.Dy.scheduler(h.clusterId)}:${f.Q9}`;return{backend:"docker",clusterId:h.clusterId,network:{name:S.Dy.network(h.clusterId),driver:"bridge",labels:(0,D.EC)(h.clusterId,v.createdAt,v.expiresAt,h.labels)},scheduler:{role:"scheduler",name:S.Dy.scheduler(h.clusterId),command:(0,f.hx)(h),cpu:h.schedulerCpu,memoryMiB:h.schedulerMemory,environment:h.environment,createdAt:v.createdAt,expiresAt:v.expiresAt,publish:!0},workers:Array.from({length:h.workers},(x,A)=>y(h,v,O,A)),schedulerAddress:O,publishedPorts:[f.Q9,f.r2],tls:h.tls}}}),89401:((j,$,u)=>{u.d($,{Dy:()=>h,Mn:()=>A,aR:()=>O,bi:()=>v,w$:()=>x});var f=u(57075),D=u(36474),S=u(53145),y=u(42628),p=u(84368);const h={network:k=>k,scheduler:k=>`${k}-scheduler`,worker:(k,_)=>`${k}-worker-${_}`,job:(k,_)=>`${k}-job-${_}`};async function v(k,_,c){const a=[`${S.Q9}/tcp`,`${S.r2}/tcp`];return k.createContainer({name:c.name,Image:_.image,Cmd:[...c.command],Env:Object.entries(c.environment).map(([l,E])=>`${l}=${E}`),Labels:(0,y.EC)(_.clusterId,c.createdAt,c.expiresAt,_.labels,c.role),...c.workingDir?{WorkingDir:c.workingDir}:{},...c.publish?{ExposedPorts:Object.fromEntries(a.map(l=>[l,{}]))}:{},HostConfig:{NetworkMode:h.network(_.clusterId),NanoCpus:Math.round(c.cpu*1e9),Memory:c.memoryMiB*1024*1024,MemorySwap:c.memoryMiB*1024*1024,...c.binds?{Binds:[...c.binds]}:{},...c.tmpfs&&Object.keys(c.tmpfs).length>0?{Tmpfs:{...c.tmpfs}}:{},...c.publish?{PortBindings:Object.fromEntries(a.map(l=>[l,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function O(k,_){const c=(0,D.pack)(),a=[];c.on("data",I=>a.push(I));const l=new Promise((I,z)=>{c.on("end",I),c.on("error",z)}),E=S.Qy.replace(/^\/tmp\//,"");c.entry({name:`${E}/`,type:"directory",mode:493}),c.entry({name:`${E}/${S.qJ.ca}`,mode:292},_.ca),c.entry({name:`${E}/${S.qJ.cert}`,mode:292},_.cert),c.entry({name:`${E}/${S.qJ.key}`,mode:292},_.key),c.finalize(),await l,await k.putArchive(Buffer.concat(a),{path:"/tmp"})}async function x(k,_=15){try{const c=await k.logs({stdout:!0,stderr:!0,tail:_}),a=new f.PassThrough,l=[],E=(0,p.S)(a,I=>{I.trimEnd()!==""&&l.push(I.trimEnd())});return await R(k.modem,f.Readable.from([c]),a,a),a.end(),await E,l}catch{return[]}}async function A(k,_,c){const a=new f.PassThrough,l=new f.PassThrough,E=Promise.all([(0,p.S)(a,I=>c(I,"stdout")),(0,p.S)(l,I=>c(I,"stderr"))]);await R(k.modem,_,a,l),a.end(),l.end(),await E}function R(k,_,c,a){return new Promise(l=>{_.on("end",()=>l()),_.on("close",()=>l()),_.on("error",()=>l()),k.demuxStream(_,c,a)})}}),66590:((j,$,u)=>{u.d($,{D8:()=>k,rJ:()=>c,Dd:()=>a,xS:()=>l,Kp:()=>V,dY:()=>K,zb:()=>J});var f=u(53145),D=u(42628),S=u(31301),y=u(81451);const p=String.raw`def sha256_hex(data):
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
`,h=String.raw`
import datetime, hashlib, hmac, json, os, random, sys, time, urllib.error, urllib.parse, urllib.request

${p}
ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.DescribeTasks'
# Errors that will not go away by asking again (ECS API reference, "Common Errors" and DescribeTasks "Errors").
FINAL_ERRORS = ('AccessDeniedException', 'UnrecognizedClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'IncompleteSignature', 'InvalidSignatureException', 'MissingAuthenticationTokenException')

class GiveUp(Exception):
    pass

def say(message):
    print('dask-fargate: ' + message, file=sys.stderr, flush=True)

def ecs_endpoint(region):
    custom = os.environ.get('AWS_ENDPOINT_URL_ECS')
    if custom:
        return custom.rstrip('/') + '/'
    suffix = '.amazonaws.com.cn' if region.startswith('cn-') else '.amazonaws.com'
    return 'https://ecs.' + region + suffix + '/'

def describe(url, region, cluster, task, creds):
    """The scheduler task's description, or raises GiveUp (final) / another exception (worth a retry)."""
    body = json.dumps({'cluster': cluster, 'tasks': [task]}).encode()
    split = urllib.parse.urlsplit(url)
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    headers = sign('POST', split.netloc, split.path or '/', {}, {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': ECS_TARGET}, sha256_hex(body), creds[0], creds[1], creds[2], region, amz_date, service='ecs')
    del headers['host']
    request = urllib.request.Request(url, data=body, method='POST', headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        text = error.read()[:2000].decode(errors='replace')
        try:
            detail = json.loads(text)
        except ValueError:
            detail = {}
        code = str(detail.get('__type', '')).split('#')[-1] or 'HTTP ' + str(error.code)
        message = str(detail.get('message') or detail.get('Message') or '')[:300]
        if error.code < 500 and code in FINAL_ERRORS:
            raise GiveUp('ECS refused DescribeTasks of the scheduler task (' + code + (': ' + message if message else '') + ')')
        raise RuntimeError(code + (': ' + message if message else ''))

def scheduler_ip(answer, task):
    """The private IPv4 address of the scheduler's ENI, None while it has none; GiveUp once the task is STOPPED."""
    found = [t for t in answer.get('tasks', []) if t.get('taskArn') == task or t.get('taskArn', '').endswith('/' + task)]
    if not found:
        return None
    described = found[0]
    if described.get('lastStatus') == 'STOPPED' or described.get('desiredStatus') == 'STOPPED':
        raise GiveUp('the scheduler task ' + task + ' stopped (' + str(described.get('stoppedReason', 'no reason given')) + '); this worker will not start')
    for attachment in described.get('attachments', []):
        if attachment.get('type') != 'ElasticNetworkInterface':
            continue
        for detail in attachment.get('details', []):
            if detail.get('name') == 'privateIPv4Address' and detail.get('value'):
                return detail['value']
    return None

def find_address():
    task = os.environ['DFA_SCHEDULER_TASK']
    cluster = os.environ['DFA_ECS_CLUSTER']
    protocol = os.environ.get('DFA_SCHEDULER_PROTOCOL', 'tls')
    port = os.environ.get('DFA_SCHEDULER_PORT', '8786')
    limit = float(os.environ.get('DFA_FIND_SCHEDULER_TIMEOUT', '600'))
    parts = task.split(':')
    region = (parts[3] if len(parts) > 5 else '') or os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'
    url = ecs_endpoint(region)
    deadline = time.monotonic() + limit
    attempt = 0
    last = 'no answer yet'
    retried = 0
    while True:
        try:
            creds = credentials()
            ip = scheduler_ip(describe(url, region, cluster, task, creds), task)
            if ip:
                if retried:
                    say('found the scheduler after ' + str(retried) + ' retried call(s) (last: ' + last + ')')
                return protocol + '://' + ip + ':' + port
            last = 'the scheduler has no IP address yet'
            attempt = 0
        except GiveUp:
            raise
        except Exception as error:
            retried += 1
            last = str(error)[:300] or type(error).__name__
            attempt += 1
        # Full jitter: a random wait up to min(cap, base * 2^attempt), so 200 workers do not ask in step.
        wait = random.uniform(0, min(5.0, 0.5 * (2 ** attempt))) if attempt else random.uniform(0.5, 1.5)
        if time.monotonic() + wait > deadline:
            raise GiveUp('the scheduler task ' + task + ' had no IP address after ' + str(int(limit)) + ' s (last: ' + last + ')')
        time.sleep(wait)

def main():
    command = sys.argv[1:]
    if not command:
        say('find-scheduler: no worker command to run')
        return 2
    if not os.environ.get('DASK_SCHEDULER_ADDRESS'):
        try:
            os.environ['DASK_SCHEDULER_ADDRESS'] = find_address()
        except GiveUp as error:
            say('cannot find the scheduler: ' + str(error))
            return 1
        except KeyError as error:
            say('cannot find the scheduler: ' + str(error) + ' is not set')
            return 1
    os.execvp(command[0], command)

if __name__ == '__main__':
    sys.exit(main())
`,v="DFA_FIND_SCHEDULER";function O(r,i){return["sh","-c",`exec "$0" -c "$${v}" "$@"`,r,...i]}function x(r,i,m,e){return{DFA_SCHEDULER_TASK:r,DFA_ECS_CLUSTER:i,DFA_SCHEDULER_PROTOCOL:m,DFA_SCHEDULER_PORT:String(e)}}const A=String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

${p}
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
`,R=10,k="outputs",_="<attempt token>",c={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>",schedulerTaskArn:"<created: scheduler task>"};function a(r,i){const m=Object.entries(i).flatMap(([s,n])=>n===void 0?[]:[[c[s],n]]),e=s=>typeof s=="string"?m.reduce((n,[t,o])=>n.split(t).join(o),s):Array.isArray(s)?s.map(e):s&&typeof s=="object"?Object.fromEntries(Object.entries(s).map(([n,t])=>[n,e(t)])):s;return e(r)}function l(r,i,m){return{ecsCluster:r.ecsCluster,executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,subnets:r.subnets,securityGroups:r.securityGroups,assignPublicIp:r.assignPublicIp,tlsSecretArn:r.tlsSecretArn,createdAt:i,expiresAt:m}}function E(r){return Object.entries(r).map(([i,m])=>({key:i,value:m}))}function I(r){return Object.entries(r).map(([i,m])=>({Key:i,Value:m}))}const z=["umask 077",`mkdir -p ${f.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${f.Qy}/${f.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${f.Qy}/${f.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${f.Qy}/${f.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function B(r,i){return r.tls?["sh","-c",z,"sh",...i]:[...i]}function V(r,i,m){const e=(0,D.EC)(r.clusterId,m.createdAt,m.expiresAt,r.labels),s=y.P.logGroup(r.clusterId),n=[...i.clientCidr?[i.clientCidr]:[],...i.allowPublicIngress?["0.0.0.0/0"]:[]],t=o=>{const d=o==="worker"?i.workerSize:i.schedulerSize,g=o==="job"&&i.outputUri?(0,S.V6)(i.outputUri):void 0,w=o==="scheduler"?(0,f.hx)(r):o==="worker"?(0,f.y2)(r,"scheduler-address-set-per-run"):(0,f.pi)(r,{uploadOutputs:g!==void 0}),P=[...Object.entries(i.secrets).map(([U,M])=>({name:U,valueFrom:M})),...m.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${m.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${m.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${m.tlsSecretArn}:key::`}]:[],...m.tlsSecretArn&&g?[{name:"DFA_OUTPUT_KEY",valueFrom:`${m.tlsSecretArn}:${k}::`}]:[]];return{family:y.P.family(r.clusterId,o),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(d.cpu),memory:String(d.memory),runtimePlatform:{cpuArchitecture:i.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:m.executionRoleArn,taskRoleArn:m.taskRoleArn,...i.ephemeralStorage?{ephemeralStorage:{sizeInGiB:i.ephemeralStorage}}:{},containerDefinitions:[{name:y.P.container,image:r.image,essential:!0,memory:d.memory,command:B(r,w),environment:[{name:"TINI_SUBREAPER",value:"1"},...o==="worker"?[{name:v,value:h}]:[],...Object.entries(r.environment).map(([U,M])=>({name:U,value:M})),...g?[{name:"DFA_UPLOAD_OUTPUTS",value:A},{name:"DFA_OUTPUT_BUCKET",value:g.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,S.Pr)(g,r.clusterId,m.outputToken??_)},{name:"DFA_OUTPUT_CLUSTER",value:r.clusterId},{name:"DFA_OUTPUT_TOKEN",value:m.outputToken??_}]:[]],...P.length>0?{secrets:P}:{},...o==="scheduler"?{portMappings:[f.Q9,f.r2].map(U=>({containerPort:U,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":s,"awslogs-region":i.region,"awslogs-stream-prefix":o}}}],tags:E({...e,"io.dask-fargate-action.role":o})}};return{backend:"fargate",clusterId:r.clusterId,region:i.region,createCluster:i.ecsCluster?void 0:{clusterName:y.P.ecsCluster(r.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:E(e),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:s,retentionInDays:i.logRetentionDays,tags:e},securityGroup:i.securityGroups?void 0:{name:y.P.securityGroup(r.clusterId),description:`dask-fargate-action cluster ${r.clusterId}: members reach each other on all TCP ports`,vpcId:m.vpcId??"<the subnets' VPC>",clientCidrs:n,clientPorts:{from:f.Q9,to:i.openDashboard?f.r2:f.Q9},tags:I({...e,Name:y.P.securityGroup(r.clusterId)}),ingress:Q(c.securityGroupId,n,{from:f.Q9,to:i.openDashboard?f.r2:f.Q9})},tlsSecret:r.tls?{name:y.P.tlsSecret(r.clusterId),description:`dask-fargate-action: TLS files of cluster ${r.clusterId}; deleted with the cluster`,tags:I(e)}:void 0,taskDefinitions:{scheduler:t("scheduler"),worker:t("worker"),job:t("job")},schedulerRun:K(r,i,m,"scheduler",1,`${r.clusterId}-scheduler`,void 0,!1),workerRuns:m.schedulerLookup==="workers-find-it"?X(r,i,m):J(r,i,m,c.schedulerAddress,0,r.workers,i.spotWorkers),schedulerLookup:m.schedulerLookup??"after-ip",workerFallback:i.spotWorkers?"on-demand":"none",tags:e}}function Q(r,i,m){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:r,Description:"cluster members: Dask and XGBoost"}]},...i.length>0?[{IpProtocol:"tcp",FromPort:m.from,ToPort:m.to,IpRanges:i.map(e=>({CidrIp:e,Description:m.to>m.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function q(r){const i=(o,d)=>(g,w)=>({operation:g,input:w,stage:o,lane:d}),m=i(1,"ecs cluster"),e=i(1,"log group"),s=i(1,"security group"),n=i(1,"secret and task definitions"),t=r.schedulerLookup==="workers-find-it"?i(2,"workers"):i(3,"workers");return[...r.createCluster?[m("ecs:CreateCluster",r.createCluster)]:[],e("logs:CreateLogGroup",{logGroupName:r.logGroup.name,tags:r.logGroup.tags}),e("logs:PutRetentionPolicy",{logGroupName:r.logGroup.name,retentionInDays:r.logGroup.retentionInDays}),...r.securityGroup?[s("ec2:CreateSecurityGroup",{GroupName:r.securityGroup.name,Description:r.securityGroup.description,VpcId:r.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:r.securityGroup.tags}]}),s("ec2:AuthorizeSecurityGroupIngress",{GroupId:c.securityGroupId,IpPermissions:r.securityGroup.ingress})]:[],...r.tlsSecret?[n("secretsmanager:CreateSecret",{Name:r.tlsSecret.name,Description:r.tlsSecret.description,Tags:r.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(o=>n("ecs:RegisterTaskDefinition",r.taskDefinitions[o])),i(2,"scheduler")("ecs:RunTask",r.schedulerRun),...r.workerRuns.map(o=>t("ecs:RunTask",o))]}function K(r,i,m,e,s,n,t,o,d={}){const g=Object.entries(d).map(([w,P])=>({name:w,value:P}));return{cluster:m.ecsCluster,taskDefinition:y.P.family(r.clusterId,e),count:s,clientToken:n,startedBy:r.clusterId,...o?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:i.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...m.subnets],securityGroups:[...m.securityGroups],assignPublicIp:m.assignPublicIp?"ENABLED":"DISABLED"}},...t||g.length>0?{overrides:{containerOverrides:[{name:y.P.container,...t?{command:B(r,t)}:{},...g.length>0?{environment:g}:{}}]}}:{},tags:E({...(0,D.EC)(r.clusterId,m.createdAt,m.expiresAt,r.labels),"io.dask-fargate-action.role":e}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function J(r,i,m,e,s,n,t){const o=[];for(let d=s;d<s+n;d+=R){const g=Math.min(R,s+n-d),w=(0,f.y2)(r,e);o.push(K(r,i,m,"worker",g,`${r.clusterId}-w${d}-${g}${t?"-spot":""}`,w,t))}return o}function X(r,i,m){const e=[],s=i.spotWorkers,n=x(c.schedulerTaskArn,m.ecsCluster,r.tls?"tls":"tcp",f.Q9),t=O(r.python,(0,f.y2)(r,void 0));for(let o=0;o<r.workers;o+=R){const d=Math.min(R,r.workers-o);e.push(K(r,i,m,"worker",d,`${r.clusterId}-w${o}-${d}${s?"-spot":""}`,t,s,n))}return e}}),4353:((j,$,u)=>{u.d($,{q:()=>f});const f={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((j,$,u)=>{u.d($,{R:()=>D});var f=u(37067);function D(S,y=5e3){return new Promise(p=>{const h=(0,f.get)(`${S.replace(/\/$/,"")}/json/identity.json`,{timeout:y},v=>{let O="";v.setEncoding("utf8"),v.on("data",x=>{O+=x}),v.on("end",()=>{if(v.statusCode!==200)return p(void 0);try{const x=JSON.parse(O);p(Object.keys(x.workers??{}).length)}catch{p(void 0)}}),v.on("error",()=>p(void 0))});h.on("timeout",()=>h.destroy()),h.on("error",()=>p(void 0))})}}),58182:((j,$,u)=>{u.d($,{$D:()=>S,I0:()=>D,XG:()=>f});function f(y){if(y.stopCode==="UserInitiated")return"stopped with StopTask";if(y.exitCode===0&&y.stopCode!=="SpotInterruption"&&y.stopCode!=="TerminationNotice")return"exited with code 0: the scheduler closed it"}class D{limit;logger;stopped=[];replacements=[];unreplaced=[];granted=0;constructor(p,h){this.limit=p,this.logger=h}lost(p){if(this.stopped.push({member:p.member,exitCode:p.exitCode,reason:p.reason}),p.onPurpose)return this.logger.info(`${p.member} stopped on purpose (${p.onPurpose}); not replaced`),!1;const h=[p.stopCode,p.reason].filter(Boolean).join(": ");return this.logger.warn(`${p.member} stopped (exit code ${p.exitCode??"unknown"}${h?`, ${h}`:""}) while the job ran`),p.worker?this.granted>=this.limit?(this.unreplaced.push(p.member),this.logger.warn(`${p.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`),!1):(this.granted++,!0):!1}failed(p,h){this.granted--,this.logger.warn(`could not replace ${p}: ${h instanceof Error?h.message:String(h)}`)}replaced(p){this.replacements.push(p);const h=p.capacity?` on ${p.capacity}`:"";this.logger.warn(`replaced ${p.member} with ${p.replacement}${h} (${this.replacements.length}/${this.limit})`)}watch(p){return{stopped:this.stopped,replacements:this.replacements,unreplaced:this.unreplaced,stop:p}}}function S(y){return{stoppedMembers:[...y.stopped],...y.replacements&&y.replacements.length>0?{replacements:[...y.replacements]}:{},...y.unreplaced&&y.unreplaced.length>0?{unreplaced:[...y.unreplaced]}:{}}}})};export{ee as id,re as ids,te as modules};
