const ee=374,re=[374],te={31374:((j,C,d)=>{d.r(C),d.d(C,{FARGATE_PRICES:()=>P,PhaseTimer:()=>B,countWorkers:()=>X.R,createBackend:()=>v.n,estimateFargateCost:()=>Q,formatTimeline:()=>p,hourlyFargateCost:()=>V,parseRegistrations:()=>r,runClusterJob:()=>a,silentLogger:()=>H.q,withRegistrations:()=>i});const h="dask-fargate-adapt: ",I=e=>typeof e=="string"?e:"";function S(e){const t=e.indexOf(h);if(t<0||t>64)return;let n;try{n=JSON.parse(e.slice(t+h.length))}catch{return}if(typeof n!="object"||n===null)return;const s=n;if(Array.isArray(s.retired))return{kind:"retired",retired:s.retired.filter(f=>typeof f=="object"&&f!==null).map(f=>({address:I(f.address),name:I(f.name),host:I(f.host)})).filter(f=>f.address!=="")};const u=s.target,o=s.workers;if(typeof u=="number"&&Number.isInteger(u)&&u>=0&&typeof o=="number"&&Number.isInteger(o)&&o>=0)return{kind:"target",target:u,workers:o}}function y(e){const t=e.now??Date.now,{min:n,max:s}=e.range,u=t(),o=[{atSeconds:0,workers:e.initial}],_=[],f=new Set;let w=e.initial,U=0,x=0,L=Promise.resolve(),F=!1,K=Number.NEGATIVE_INFINITY,G=!1;const b=T=>{w=T;const D=(t()-u)/1e3,N=o[o.length-1];N&&N.workers===T||o.push({atSeconds:D,workers:T})},M=(T,D)=>{L=L.then(D).catch(N=>{const Y=`${T} failed: ${N instanceof Error?N.message:String(N)}`;_.push(Y),e.logger.warn(`adaptive workers: ${Y}; the job goes on with ${w} workers`)})},Z=T=>{if(!G){if(T.kind==="target"){const D=Math.max(n,Math.min(s,T.target));if(D<=w||F||t()-K<(e.growCooldownMs??1e4))return;F=!0;const N=w;M(`growing to ${D} workers`,async()=>{try{e.logger.info(`adaptive workers: the scheduler's target is ${T.target}; growing from ${w} to ${D} workers`),b(D),b(await e.scaler.grow(D).catch(Y=>{throw b(N),Y})),U+=1}finally{F=!1,K=t()}});return}if(T.retired.length!==0){for(const D of T.retired)f.add(D.name);M(`removing ${T.retired.length} retired worker(s)`,async()=>{e.logger.info(`adaptive workers: the scheduler retired ${T.retired.map(D=>D.name).join(", ")}; removing their members`),b(await e.scaler.remove(T.retired)),x+=T.retired.length})}}};return{retiring:f,onLine(T){const D=S(T);return D?(Z(D),!0):!1},async stop(){G=!0,await L;const T=(t()-u)/1e3;return{min:n,max:s,peak:Math.max(...o.map(D=>D.workers)),timeline:o,workerSeconds:m(o,T),scaleUps:U,retired:x,failures:_}}}}function m(e,t){let n=0;for(const[s,u]of e.entries()){const o=e[s+1]?.atSeconds??t;n+=u.workers*Math.max(0,o-u.atSeconds)}return Math.round(n*10)/10}function p(e){return e.timeline.map(t=>`${Math.round(t.atSeconds)} s: ${t.workers}`).join(", ")}var v=d(5089),R=d(31421),O=d(84368),A=d(14589),$=d(59606);async function g(e,t,n,s,u){const o=t.spec.adaptive;if(!o)return u(n,s.logger);let _=t;const f=new Set,w=y({range:o,initial:t.spec.workers,logger:s.logger,...s.growCooldownMs!==void 0?{growCooldownMs:s.growCooldownMs}:{},scaler:{grow:async b=>(_=await e.scale(_,b,s),_.spec.workers),remove:async b=>{const M=_;_=await e.removeWorkers(_,b,s);const Z=new Set(_.fargate?.workerTaskArns??[]);for(const T of M.fargate?.workerTaskArns??[])Z.has(T)||f.add(T.split("/").pop()??T);for(const T of b)f.add(`${t.clusterId}-${T.name}`);return _.spec.workers}}}),U=n.runsOn==="runner"?k(t,n,w,s):void 0,x=[],L={...s.logger,warn:b=>/ while the job ran$/.test(b)?x.push(b):s.logger.warn(b)};let F;try{F=await u({...n,onOutput:(b,M)=>w.onLine(b)?void 0:n.onOutput?.(b,M)},L)}finally{U?.kill()}const K=await w.stop(),G=b=>[...f].some(M=>b===M||b.includes(` ${M}`)||b.startsWith(`${M} `));for(const b of x)G(b)?s.logger.info(`${b} (retired by the scheduler and removed on purpose)`):s.logger.warn(b);return{...F,stoppedMembers:F.stoppedMembers.filter(b=>!G(b.member)),adaptive:K}}function k(e,t,n,s){const u=e.spec.adaptive??{min:e.spec.workers,max:e.spec.workers},o={...(0,A.F1)(e,t,process.env),...(0,$.L)(u)},_=(0,R.spawn)(s.runnerPython??"python3",["-c",o.DFA_ADAPT_PY??""],{env:o,stdio:["ignore","pipe","pipe"]});_.on("error",w=>s.logger.warn(`adaptive workers: the sidecar did not start (${w.message}); the cluster keeps its size`));const f=w=>{n.onLine(w)||s.logger.debug(`adaptive sidecar: ${w}`)};return _.stdout&&(0,O.S)(_.stdout,f),_.stderr&&(0,O.S)(_.stderr,f),_}var c=d(58182);async function a(e,t,n,s){return g(e,t,n,s,(u,o)=>l(e,t,u,{...s,logger:o}))}async function l(e,t,n,s){if(n.runsOn==="cluster")return e.runJob(t,n,s);const u=await e.watchMembers(t,s);let o;try{o=await(0,A.wO)(t,n,s.signal)}finally{await u.stop()}return{...o,...(0,c.$D)(u)}}var E=d(63100);const P={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function W(e,t,n,s){const u=P[t],o=(f,w)=>f*u.vcpuHour+w/1024*u.gbHour;return(1+(s.jobTask?1:0))*o(e.schedulerCpu,e.schedulerMemory)+(0,E.pK)(e)*o(e.workerCpu,e.workerMemory)+n*P.publicIpv4Hour}const z=(e,t)=>`1 scheduler + ${e.adaptive?`up to ${(0,E.pK)(e)} (adaptive ${e.adaptive.min}-${e.adaptive.max})`:e.workers} workers${t.jobTask?" + 1 job task":""}`;function V(e,t,n,s,u={}){const o=W(e,t,n,u),_=o*(e.maxLifetime/3600),f=s?" (upper bound: Spot workers priced on demand)":"";return{usd:o,maxLifetimeUsd:_,text:`about $${o.toFixed(2)} per hour${f}; at most $${_.toFixed(2)} before the ${q(e.maxLifetime)} max-lifetime ends it`,method:`${z(e,u)}${n>0?` + ${n} public IPv4 addresses`:""} at ${P.source}`}}function Q(e,t,n,s,u,o={}){const _=Math.max(60,Math.ceil(n))/3600,f=P[t],w=(o.replacementSeconds??[]).reduce((K,G)=>K+Math.max(60,Math.ceil(G))/3600,0),U=e.workerCpu*f.vcpuHour+e.workerMemory/1024*f.gbHour+(o.replacementPublicIps?P.publicIpv4Hour:0),x=W(e,t,s,o)*_+U*w,L=`$${x.toFixed(4)}${u?" (upper bound: Spot workers priced on demand)":""}`,F=o.replacementSeconds?.length?` + ${o.replacementSeconds.length} replacement worker(s) \xD7 ${Math.ceil(w*3600)} s in all (min. 60 s each)`:"";return{usd:x,text:L,method:`${z(e,o)} \xD7 ${Math.ceil(n)} s (min. 60 s)${F} at ${P.source}`}}function q(e){const t=e/3600;return Number.isInteger(t)?`${t} h`:`${Math.round(e/60)} min`}var H=d(4353);class B{phases=[];async time(t,n){const s=performance.now();try{return await n()}finally{this.phases.push([t,performance.now()-s])}}toJSON(){return Object.fromEntries(this.phases.map(([t,n])=>[t,Math.round(n)]))}toString(){return this.phases.map(([t,n])=>`${t} ${(n/1e3).toFixed(1)} s`).join(", ")}}var X=d(29641);const J=/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;function r(e){const t=[];for(const n of e){const s=J.exec(n.trim());if(!s)continue;const u=Date.parse(`${s[1]?.replace(" ","T")}.${s[2]}Z`);Number.isNaN(u)||t.push({address:s[3]??"",worker:(s[4]??s[3]??"").trim(),at:u})}return t}function i(e,t){const n=new Map;for(const s of t){const u=s.address.replace(/^[a-z]+:\/\//,"").replace(/:\d+$/,"");for(const o of[s.worker,u])(!n.has(o)||(n.get(o)??0)>s.at)&&n.set(o,s.at)}return{...e,members:e.members.map(s=>{if(s.role!=="worker")return s;const u=n.get(s.member)??(s.address?n.get(s.address):void 0);return u===void 0?s:{...s,registeredAt:u}})}}}),5089:((j,C,d)=>{d.d(C,{J:()=>R,n:()=>p});var h=d(8962),I=d(88246),S=d(66590),y=d(93866),m=d(86935);function p(A,$={}){if(A==="docker")return v({name:"docker",resolve:()=>({backend:"docker"}),plan:a=>(0,h.M)(a,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([d.e(292),d.e(639),d.e(99)]).then(d.bind(d,68099))).dockerEngineVerbs($));const g=$.fargate;if(!g)throw new I.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const k=a=>({ecsCluster:g.ecsCluster??`<created: ${a.clusterId}>`,executionRoleArn:g.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:g.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:g.subnets??["<default VPC subnets>"],securityGroups:g.securityGroups??[S.rJ.securityGroupId],assignPublicIp:g.assignPublicIp??!g.subnets,tlsSecretArn:a.tls?S.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),c=a=>({backend:"fargate",fargate:(0,y.q8)(g,a)});return v({name:"fargate",resolve:c,plan:(a,l)=>(0,S.Kp)(a,R(l??c(a)),k(a))},async()=>(await Promise.all([d.e(149),d.e(639),d.e(171),d.e(786)]).then(d.bind(d,87786))).fargateEngineVerbs(g,$.clients))}function v(A,$){let g;const k=()=>(g??=$().catch(a=>{throw g=void 0,a}),g),c=(a,l)=>{if(l&&l.backend!==A.name)throw new I.am(`a ${l.backend} backend spec was handed to the ${A.name} backend`);return l??A.resolve(a)};return{name:A.name,resolve:A.resolve,validate:a=>{A.resolve(a)},plan:(a,l)=>A.plan(a,c(a,l)),preflight:A.preflight??(async(a,l)=>{const E=c(a,l.backendSpec);return(await k()).preflight(a,E,l)}),up:async(a,l)=>{const E=c(a,l.backendSpec);return(await k()).up(a,E,l)},runJob:async(a,l,E)=>(await k()).runJob(a,l,E),watchMembers:async(a,l)=>(await k()).watchMembers(a,l),scale:async(a,l,E)=>(O(a,l),(await k()).scale(a,l,E)),removeWorkers:async(a,l,E)=>(await k()).removeWorkers(a,l,E),down:async(a,l)=>(await k()).down(a,l),reap:async a=>(await k()).reap(a),logs:async(a,l)=>(await k()).logs(a,l)}}function R(A){if(A.backend!=="fargate")throw new I.am(`a ${A.backend} backend spec was handed to the fargate backend`);return A.fargate}function O(A,$){(0,m.i)({...A.spec,workers:$,allowUnboundedCost:A.spec.allowUnboundedCost??!1})}}),8962:((j,C,d)=>{d.d(C,{M:()=>m,q:()=>y});var h=d(53145),I=d(42628),S=d(89401);function y(p,v,R,O){return{role:"worker",name:S.Dy.worker(p.clusterId,O),command:(0,h.y2)(p,R,`worker-${O}`),cpu:p.workerCpu,memoryMiB:p.workerMemory,environment:p.environment,createdAt:v.createdAt,expiresAt:v.expiresAt}}function m(p,v){const R=`${p.tls?"tls":"tcp"}://${S.Dy.scheduler(p.clusterId)}:${h.Q9}`;return{backend:"docker",clusterId:p.clusterId,network:{name:S.Dy.network(p.clusterId),driver:"bridge",labels:(0,I.EC)(p.clusterId,v.createdAt,v.expiresAt,p.labels)},scheduler:{role:"scheduler",name:S.Dy.scheduler(p.clusterId),command:(0,h.hx)(p),cpu:p.schedulerCpu,memoryMiB:p.schedulerMemory,environment:p.environment,createdAt:v.createdAt,expiresAt:v.expiresAt,publish:!0},workers:Array.from({length:p.workers},(O,A)=>y(p,v,R,A)),schedulerAddress:R,publishedPorts:[h.Q9,h.r2],tls:p.tls}}}),89401:((j,C,d)=>{d.d(C,{Dy:()=>p,Mn:()=>A,aR:()=>R,bi:()=>v,w$:()=>O});var h=d(57075),I=d(36474),S=d(53145),y=d(42628),m=d(84368);const p={network:g=>g,scheduler:g=>`${g}-scheduler`,worker:(g,k)=>`${g}-worker-${k}`,job:(g,k)=>`${g}-job-${k}`};async function v(g,k,c){const a=[`${S.Q9}/tcp`,`${S.r2}/tcp`];return g.createContainer({name:c.name,Image:k.image,Cmd:[...c.command],Env:Object.entries(c.environment).map(([l,E])=>`${l}=${E}`),Labels:(0,y.EC)(k.clusterId,c.createdAt,c.expiresAt,k.labels,c.role),...c.workingDir?{WorkingDir:c.workingDir}:{},...c.publish?{ExposedPorts:Object.fromEntries(a.map(l=>[l,{}]))}:{},HostConfig:{NetworkMode:p.network(k.clusterId),NanoCpus:Math.round(c.cpu*1e9),Memory:c.memoryMiB*1024*1024,MemorySwap:c.memoryMiB*1024*1024,...c.binds?{Binds:[...c.binds]}:{},...c.tmpfs&&Object.keys(c.tmpfs).length>0?{Tmpfs:{...c.tmpfs}}:{},...c.publish?{PortBindings:Object.fromEntries(a.map(l=>[l,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function R(g,k){const c=(0,I.pack)(),a=[];c.on("data",P=>a.push(P));const l=new Promise((P,W)=>{c.on("end",P),c.on("error",W)}),E=S.Qy.replace(/^\/tmp\//,"");c.entry({name:`${E}/`,type:"directory",mode:493}),c.entry({name:`${E}/${S.qJ.ca}`,mode:292},k.ca),c.entry({name:`${E}/${S.qJ.cert}`,mode:292},k.cert),c.entry({name:`${E}/${S.qJ.key}`,mode:292},k.key),c.finalize(),await l,await g.putArchive(Buffer.concat(a),{path:"/tmp"})}async function O(g,k=15){try{const c=await g.logs({stdout:!0,stderr:!0,tail:k}),a=new h.PassThrough,l=[],E=(0,m.S)(a,P=>{P.trimEnd()!==""&&l.push(P.trimEnd())});return await $(g.modem,h.Readable.from([c]),a,a),a.end(),await E,l}catch{return[]}}async function A(g,k,c){const a=new h.PassThrough,l=new h.PassThrough,E=Promise.all([(0,m.S)(a,P=>c(P,"stdout")),(0,m.S)(l,P=>c(P,"stderr"))]);await $(g.modem,k,a,l),a.end(),l.end(),await E}function $(g,k,c,a){return new Promise(l=>{k.on("end",()=>l()),k.on("close",()=>l()),k.on("error",()=>l()),g.demuxStream(k,c,a)})}}),66590:((j,C,d)=>{d.d(C,{D8:()=>g,rJ:()=>c,Dd:()=>a,xS:()=>l,Kp:()=>V,dY:()=>H,zb:()=>B});var h=d(53145),I=d(42628),S=d(31301),y=d(81451);const m=String.raw`def sha256_hex(data):
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
`,p=String.raw`
import datetime, hashlib, hmac, json, os, random, sys, time, urllib.error, urllib.parse, urllib.request

${m}
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
`,v="DFA_FIND_SCHEDULER";function R(r,i){return["sh","-c",`exec "$0" -c "$${v}" "$@"`,r,...i]}function O(r,i,e,t){return{DFA_SCHEDULER_TASK:r,DFA_ECS_CLUSTER:i,DFA_SCHEDULER_PROTOCOL:e,DFA_SCHEDULER_PORT:String(t)}}const A=String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

${m}
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
`,$=10,g="outputs",k="<attempt token>",c={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>",schedulerTaskArn:"<created: scheduler task>"};function a(r,i){const e=Object.entries(i).flatMap(([n,s])=>s===void 0?[]:[[c[n],s]]),t=n=>typeof n=="string"?e.reduce((s,[u,o])=>s.split(u).join(o),n):Array.isArray(n)?n.map(t):n&&typeof n=="object"?Object.fromEntries(Object.entries(n).map(([s,u])=>[s,t(u)])):n;return t(r)}function l(r,i,e){return{ecsCluster:r.ecsCluster,executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,subnets:r.subnets,securityGroups:r.securityGroups,assignPublicIp:r.assignPublicIp,tlsSecretArn:r.tlsSecretArn,createdAt:i,expiresAt:e}}function E(r){return Object.entries(r).map(([i,e])=>({key:i,value:e}))}function P(r){return Object.entries(r).map(([i,e])=>({Key:i,Value:e}))}const W=["umask 077",`mkdir -p ${h.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${h.Qy}/${h.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${h.Qy}/${h.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${h.Qy}/${h.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function z(r,i){return r.tls?["sh","-c",W,"sh",...i]:[...i]}function V(r,i,e){const t=(0,I.EC)(r.clusterId,e.createdAt,e.expiresAt,r.labels),n=y.P.logGroup(r.clusterId),s=[...i.clientCidr?[i.clientCidr]:[],...i.allowPublicIngress?["0.0.0.0/0"]:[]],u=o=>{const _=o==="worker"?i.workerSize:i.schedulerSize,f=o==="job"&&i.outputUri?(0,S.V6)(i.outputUri):void 0,w=o==="scheduler"?(0,h.hx)(r):o==="worker"?(0,h.y2)(r,"scheduler-address-set-per-run"):(0,h.pi)(r,{uploadOutputs:f!==void 0}),U=[...Object.entries(i.secrets).map(([x,L])=>({name:x,valueFrom:L})),...e.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${e.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${e.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${e.tlsSecretArn}:key::`}]:[],...e.tlsSecretArn&&f?[{name:"DFA_OUTPUT_KEY",valueFrom:`${e.tlsSecretArn}:${g}::`}]:[]];return{family:y.P.family(r.clusterId,o),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(_.cpu),memory:String(_.memory),runtimePlatform:{cpuArchitecture:i.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,...i.ephemeralStorage?{ephemeralStorage:{sizeInGiB:i.ephemeralStorage}}:{},containerDefinitions:[{name:y.P.container,image:r.image,essential:!0,memory:_.memory,command:z(r,w),environment:[{name:"TINI_SUBREAPER",value:"1"},...o==="worker"?[{name:v,value:p}]:[],...Object.entries(r.environment).map(([x,L])=>({name:x,value:L})),...f?[{name:"DFA_UPLOAD_OUTPUTS",value:A},{name:"DFA_OUTPUT_BUCKET",value:f.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,S.Pr)(f,r.clusterId,e.outputToken??k)},{name:"DFA_OUTPUT_CLUSTER",value:r.clusterId},{name:"DFA_OUTPUT_TOKEN",value:e.outputToken??k}]:[]],...U.length>0?{secrets:U}:{},...o==="scheduler"?{portMappings:[h.Q9,h.r2].map(x=>({containerPort:x,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":n,"awslogs-region":i.region,"awslogs-stream-prefix":o}}}],tags:E({...t,"io.dask-fargate-action.role":o})}};return{backend:"fargate",clusterId:r.clusterId,region:i.region,createCluster:i.ecsCluster?void 0:{clusterName:y.P.ecsCluster(r.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:E(t),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:n,retentionInDays:i.logRetentionDays,tags:t},securityGroup:i.securityGroups?void 0:{name:y.P.securityGroup(r.clusterId),description:`dask-fargate-action cluster ${r.clusterId}: members reach each other on all TCP ports`,vpcId:e.vpcId??"<the subnets' VPC>",clientCidrs:s,clientPorts:{from:h.Q9,to:i.openDashboard?h.r2:h.Q9},tags:P({...t,Name:y.P.securityGroup(r.clusterId)}),ingress:Q(c.securityGroupId,s,{from:h.Q9,to:i.openDashboard?h.r2:h.Q9})},tlsSecret:r.tls?{name:y.P.tlsSecret(r.clusterId),description:`dask-fargate-action: TLS files of cluster ${r.clusterId}; deleted with the cluster`,tags:P(t)}:void 0,taskDefinitions:{scheduler:u("scheduler"),worker:u("worker"),job:u("job")},schedulerRun:H(r,i,e,"scheduler",1,`${r.clusterId}-scheduler`,void 0,!1),workerRuns:e.schedulerLookup==="workers-find-it"?X(r,i,e):B(r,i,e,c.schedulerAddress,0,r.workers,i.spotWorkers),schedulerLookup:e.schedulerLookup??"after-ip",workerFallback:i.spotWorkers?"on-demand":"none",tags:t}}function Q(r,i,e){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:r,Description:"cluster members: Dask and XGBoost"}]},...i.length>0?[{IpProtocol:"tcp",FromPort:e.from,ToPort:e.to,IpRanges:i.map(t=>({CidrIp:t,Description:e.to>e.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function q(r){const i=(o,_)=>(f,w)=>({operation:f,input:w,stage:o,lane:_}),e=i(1,"ecs cluster"),t=i(1,"log group"),n=i(1,"security group"),s=i(1,"secret and task definitions"),u=r.schedulerLookup==="workers-find-it"?i(2,"workers"):i(3,"workers");return[...r.createCluster?[e("ecs:CreateCluster",r.createCluster)]:[],t("logs:CreateLogGroup",{logGroupName:r.logGroup.name,tags:r.logGroup.tags}),t("logs:PutRetentionPolicy",{logGroupName:r.logGroup.name,retentionInDays:r.logGroup.retentionInDays}),...r.securityGroup?[n("ec2:CreateSecurityGroup",{GroupName:r.securityGroup.name,Description:r.securityGroup.description,VpcId:r.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:r.securityGroup.tags}]}),n("ec2:AuthorizeSecurityGroupIngress",{GroupId:c.securityGroupId,IpPermissions:r.securityGroup.ingress})]:[],...r.tlsSecret?[s("secretsmanager:CreateSecret",{Name:r.tlsSecret.name,Description:r.tlsSecret.description,Tags:r.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(o=>s("ecs:RegisterTaskDefinition",r.taskDefinitions[o])),i(2,"scheduler")("ecs:RunTask",r.schedulerRun),...r.workerRuns.map(o=>u("ecs:RunTask",o))]}function H(r,i,e,t,n,s,u,o,_={}){const f=Object.entries(_).map(([w,U])=>({name:w,value:U}));return{cluster:e.ecsCluster,taskDefinition:y.P.family(r.clusterId,t),count:n,clientToken:s,startedBy:r.clusterId,...o?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:i.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...e.subnets],securityGroups:[...e.securityGroups],assignPublicIp:e.assignPublicIp?"ENABLED":"DISABLED"}},...u||f.length>0?{overrides:{containerOverrides:[{name:y.P.container,...u?{command:z(r,u)}:{},...f.length>0?{environment:f}:{}}]}}:{},tags:E({...(0,I.EC)(r.clusterId,e.createdAt,e.expiresAt,r.labels),"io.dask-fargate-action.role":t}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function B(r,i,e,t,n,s,u){return J(r,i,e,n,s,u,(0,h.y2)(r,t))}function X(r,i,e){const t=O(c.schedulerTaskArn,e.ecsCluster,r.tls?"tls":"tcp",h.Q9),n=R(r.python,(0,h.y2)(r,void 0));return J(r,i,e,0,r.workers,i.spotWorkers,n,t)}function J(r,i,e,t,n,s,u,o={}){const _=[];for(let f=t;f<t+n;f+=$){const w=Math.min($,t+n-f),U=`${r.clusterId}-w${f}-${w}${s?"-spot":""}`;_.push(H(r,i,e,"worker",w,U,u,s,o))}return _}}),4353:((j,C,d)=>{d.d(C,{q:()=>h});const h={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((j,C,d)=>{d.d(C,{R:()=>I});var h=d(37067);function I(S,y=5e3){return new Promise(m=>{const p=(0,h.get)(`${S.replace(/\/$/,"")}/json/identity.json`,{timeout:y},v=>{let R="";v.setEncoding("utf8"),v.on("data",O=>{R+=O}),v.on("end",()=>{if(v.statusCode!==200)return m(void 0);try{const O=JSON.parse(R);m(Object.keys(O.workers??{}).length)}catch{m(void 0)}}),v.on("error",()=>m(void 0))});p.on("timeout",()=>p.destroy()),p.on("error",()=>m(void 0))})}}),58182:((j,C,d)=>{d.d(C,{$D:()=>S,I0:()=>I,XG:()=>h});function h(y){if(y.stopCode==="UserInitiated")return"stopped with StopTask";if(y.exitCode===0&&y.stopCode!=="SpotInterruption"&&y.stopCode!=="TerminationNotice")return"exited with code 0: the scheduler closed it"}class I{limit;logger;stopped=[];replacements=[];unreplaced=[];granted=0;constructor(m,p){this.limit=m,this.logger=p}lost(m){if(this.stopped.push({member:m.member,exitCode:m.exitCode,reason:m.reason}),m.onPurpose)return this.logger.info(`${m.member} stopped on purpose (${m.onPurpose}); not replaced`),!1;const p=[m.stopCode,m.reason].filter(Boolean).join(": ");return this.logger.warn(`${m.member} stopped (exit code ${m.exitCode??"unknown"}${p?`, ${p}`:""}) while the job ran`),m.worker?this.granted>=this.limit?(this.unreplaced.push(m.member),this.logger.warn(`${m.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`),!1):(this.granted++,!0):!1}failed(m,p){this.granted--,this.logger.warn(`could not replace ${m}: ${p instanceof Error?p.message:String(p)}`)}replaced(m){this.replacements.push(m);const p=m.capacity?` on ${m.capacity}`:"";this.logger.warn(`replaced ${m.member} with ${m.replacement}${p} (${this.replacements.length}/${this.limit})`)}watch(m){return{stopped:this.stopped,replacements:this.replacements,unreplaced:this.unreplaced,stop:m}}}function S(y){return{stoppedMembers:[...y.stopped],...y.replacements&&y.replacements.length>0?{replacements:[...y.replacements]}:{},...y.unreplaced&&y.unreplaced.length>0?{unreplaced:[...y.unreplaced]}:{}}}})};export{ee as id,re as ids,te as modules};
