const ie=350,de=[350],ue={72350:((V,M,i)=>{i.r(M),i.d(M,{FARGATE_PRICES:()=>g,PhaseTimer:()=>Z,countWorkers:()=>J.R,createBackend:()=>b,estimateFargateCost:()=>N,formatTimeline:()=>u,hourlyFargateCost:()=>S,parseRegistrations:()=>oe,runClusterJob:()=>d,silentLogger:()=>G.q,withRegistrations:()=>ae});const m="dask-fargate-adapt: ",U=e=>typeof e=="string"?e:"";function I(e){const o=e.indexOf(m);if(o<0||o>64)return;let s;try{s=JSON.parse(e.slice(o+m.length))}catch{return}if(typeof s!="object"||s===null)return;const r=s;if(Array.isArray(r.retired))return{kind:"retired",retired:r.retired.filter(w=>typeof w=="object"&&w!==null).map(w=>({address:U(w.address),name:U(w.name),host:U(w.host)})).filter(w=>w.address!=="")};const n=r.target,a=r.workers;if(typeof n=="number"&&Number.isInteger(n)&&n>=0&&typeof a=="number"&&Number.isInteger(a)&&a>=0)return{kind:"target",target:n,workers:a}}function p(e){const o=e.now??Date.now,{min:s,max:r}=e.range,n=o(),a=[{atSeconds:0,workers:e.initial}],f=[],w=new Set;let x=e.initial,q=0,K=0,Y=Promise.resolve(),W=!1,ee=Number.NEGATIVE_INFINITY,Q=!1;const k=A=>{x=A;const R=(o()-n)/1e3,B=a[a.length-1];B&&B.workers===A||a.push({atSeconds:R,workers:A})},L=(A,R)=>{Y=Y.then(R).catch(B=>{const ne=`${A} failed: ${B instanceof Error?B.message:String(B)}`;f.push(ne),e.logger.warn(`adaptive workers: ${ne}; the job goes on with ${x} workers`)})},se=A=>{if(!Q){if(A.kind==="target"){const R=Math.max(s,Math.min(r,A.target));if(R<=x||W||o()-ee<(e.growCooldownMs??1e4))return;W=!0;const B=x;L(`growing to ${R} workers`,async()=>{try{e.logger.info(`adaptive workers: the scheduler's target is ${A.target}; growing from ${x} to ${R} workers`),k(R),k(await e.scaler.grow(R).catch(ne=>{throw k(B),ne})),q+=1}finally{W=!1,ee=o()}});return}if(A.retired.length!==0){for(const R of A.retired)w.add(R.name);L(`removing ${A.retired.length} retired worker(s)`,async()=>{e.logger.info(`adaptive workers: the scheduler retired ${A.retired.map(R=>R.name).join(", ")}; removing their members`),k(await e.scaler.remove(A.retired)),K+=A.retired.length})}}};return{retiring:w,onLine(A){const R=I(A);return R?(se(R),!0):!1},async stop(){Q=!0,await Y;const A=(o()-n)/1e3;return{min:s,max:r,peak:Math.max(...a.map(R=>R.workers)),timeline:a,workerSeconds:c(a,A),scaleUps:q,retired:K,failures:f}}}}function c(e,o){let s=0;for(const[r,n]of e.entries()){const a=e[r+1]?.atSeconds??o;s+=n.workers*Math.max(0,a-n.atSeconds)}return Math.round(s*10)/10}function u(e){return e.timeline.map(o=>`${Math.round(o.atSeconds)} s: ${o.workers}`).join(", ")}var E=i(8962),F=i(88246),$=i(16641),z=i(93866),X=i(86935);function b(e,o={}){if(e==="docker")return y({name:"docker",validate:()=>{},plan:n=>(0,E.M)(n,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([i.e(292),i.e(639),i.e(99)]).then(i.bind(i,68099))).dockerEngineVerbs(o));const s=o.fargate;if(!s)throw new F.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const r=n=>({ecsCluster:s.ecsCluster??`<created: ${n.clusterId}>`,executionRoleArn:s.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:s.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:s.subnets??["<default VPC subnets>"],securityGroups:s.securityGroups??[$.rJ.securityGroupId],assignPublicIp:s.assignPublicIp??!s.subnets,tlsSecretArn:n.tls?$.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return y({name:"fargate",validate:n=>{(0,z.q8)(s,n)},plan:n=>(0,$.Kp)(n,(0,z.q8)(s,n),r(n))},async()=>(await Promise.all([i.e(149),i.e(639),i.e(171),i.e(529)]).then(i.bind(i,89529))).fargateEngineVerbs(s,o.clients))}function y(e,o){let s;const r=()=>(s??=o().catch(n=>{throw s=void 0,n}),s);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(n,a)=>(await r()).preflight(n,a)),up:async(n,a)=>(await r()).up(n,a),runJob:async(n,a,f)=>(await r()).runJob(n,a,f),watchMembers:async(n,a)=>(await r()).watchMembers(n,a),scale:async(n,a,f)=>(h(n,a),(await r()).scale(n,a,f)),removeWorkers:async(n,a,f)=>(await r()).removeWorkers(n,a,f),down:async(n,a)=>(await r()).down(n,a),reap:async n=>(await r()).reap(n),logs:async(n,a)=>(await r()).logs(n,a)}}function h(e,o){(0,X.i)({...e.spec,workers:o,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var v=i(31421),T=i(84368),O=i(14589),j=i(59606);async function H(e,o,s,r,n){const a=o.spec.adaptive;if(!a)return n(s,r.logger);let f=o;const w=new Set,x=p({range:a,initial:o.spec.workers,logger:r.logger,...r.growCooldownMs!==void 0?{growCooldownMs:r.growCooldownMs}:{},scaler:{grow:async k=>(f=await e.scale(f,k,r),f.spec.workers),remove:async k=>{const L=f;f=await e.removeWorkers(f,k,r);const se=new Set(f.fargate?.workerTaskArns??[]);for(const A of L.fargate?.workerTaskArns??[])se.has(A)||w.add(A.split("/").pop()??A);for(const A of k)w.add(`${o.clusterId}-${A.name}`);return f.spec.workers}}}),q=s.runsOn==="runner"?re(o,s,x,r):void 0,K=[],Y={...r.logger,warn:k=>/ while the job ran$/.test(k)?K.push(k):r.logger.warn(k)};let W;try{W=await n({...s,onOutput:(k,L)=>x.onLine(k)?void 0:s.onOutput?.(k,L)},Y)}finally{q?.kill()}const ee=await x.stop(),Q=k=>[...w].some(L=>k===L||k.includes(` ${L}`)||k.startsWith(`${L} `));for(const k of K)Q(k)?r.logger.info(`${k} (retired by the scheduler and removed on purpose)`):r.logger.warn(k);return{...W,stoppedMembers:W.stoppedMembers.filter(k=>!Q(k.member)),adaptive:ee}}function re(e,o,s,r){const n=e.spec.adaptive??{min:e.spec.workers,max:e.spec.workers},a={...(0,O.F1)(e,o,process.env),...(0,j.L)(n)},f=(0,v.spawn)(r.runnerPython??"python3",["-c",a.DFA_ADAPT_PY??""],{env:a,stdio:["ignore","pipe","pipe"]});f.on("error",x=>r.logger.warn(`adaptive workers: the sidecar did not start (${x.message}); the cluster keeps its size`));const w=x=>{s.onLine(x)||r.logger.debug(`adaptive sidecar: ${x}`)};return f.stdout&&(0,T.S)(f.stdout,w),f.stderr&&(0,T.S)(f.stderr,w),f}var t=i(58182);async function d(e,o,s,r){return H(e,o,s,r,(n,a)=>l(e,o,n,{...r,logger:a}))}async function l(e,o,s,r){if(s.runsOn==="cluster")return e.runJob(o,s,r);const n=await e.watchMembers(o,r);let a;try{a=await(0,O.wO)(o,s,r.signal)}finally{await n.stop()}return{...a,...(0,t.$D)(n)}}var _=i(63100);const g={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function P(e,o,s,r){const n=g[o],a=(w,x)=>w*n.vcpuHour+x/1024*n.gbHour;return(1+(r.jobTask?1:0))*a(e.schedulerCpu,e.schedulerMemory)+(0,_.pK)(e)*a(e.workerCpu,e.workerMemory)+s*g.publicIpv4Hour}const C=(e,o)=>`1 scheduler + ${e.adaptive?`up to ${(0,_.pK)(e)} (adaptive ${e.adaptive.min}-${e.adaptive.max})`:e.workers} workers${o.jobTask?" + 1 job task":""}`;function S(e,o,s,r,n={}){const a=P(e,o,s,n),f=a*(e.maxLifetime/3600),w=r?" (upper bound: Spot workers priced on demand)":"";return{usd:a,maxLifetimeUsd:f,text:`about $${a.toFixed(2)} per hour${w}; at most $${f.toFixed(2)} before the ${D(e.maxLifetime)} max-lifetime ends it`,method:`${C(e,n)}${s>0?` + ${s} public IPv4 addresses`:""} at ${g.source}`}}function N(e,o,s,r,n,a={}){const f=Math.max(60,Math.ceil(s))/3600,w=g[o],x=(a.replacementSeconds??[]).reduce((ee,Q)=>ee+Math.max(60,Math.ceil(Q))/3600,0),q=e.workerCpu*w.vcpuHour+e.workerMemory/1024*w.gbHour+(a.replacementPublicIps?g.publicIpv4Hour:0),K=P(e,o,r,a)*f+q*x,Y=`$${K.toFixed(4)}${n?" (upper bound: Spot workers priced on demand)":""}`,W=a.replacementSeconds?.length?` + ${a.replacementSeconds.length} replacement worker(s) \xD7 ${Math.ceil(x*3600)} s in all (min. 60 s each)`:"";return{usd:K,text:Y,method:`${C(e,a)} \xD7 ${Math.ceil(s)} s (min. 60 s)${W} at ${g.source}`}}function D(e){const o=e/3600;return Number.isInteger(o)?`${o} h`:`${Math.round(e/60)} min`}var G=i(4353);class Z{phases=[];async time(o,s){const r=performance.now();try{return await s()}finally{this.phases.push([o,performance.now()-r])}}toJSON(){return Object.fromEntries(this.phases.map(([o,s])=>[o,Math.round(s)]))}toString(){return this.phases.map(([o,s])=>`${o} ${(s/1e3).toFixed(1)} s`).join(", ")}}var J=i(29641);const te=/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;function oe(e){const o=[];for(const s of e){const r=te.exec(s.trim());if(!r)continue;const n=Date.parse(`${r[1]?.replace(" ","T")}.${r[2]}Z`);Number.isNaN(n)||o.push({address:r[3]??"",worker:(r[4]??r[3]??"").trim(),at:n})}return o}function ae(e,o){const s=new Map;for(const r of o){const n=r.address.replace(/^[a-z]+:\/\//,"").replace(/:\d+$/,"");for(const a of[r.worker,n])(!s.has(a)||(s.get(a)??0)>r.at)&&s.set(a,r.at)}return{...e,members:e.members.map(r=>{if(r.role!=="worker")return r;const n=s.get(r.member)??(r.address?s.get(r.address):void 0);return n===void 0?r:{...r,registeredAt:n}})}}}),8962:((V,M,i)=>{i.d(M,{M:()=>c,q:()=>p});var m=i(53145),U=i(42628),I=i(89401);function p(u,E,F,$){return{role:"worker",name:I.Dy.worker(u.clusterId,$),command:(0,m.y2)(u,F,`worker-${$}`),cpu:u.workerCpu,memoryMiB:u.workerMemory,environment:u.environment,createdAt:E.createdAt,expiresAt:E.expiresAt}}function c(u,E){const F=`${u.tls?"tls":"tcp"}://${I.Dy.scheduler(u.clusterId)}:${m.Q9}`;return{backend:"docker",clusterId:u.clusterId,network:{name:I.Dy.network(u.clusterId),driver:"bridge",labels:(0,U.EC)(u.clusterId,E.createdAt,E.expiresAt,u.labels)},scheduler:{role:"scheduler",name:I.Dy.scheduler(u.clusterId),command:(0,m.hx)(u),cpu:u.schedulerCpu,memoryMiB:u.schedulerMemory,environment:u.environment,createdAt:E.createdAt,expiresAt:E.expiresAt,publish:!0},workers:Array.from({length:u.workers},($,z)=>p(u,E,F,z)),schedulerAddress:F,publishedPorts:[m.Q9,m.r2],tls:u.tls}}}),89401:((V,M,i)=>{i.d(M,{Dy:()=>u,Mn:()=>z,aR:()=>F,bi:()=>E,w$:()=>$});var m=i(57075),U=i(36474),I=i(53145),p=i(42628),c=i(84368);const u={network:b=>b,scheduler:b=>`${b}-scheduler`,worker:(b,y)=>`${b}-worker-${y}`,job:(b,y)=>`${b}-job-${y}`};async function E(b,y,h){const v=[`${I.Q9}/tcp`,`${I.r2}/tcp`];return b.createContainer({name:h.name,Image:y.image,Cmd:[...h.command],Env:Object.entries(h.environment).map(([T,O])=>`${T}=${O}`),Labels:(0,p.EC)(y.clusterId,h.createdAt,h.expiresAt,y.labels,h.role),...h.workingDir?{WorkingDir:h.workingDir}:{},...h.publish?{ExposedPorts:Object.fromEntries(v.map(T=>[T,{}]))}:{},HostConfig:{NetworkMode:u.network(y.clusterId),NanoCpus:Math.round(h.cpu*1e9),Memory:h.memoryMiB*1024*1024,MemorySwap:h.memoryMiB*1024*1024,...h.binds?{Binds:[...h.binds]}:{},...h.tmpfs&&Object.keys(h.tmpfs).length>0?{Tmpfs:{...h.tmpfs}}:{},...h.publish?{PortBindings:Object.fromEntries(v.map(T=>[T,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function F(b,y){const h=(0,U.pack)(),v=[];h.on("data",j=>v.push(j));const T=new Promise((j,H)=>{h.on("end",j),h.on("error",H)}),O=I.Qy.replace(/^\/tmp\//,"");h.entry({name:`${O}/`,type:"directory",mode:493}),h.entry({name:`${O}/${I.qJ.ca}`,mode:292},y.ca),h.entry({name:`${O}/${I.qJ.cert}`,mode:292},y.cert),h.entry({name:`${O}/${I.qJ.key}`,mode:292},y.key),h.finalize(),await T,await b.putArchive(Buffer.concat(v),{path:"/tmp"})}async function $(b,y=15){try{const h=await b.logs({stdout:!0,stderr:!0,tail:y}),v=new m.PassThrough,T=[],O=(0,c.S)(v,j=>{j.trimEnd()!==""&&T.push(j.trimEnd())});return await X(b.modem,m.Readable.from([h]),v,v),v.end(),await O,T}catch{return[]}}async function z(b,y,h){const v=new m.PassThrough,T=new m.PassThrough,O=Promise.all([(0,c.S)(v,j=>h(j,"stdout")),(0,c.S)(T,j=>h(j,"stderr"))]);await X(b.modem,y,v,T),v.end(),T.end(),await O}function X(b,y,h,v){return new Promise(T=>{y.on("end",()=>T()),y.on("close",()=>T()),y.on("error",()=>T()),b.demuxStream(y,h,v)})}}),16641:((V,M,i)=>{i.d(M,{D8:()=>E,rJ:()=>$,Dd:()=>z,xS:()=>X,Kp:()=>T,dY:()=>H,zb:()=>re});var m=i(53145),U=i(42628),I=i(31301),p=i(81451);const c=String.raw`
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
`,u=10,E="outputs",F="<attempt token>",$={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function z(t,d){const l=Object.entries(d).flatMap(([g,P])=>P===void 0?[]:[[$[g],P]]),_=g=>typeof g=="string"?l.reduce((P,[C,S])=>P.split(C).join(S),g):Array.isArray(g)?g.map(_):g&&typeof g=="object"?Object.fromEntries(Object.entries(g).map(([P,C])=>[P,_(C)])):g;return _(t)}function X(t,d,l){return{ecsCluster:t.ecsCluster,executionRoleArn:t.executionRoleArn,taskRoleArn:t.taskRoleArn,subnets:t.subnets,securityGroups:t.securityGroups,assignPublicIp:t.assignPublicIp,tlsSecretArn:t.tlsSecretArn,createdAt:d,expiresAt:l}}function b(t){return Object.entries(t).map(([d,l])=>({key:d,value:l}))}function y(t){return Object.entries(t).map(([d,l])=>({Key:d,Value:l}))}const h=["umask 077",`mkdir -p ${m.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${m.Qy}/${m.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${m.Qy}/${m.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${m.Qy}/${m.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function v(t,d){return t.tls?["sh","-c",h,"sh",...d]:[...d]}function T(t,d,l){const _=(0,U.EC)(t.clusterId,l.createdAt,l.expiresAt,t.labels),g=p.P.logGroup(t.clusterId),P=[...d.clientCidr?[d.clientCidr]:[],...d.allowPublicIngress?["0.0.0.0/0"]:[]],C=S=>{const N=S==="worker"?d.workerSize:d.schedulerSize,D=S==="job"&&d.outputUri?(0,I.V6)(d.outputUri):void 0,G=S==="scheduler"?(0,m.hx)(t):S==="worker"?(0,m.y2)(t,"scheduler-address-set-per-run"):(0,m.pi)(t,{uploadOutputs:D!==void 0}),Z=[...Object.entries(d.secrets).map(([J,te])=>({name:J,valueFrom:te})),...l.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${l.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${l.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${l.tlsSecretArn}:key::`}]:[],...l.tlsSecretArn&&D?[{name:"DFA_OUTPUT_KEY",valueFrom:`${l.tlsSecretArn}:${E}::`}]:[]];return{family:p.P.family(t.clusterId,S),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(N.cpu),memory:String(N.memory),runtimePlatform:{cpuArchitecture:d.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:l.executionRoleArn,taskRoleArn:l.taskRoleArn,...d.ephemeralStorage?{ephemeralStorage:{sizeInGiB:d.ephemeralStorage}}:{},containerDefinitions:[{name:p.P.container,image:t.image,essential:!0,memory:N.memory,command:v(t,G),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(t.environment).map(([J,te])=>({name:J,value:te})),...D?[{name:"DFA_UPLOAD_OUTPUTS",value:c},{name:"DFA_OUTPUT_BUCKET",value:D.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,I.Pr)(D,t.clusterId,l.outputToken??F)},{name:"DFA_OUTPUT_CLUSTER",value:t.clusterId},{name:"DFA_OUTPUT_TOKEN",value:l.outputToken??F}]:[]],...Z.length>0?{secrets:Z}:{},...S==="scheduler"?{portMappings:[m.Q9,m.r2].map(J=>({containerPort:J,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":g,"awslogs-region":d.region,"awslogs-stream-prefix":S}}}],tags:b({..._,"io.dask-fargate-action.role":S})}};return{backend:"fargate",clusterId:t.clusterId,region:d.region,createCluster:d.ecsCluster?void 0:{clusterName:p.P.ecsCluster(t.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:b(_),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:g,retentionInDays:d.logRetentionDays,tags:_},securityGroup:d.securityGroups?void 0:{name:p.P.securityGroup(t.clusterId),description:`dask-fargate-action cluster ${t.clusterId}: members reach each other on all TCP ports`,vpcId:l.vpcId??"<the subnets' VPC>",clientCidrs:P,clientPorts:{from:m.Q9,to:d.openDashboard?m.r2:m.Q9},tags:y({..._,Name:p.P.securityGroup(t.clusterId)}),ingress:O($.securityGroupId,P,{from:m.Q9,to:d.openDashboard?m.r2:m.Q9})},tlsSecret:t.tls?{name:p.P.tlsSecret(t.clusterId),description:`dask-fargate-action: TLS files of cluster ${t.clusterId}; deleted with the cluster`,tags:y(_)}:void 0,taskDefinitions:{scheduler:C("scheduler"),worker:C("worker"),job:C("job")},schedulerRun:H(t,d,l,"scheduler",1,`${t.clusterId}-scheduler`,void 0,!1),workerRuns:re(t,d,l,$.schedulerAddress,0,t.workers,d.spotWorkers),workerFallback:d.spotWorkers?"on-demand":"none",tags:_}}function O(t,d,l){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:t,Description:"cluster members: Dask and XGBoost"}]},...d.length>0?[{IpProtocol:"tcp",FromPort:l.from,ToPort:l.to,IpRanges:d.map(_=>({CidrIp:_,Description:l.to>l.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function j(t){const d=(S,N)=>(D,G)=>({operation:D,input:G,stage:S,lane:N}),l=d(1,"ecs cluster"),_=d(1,"log group"),g=d(1,"security group"),P=d(1,"secret and task definitions"),C=d(3,"workers");return[...t.createCluster?[l("ecs:CreateCluster",t.createCluster)]:[],_("logs:CreateLogGroup",{logGroupName:t.logGroup.name,tags:t.logGroup.tags}),_("logs:PutRetentionPolicy",{logGroupName:t.logGroup.name,retentionInDays:t.logGroup.retentionInDays}),...t.securityGroup?[g("ec2:CreateSecurityGroup",{GroupName:t.securityGroup.name,Description:t.securityGroup.description,VpcId:t.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:t.securityGroup.tags}]}),g("ec2:AuthorizeSecurityGroupIngress",{GroupId:$.securityGroupId,IpPermissions:t.securityGroup.ingress})]:[],...t.tlsSecret?[P("secretsmanager:CreateSecret",{Name:t.tlsSecret.name,Description:t.tlsSecret.description,Tags:t.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(S=>P("ecs:RegisterTaskDefinition",t.taskDefinitions[S])),d(2,"scheduler")("ecs:RunTask",t.schedulerRun),...t.workerRuns.map(S=>C("ecs:RunTask",S))]}function H(t,d,l,_,g,P,C,S,N={}){const D=Object.entries(N).map(([G,Z])=>({name:G,value:Z}));return{cluster:l.ecsCluster,taskDefinition:p.P.family(t.clusterId,_),count:g,clientToken:P,startedBy:t.clusterId,...S?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:d.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...l.subnets],securityGroups:[...l.securityGroups],assignPublicIp:l.assignPublicIp?"ENABLED":"DISABLED"}},...C||D.length>0?{overrides:{containerOverrides:[{name:p.P.container,...C?{command:v(t,C)}:{},...D.length>0?{environment:D}:{}}]}}:{},tags:b({...(0,U.EC)(t.clusterId,l.createdAt,l.expiresAt,t.labels),"io.dask-fargate-action.role":_}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function re(t,d,l,_,g,P,C){const S=[];for(let N=g;N<g+P;N+=u){const D=Math.min(u,g+P-N),G=(0,m.y2)(t,_);S.push(H(t,d,l,"worker",D,`${t.clusterId}-w${N}-${D}${C?"-spot":""}`,G,C))}return S}}),4353:((V,M,i)=>{i.d(M,{q:()=>m});const m={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((V,M,i)=>{i.d(M,{R:()=>U});var m=i(37067);function U(I,p=5e3){return new Promise(c=>{const u=(0,m.get)(`${I.replace(/\/$/,"")}/json/identity.json`,{timeout:p},E=>{let F="";E.setEncoding("utf8"),E.on("data",$=>{F+=$}),E.on("end",()=>{if(E.statusCode!==200)return c(void 0);try{const $=JSON.parse(F);c(Object.keys($.workers??{}).length)}catch{c(void 0)}}),E.on("error",()=>c(void 0))});u.on("timeout",()=>u.destroy()),u.on("error",()=>c(void 0))})}}),58182:((V,M,i)=>{i.d(M,{$D:()=>I,I0:()=>U,XG:()=>m});function m(p){if(p.stopCode==="UserInitiated")return"stopped with StopTask";if(p.exitCode===0&&p.stopCode!=="SpotInterruption"&&p.stopCode!=="TerminationNotice")return"exited with code 0: the scheduler closed it"}class U{limit;logger;stopped=[];replacements=[];unreplaced=[];granted=0;constructor(c,u){this.limit=c,this.logger=u}lost(c){if(this.stopped.push({member:c.member,exitCode:c.exitCode,reason:c.reason}),c.onPurpose)return this.logger.info(`${c.member} stopped on purpose (${c.onPurpose}); not replaced`),!1;const u=[c.stopCode,c.reason].filter(Boolean).join(": ");return this.logger.warn(`${c.member} stopped (exit code ${c.exitCode??"unknown"}${u?`, ${u}`:""}) while the job ran`),c.worker?this.granted>=this.limit?(this.unreplaced.push(c.member),this.logger.warn(`${c.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`),!1):(this.granted++,!0):!1}failed(c,u){this.granted--,this.logger.warn(`could not replace ${c}: ${u instanceof Error?u.message:String(u)}`)}replaced(c){this.replacements.push(c);const u=c.capacity?` on ${c.capacity}`:"";this.logger.warn(`replaced ${c.member} with ${c.replacement}${u} (${this.replacements.length}/${this.limit})`)}watch(c){return{stopped:this.stopped,replacements:this.replacements,unreplaced:this.unreplaced,stop:c}}}function I(p){return{stoppedMembers:[...p.stopped],...p.replacements&&p.replacements.length>0?{replacements:[...p.replacements]}:{},...p.unreplaced&&p.unreplaced.length>0?{unreplaced:[...p.unreplaced]}:{}}}})};export{ie as id,de as ids,ue as modules};
