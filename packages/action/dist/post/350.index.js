const ie=350,de=[350],ue={72350:((Q,L,d)=>{d.r(L),d.d(L,{FARGATE_PRICES:()=>j,PhaseTimer:()=>v,countWorkers:()=>C.R,createBackend:()=>T,estimateFargateCost:()=>u,formatTimeline:()=>m,hourlyFargateCost:()=>i,parseRegistrations:()=>x,runClusterJob:()=>ne,silentLogger:()=>w.q,withRegistrations:()=>O});const p="dask-fargate-adapt: ",M=t=>typeof t=="string"?t:"";function I(t){const o=t.indexOf(p);if(o<0||o>64)return;let s;try{s=JSON.parse(t.slice(o+p.length))}catch{return}if(typeof s!="object"||s===null)return;const r=s;if(Array.isArray(r.retired))return{kind:"retired",retired:r.retired.filter(_=>typeof _=="object"&&_!==null).map(_=>({address:M(_.address),name:M(_.name),host:M(_.host)})).filter(_=>_.address!=="")};const n=r.target,a=r.workers;if(typeof n=="number"&&Number.isInteger(n)&&n>=0&&typeof a=="number"&&Number.isInteger(a)&&a>=0)return{kind:"target",target:n,workers:a}}function h(t){const o=t.now??Date.now,{min:s,max:r}=t.range,n=o(),a=[{atSeconds:0,workers:t.initial}],f=[],_=new Set;let D=t.initial,X=0,K=0,Y=Promise.resolve(),W=!1,Z=Number.NEGATIVE_INFINITY,V=!1;const A=E=>{D=E;const R=(o()-n)/1e3,B=a[a.length-1];B&&B.workers===E||a.push({atSeconds:R,workers:E})},G=(E,R)=>{Y=Y.then(R).catch(B=>{const re=`${E} failed: ${B instanceof Error?B.message:String(B)}`;f.push(re),t.logger.warn(`adaptive workers: ${re}; the job goes on with ${D} workers`)})},oe=E=>{if(!V){if(E.kind==="target"){const R=Math.max(s,Math.min(r,E.target));if(R<=D||W||o()-Z<(t.growCooldownMs??1e4))return;W=!0;const B=D;G(`growing to ${R} workers`,async()=>{try{t.logger.info(`adaptive workers: the scheduler's target is ${E.target}; growing from ${D} to ${R} workers`),A(R),A(await t.scaler.grow(R).catch(re=>{throw A(B),re})),X+=1}finally{W=!1,Z=o()}});return}if(E.retired.length!==0){for(const R of E.retired)_.add(R.name);G(`removing ${E.retired.length} retired worker(s)`,async()=>{t.logger.info(`adaptive workers: the scheduler retired ${E.retired.map(R=>R.name).join(", ")}; removing their members`),A(await t.scaler.remove(E.retired)),K+=E.retired.length})}}};return{retiring:_,onLine(E){const R=I(E);return R?(oe(R),!0):!1},async stop(){V=!0,await Y;const E=(o()-n)/1e3;return{min:s,max:r,peak:Math.max(...a.map(R=>R.workers)),timeline:a,workerSeconds:l(a,E),scaleUps:X,retired:K,failures:f}}}}function l(t,o){let s=0;for(const[r,n]of t.entries()){const a=t[r+1]?.atSeconds??o;s+=n.workers*Math.max(0,a-n.atSeconds)}return Math.round(s*10)/10}function m(t){return t.timeline.map(o=>`${Math.round(o.atSeconds)} s: ${o.workers}`).join(", ")}var S=d(8962),N=d(88246),U=d(66590),H=d(93866),z=d(86935);function T(t,o={}){if(t==="docker")return y({name:"docker",validate:()=>{},plan:n=>(0,S.M)(n,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([d.e(292),d.e(639),d.e(99)]).then(d.bind(d,68099))).dockerEngineVerbs(o));const s=o.fargate;if(!s)throw new N.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const r=n=>({ecsCluster:s.ecsCluster??`<created: ${n.clusterId}>`,executionRoleArn:s.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:s.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:s.subnets??["<default VPC subnets>"],securityGroups:s.securityGroups??[U.rJ.securityGroupId],assignPublicIp:s.assignPublicIp??!s.subnets,tlsSecretArn:n.tls?U.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return y({name:"fargate",validate:n=>{(0,H.q8)(s,n)},plan:n=>(0,U.Kp)(n,(0,H.q8)(s,n),r(n))},async()=>(await Promise.all([d.e(149),d.e(639),d.e(171),d.e(786)]).then(d.bind(d,87786))).fargateEngineVerbs(s,o.clients))}function y(t,o){let s;const r=()=>(s??=o().catch(n=>{throw s=void 0,n}),s);return{name:t.name,validate:t.validate,plan:t.plan,preflight:t.preflight??(async(n,a)=>(await r()).preflight(n,a)),up:async(n,a)=>(await r()).up(n,a),runJob:async(n,a,f)=>(await r()).runJob(n,a,f),watchMembers:async(n,a)=>(await r()).watchMembers(n,a),scale:async(n,a,f)=>(c(n,a),(await r()).scale(n,a,f)),removeWorkers:async(n,a,f)=>(await r()).removeWorkers(n,a,f),down:async(n,a)=>(await r()).down(n,a),reap:async n=>(await r()).reap(n),logs:async(n,a)=>(await r()).logs(n,a)}}function c(t,o){(0,z.i)({...t.spec,workers:o,allowUnboundedCost:t.spec.allowUnboundedCost??!1})}var P=d(31421),b=d(84368),$=d(14589),F=d(59606);async function q(t,o,s,r,n){const a=o.spec.adaptive;if(!a)return n(s,r.logger);let f=o;const _=new Set,D=h({range:a,initial:o.spec.workers,logger:r.logger,...r.growCooldownMs!==void 0?{growCooldownMs:r.growCooldownMs}:{},scaler:{grow:async A=>(f=await t.scale(f,A,r),f.spec.workers),remove:async A=>{const G=f;f=await t.removeWorkers(f,A,r);const oe=new Set(f.fargate?.workerTaskArns??[]);for(const E of G.fargate?.workerTaskArns??[])oe.has(E)||_.add(E.split("/").pop()??E);for(const E of A)_.add(`${o.clusterId}-${E.name}`);return f.spec.workers}}}),X=s.runsOn==="runner"?ee(o,s,D,r):void 0,K=[],Y={...r.logger,warn:A=>/ while the job ran$/.test(A)?K.push(A):r.logger.warn(A)};let W;try{W=await n({...s,onOutput:(A,G)=>D.onLine(A)?void 0:s.onOutput?.(A,G)},Y)}finally{X?.kill()}const Z=await D.stop(),V=A=>[..._].some(G=>A===G||A.includes(` ${G}`)||A.startsWith(`${G} `));for(const A of K)V(A)?r.logger.info(`${A} (retired by the scheduler and removed on purpose)`):r.logger.warn(A);return{...W,stoppedMembers:W.stoppedMembers.filter(A=>!V(A.member)),adaptive:Z}}function ee(t,o,s,r){const n=t.spec.adaptive??{min:t.spec.workers,max:t.spec.workers},a={...(0,$.F1)(t,o,process.env),...(0,F.L)(n)},f=(0,P.spawn)(r.runnerPython??"python3",["-c",a.DFA_ADAPT_PY??""],{env:a,stdio:["ignore","pipe","pipe"]});f.on("error",D=>r.logger.warn(`adaptive workers: the sidecar did not start (${D.message}); the cluster keeps its size`));const _=D=>{s.onLine(D)||r.logger.debug(`adaptive sidecar: ${D}`)};return f.stdout&&(0,b.S)(f.stdout,_),f.stderr&&(0,b.S)(f.stderr,_),f}var se=d(58182);async function ne(t,o,s,r){return q(t,o,s,r,(n,a)=>ae(t,o,n,{...r,logger:a}))}async function ae(t,o,s,r){if(s.runsOn==="cluster")return t.runJob(o,s,r);const n=await t.watchMembers(o,r);let a;try{a=await(0,$.wO)(o,s,r.signal)}finally{await n.stop()}return{...a,...(0,se.$D)(n)}}var J=d(63100);const j={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function te(t,o,s,r){const n=j[o],a=(_,D)=>_*n.vcpuHour+D/1024*n.gbHour;return(1+(r.jobTask?1:0))*a(t.schedulerCpu,t.schedulerMemory)+(0,J.pK)(t)*a(t.workerCpu,t.workerMemory)+s*j.publicIpv4Hour}const e=(t,o)=>`1 scheduler + ${t.adaptive?`up to ${(0,J.pK)(t)} (adaptive ${t.adaptive.min}-${t.adaptive.max})`:t.workers} workers${o.jobTask?" + 1 job task":""}`;function i(t,o,s,r,n={}){const a=te(t,o,s,n),f=a*(t.maxLifetime/3600),_=r?" (upper bound: Spot workers priced on demand)":"";return{usd:a,maxLifetimeUsd:f,text:`about $${a.toFixed(2)} per hour${_}; at most $${f.toFixed(2)} before the ${k(t.maxLifetime)} max-lifetime ends it`,method:`${e(t,n)}${s>0?` + ${s} public IPv4 addresses`:""} at ${j.source}`}}function u(t,o,s,r,n,a={}){const f=Math.max(60,Math.ceil(s))/3600,_=j[o],D=(a.replacementSeconds??[]).reduce((Z,V)=>Z+Math.max(60,Math.ceil(V))/3600,0),X=t.workerCpu*_.vcpuHour+t.workerMemory/1024*_.gbHour+(a.replacementPublicIps?j.publicIpv4Hour:0),K=te(t,o,r,a)*f+X*D,Y=`$${K.toFixed(4)}${n?" (upper bound: Spot workers priced on demand)":""}`,W=a.replacementSeconds?.length?` + ${a.replacementSeconds.length} replacement worker(s) \xD7 ${Math.ceil(D*3600)} s in all (min. 60 s each)`:"";return{usd:K,text:Y,method:`${e(t,a)} \xD7 ${Math.ceil(s)} s (min. 60 s)${W} at ${j.source}`}}function k(t){const o=t/3600;return Number.isInteger(o)?`${o} h`:`${Math.round(t/60)} min`}var w=d(4353);class v{phases=[];async time(o,s){const r=performance.now();try{return await s()}finally{this.phases.push([o,performance.now()-r])}}toJSON(){return Object.fromEntries(this.phases.map(([o,s])=>[o,Math.round(s)]))}toString(){return this.phases.map(([o,s])=>`${o} ${(s/1e3).toFixed(1)} s`).join(", ")}}var C=d(29641);const g=/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;function x(t){const o=[];for(const s of t){const r=g.exec(s.trim());if(!r)continue;const n=Date.parse(`${r[1]?.replace(" ","T")}.${r[2]}Z`);Number.isNaN(n)||o.push({address:r[3]??"",worker:(r[4]??r[3]??"").trim(),at:n})}return o}function O(t,o){const s=new Map;for(const r of o){const n=r.address.replace(/^[a-z]+:\/\//,"").replace(/:\d+$/,"");for(const a of[r.worker,n])(!s.has(a)||(s.get(a)??0)>r.at)&&s.set(a,r.at)}return{...t,members:t.members.map(r=>{if(r.role!=="worker")return r;const n=s.get(r.member)??(r.address?s.get(r.address):void 0);return n===void 0?r:{...r,registeredAt:n}})}}}),8962:((Q,L,d)=>{d.d(L,{M:()=>l,q:()=>h});var p=d(53145),M=d(42628),I=d(89401);function h(m,S,N,U){return{role:"worker",name:I.Dy.worker(m.clusterId,U),command:(0,p.y2)(m,N,`worker-${U}`),cpu:m.workerCpu,memoryMiB:m.workerMemory,environment:m.environment,createdAt:S.createdAt,expiresAt:S.expiresAt}}function l(m,S){const N=`${m.tls?"tls":"tcp"}://${I.Dy.scheduler(m.clusterId)}:${p.Q9}`;return{backend:"docker",clusterId:m.clusterId,network:{name:I.Dy.network(m.clusterId),driver:"bridge",labels:(0,M.EC)(m.clusterId,S.createdAt,S.expiresAt,m.labels)},scheduler:{role:"scheduler",name:I.Dy.scheduler(m.clusterId),command:(0,p.hx)(m),cpu:m.schedulerCpu,memoryMiB:m.schedulerMemory,environment:m.environment,createdAt:S.createdAt,expiresAt:S.expiresAt,publish:!0},workers:Array.from({length:m.workers},(U,H)=>h(m,S,N,H)),schedulerAddress:N,publishedPorts:[p.Q9,p.r2],tls:m.tls}}}),89401:((Q,L,d)=>{d.d(L,{Dy:()=>m,Mn:()=>H,aR:()=>N,bi:()=>S,w$:()=>U});var p=d(57075),M=d(36474),I=d(53145),h=d(42628),l=d(84368);const m={network:T=>T,scheduler:T=>`${T}-scheduler`,worker:(T,y)=>`${T}-worker-${y}`,job:(T,y)=>`${T}-job-${y}`};async function S(T,y,c){const P=[`${I.Q9}/tcp`,`${I.r2}/tcp`];return T.createContainer({name:c.name,Image:y.image,Cmd:[...c.command],Env:Object.entries(c.environment).map(([b,$])=>`${b}=${$}`),Labels:(0,h.EC)(y.clusterId,c.createdAt,c.expiresAt,y.labels,c.role),...c.workingDir?{WorkingDir:c.workingDir}:{},...c.publish?{ExposedPorts:Object.fromEntries(P.map(b=>[b,{}]))}:{},HostConfig:{NetworkMode:m.network(y.clusterId),NanoCpus:Math.round(c.cpu*1e9),Memory:c.memoryMiB*1024*1024,MemorySwap:c.memoryMiB*1024*1024,...c.binds?{Binds:[...c.binds]}:{},...c.tmpfs&&Object.keys(c.tmpfs).length>0?{Tmpfs:{...c.tmpfs}}:{},...c.publish?{PortBindings:Object.fromEntries(P.map(b=>[b,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function N(T,y){const c=(0,M.pack)(),P=[];c.on("data",F=>P.push(F));const b=new Promise((F,q)=>{c.on("end",F),c.on("error",q)}),$=I.Qy.replace(/^\/tmp\//,"");c.entry({name:`${$}/`,type:"directory",mode:493}),c.entry({name:`${$}/${I.qJ.ca}`,mode:292},y.ca),c.entry({name:`${$}/${I.qJ.cert}`,mode:292},y.cert),c.entry({name:`${$}/${I.qJ.key}`,mode:292},y.key),c.finalize(),await b,await T.putArchive(Buffer.concat(P),{path:"/tmp"})}async function U(T,y=15){try{const c=await T.logs({stdout:!0,stderr:!0,tail:y}),P=new p.PassThrough,b=[],$=(0,l.S)(P,F=>{F.trimEnd()!==""&&b.push(F.trimEnd())});return await z(T.modem,p.Readable.from([c]),P,P),P.end(),await $,b}catch{return[]}}async function H(T,y,c){const P=new p.PassThrough,b=new p.PassThrough,$=Promise.all([(0,l.S)(P,F=>c(F,"stdout")),(0,l.S)(b,F=>c(F,"stderr"))]);await z(T.modem,y,P,b),P.end(),b.end(),await $}function z(T,y,c,P){return new Promise(b=>{y.on("end",()=>b()),y.on("close",()=>b()),y.on("error",()=>b()),T.demuxStream(y,c,P)})}}),66590:((Q,L,d)=>{d.d(L,{D8:()=>T,rJ:()=>c,Dd:()=>P,xS:()=>b,Kp:()=>se,dY:()=>J,zb:()=>j});var p=d(53145),M=d(42628),I=d(31301),h=d(81451);const l=String.raw`def sha256_hex(data):
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
`,m=String.raw`
import datetime, hashlib, hmac, json, os, random, sys, time, urllib.error, urllib.parse, urllib.request

${l}
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
`,S="DFA_FIND_SCHEDULER";function N(e,i){return["sh","-c",`exec "$0" -c "$${S}" "$@"`,e,...i]}function U(e,i,u,k){return{DFA_SCHEDULER_TASK:e,DFA_ECS_CLUSTER:i,DFA_SCHEDULER_PROTOCOL:u,DFA_SCHEDULER_PORT:String(k)}}const H=String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

${l}
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
`,z=10,T="outputs",y="<attempt token>",c={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>",schedulerTaskArn:"<created: scheduler task>"};function P(e,i){const u=Object.entries(i).flatMap(([w,v])=>v===void 0?[]:[[c[w],v]]),k=w=>typeof w=="string"?u.reduce((v,[C,g])=>v.split(C).join(g),w):Array.isArray(w)?w.map(k):w&&typeof w=="object"?Object.fromEntries(Object.entries(w).map(([v,C])=>[v,k(C)])):w;return k(e)}function b(e,i,u){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:i,expiresAt:u}}function $(e){return Object.entries(e).map(([i,u])=>({key:i,value:u}))}function F(e){return Object.entries(e).map(([i,u])=>({Key:i,Value:u}))}const q=["umask 077",`mkdir -p ${p.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${p.Qy}/${p.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${p.Qy}/${p.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${p.Qy}/${p.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function ee(e,i){return e.tls?["sh","-c",q,"sh",...i]:[...i]}function se(e,i,u){const k=(0,M.EC)(e.clusterId,u.createdAt,u.expiresAt,e.labels),w=h.P.logGroup(e.clusterId),v=[...i.clientCidr?[i.clientCidr]:[],...i.allowPublicIngress?["0.0.0.0/0"]:[]],C=g=>{const x=g==="worker"?i.workerSize:i.schedulerSize,O=g==="job"&&i.outputUri?(0,I.V6)(i.outputUri):void 0,t=g==="scheduler"?(0,p.hx)(e):g==="worker"?(0,p.y2)(e,"scheduler-address-set-per-run"):(0,p.pi)(e,{uploadOutputs:O!==void 0}),o=[...Object.entries(i.secrets).map(([s,r])=>({name:s,valueFrom:r})),...u.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${u.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${u.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${u.tlsSecretArn}:key::`}]:[],...u.tlsSecretArn&&O?[{name:"DFA_OUTPUT_KEY",valueFrom:`${u.tlsSecretArn}:${T}::`}]:[]];return{family:h.P.family(e.clusterId,g),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(x.cpu),memory:String(x.memory),runtimePlatform:{cpuArchitecture:i.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:u.executionRoleArn,taskRoleArn:u.taskRoleArn,...i.ephemeralStorage?{ephemeralStorage:{sizeInGiB:i.ephemeralStorage}}:{},containerDefinitions:[{name:h.P.container,image:e.image,essential:!0,memory:x.memory,command:ee(e,t),environment:[{name:"TINI_SUBREAPER",value:"1"},...g==="worker"?[{name:S,value:m}]:[],...Object.entries(e.environment).map(([s,r])=>({name:s,value:r})),...O?[{name:"DFA_UPLOAD_OUTPUTS",value:H},{name:"DFA_OUTPUT_BUCKET",value:O.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,I.Pr)(O,e.clusterId,u.outputToken??y)},{name:"DFA_OUTPUT_CLUSTER",value:e.clusterId},{name:"DFA_OUTPUT_TOKEN",value:u.outputToken??y}]:[]],...o.length>0?{secrets:o}:{},...g==="scheduler"?{portMappings:[p.Q9,p.r2].map(s=>({containerPort:s,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":w,"awslogs-region":i.region,"awslogs-stream-prefix":g}}}],tags:$({...k,"io.dask-fargate-action.role":g})}};return{backend:"fargate",clusterId:e.clusterId,region:i.region,createCluster:i.ecsCluster?void 0:{clusterName:h.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:$(k),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:w,retentionInDays:i.logRetentionDays,tags:k},securityGroup:i.securityGroups?void 0:{name:h.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:u.vpcId??"<the subnets' VPC>",clientCidrs:v,clientPorts:{from:p.Q9,to:i.openDashboard?p.r2:p.Q9},tags:F({...k,Name:h.P.securityGroup(e.clusterId)}),ingress:ne(c.securityGroupId,v,{from:p.Q9,to:i.openDashboard?p.r2:p.Q9})},tlsSecret:e.tls?{name:h.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:F(k)}:void 0,taskDefinitions:{scheduler:C("scheduler"),worker:C("worker"),job:C("job")},schedulerRun:J(e,i,u,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),workerRuns:u.schedulerLookup==="workers-find-it"?te(e,i,u):j(e,i,u,c.schedulerAddress,0,e.workers,i.spotWorkers),schedulerLookup:u.schedulerLookup??"after-ip",workerFallback:i.spotWorkers?"on-demand":"none",tags:k}}function ne(e,i,u){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...i.length>0?[{IpProtocol:"tcp",FromPort:u.from,ToPort:u.to,IpRanges:i.map(k=>({CidrIp:k,Description:u.to>u.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function ae(e){const i=(g,x)=>(O,t)=>({operation:O,input:t,stage:g,lane:x}),u=i(1,"ecs cluster"),k=i(1,"log group"),w=i(1,"security group"),v=i(1,"secret and task definitions"),C=e.schedulerLookup==="workers-find-it"?i(2,"workers"):i(3,"workers");return[...e.createCluster?[u("ecs:CreateCluster",e.createCluster)]:[],k("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),k("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[w("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),w("ec2:AuthorizeSecurityGroupIngress",{GroupId:c.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[v("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(g=>v("ecs:RegisterTaskDefinition",e.taskDefinitions[g])),i(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(g=>C("ecs:RunTask",g))]}function J(e,i,u,k,w,v,C,g,x={}){const O=Object.entries(x).map(([t,o])=>({name:t,value:o}));return{cluster:u.ecsCluster,taskDefinition:h.P.family(e.clusterId,k),count:w,clientToken:v,startedBy:e.clusterId,...g?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:i.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...u.subnets],securityGroups:[...u.securityGroups],assignPublicIp:u.assignPublicIp?"ENABLED":"DISABLED"}},...C||O.length>0?{overrides:{containerOverrides:[{name:h.P.container,...C?{command:ee(e,C)}:{},...O.length>0?{environment:O}:{}}]}}:{},tags:$({...(0,M.EC)(e.clusterId,u.createdAt,u.expiresAt,e.labels),"io.dask-fargate-action.role":k}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function j(e,i,u,k,w,v,C){const g=[];for(let x=w;x<w+v;x+=z){const O=Math.min(z,w+v-x),t=(0,p.y2)(e,k);g.push(J(e,i,u,"worker",O,`${e.clusterId}-w${x}-${O}${C?"-spot":""}`,t,C))}return g}function te(e,i,u){const k=[],w=i.spotWorkers,v=U(c.schedulerTaskArn,u.ecsCluster,e.tls?"tls":"tcp",p.Q9),C=N(e.python,(0,p.y2)(e,void 0));for(let g=0;g<e.workers;g+=z){const x=Math.min(z,e.workers-g);k.push(J(e,i,u,"worker",x,`${e.clusterId}-w${g}-${x}${w?"-spot":""}`,C,w,v))}return k}}),4353:((Q,L,d)=>{d.d(L,{q:()=>p});const p={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((Q,L,d)=>{d.d(L,{R:()=>M});var p=d(37067);function M(I,h=5e3){return new Promise(l=>{const m=(0,p.get)(`${I.replace(/\/$/,"")}/json/identity.json`,{timeout:h},S=>{let N="";S.setEncoding("utf8"),S.on("data",U=>{N+=U}),S.on("end",()=>{if(S.statusCode!==200)return l(void 0);try{const U=JSON.parse(N);l(Object.keys(U.workers??{}).length)}catch{l(void 0)}}),S.on("error",()=>l(void 0))});m.on("timeout",()=>m.destroy()),m.on("error",()=>l(void 0))})}}),58182:((Q,L,d)=>{d.d(L,{$D:()=>I,I0:()=>M,XG:()=>p});function p(h){if(h.stopCode==="UserInitiated")return"stopped with StopTask";if(h.exitCode===0&&h.stopCode!=="SpotInterruption"&&h.stopCode!=="TerminationNotice")return"exited with code 0: the scheduler closed it"}class M{limit;logger;stopped=[];replacements=[];unreplaced=[];granted=0;constructor(l,m){this.limit=l,this.logger=m}lost(l){if(this.stopped.push({member:l.member,exitCode:l.exitCode,reason:l.reason}),l.onPurpose)return this.logger.info(`${l.member} stopped on purpose (${l.onPurpose}); not replaced`),!1;const m=[l.stopCode,l.reason].filter(Boolean).join(": ");return this.logger.warn(`${l.member} stopped (exit code ${l.exitCode??"unknown"}${m?`, ${m}`:""}) while the job ran`),l.worker?this.granted>=this.limit?(this.unreplaced.push(l.member),this.logger.warn(`${l.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`),!1):(this.granted++,!0):!1}failed(l,m){this.granted--,this.logger.warn(`could not replace ${l}: ${m instanceof Error?m.message:String(m)}`)}replaced(l){this.replacements.push(l);const m=l.capacity?` on ${l.capacity}`:"";this.logger.warn(`replaced ${l.member} with ${l.replacement}${m} (${this.replacements.length}/${this.limit})`)}watch(l){return{stopped:this.stopped,replacements:this.replacements,unreplaced:this.unreplaced,stop:l}}}function I(h){return{stoppedMembers:[...h.stopped],...h.replacements&&h.replacements.length>0?{replacements:[...h.replacements]}:{},...h.unreplaced&&h.unreplaced.length>0?{unreplaced:[...h.unreplaced]}:{}}}})};export{ie as id,de as ids,ue as modules};
