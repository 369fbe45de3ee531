const ne=307,se=[307],oe={22307:((V,L,a)=>{a.r(L),a.d(L,{FARGATE_PRICES:()=>f,PhaseTimer:()=>j,countWorkers:()=>J.R,createBackend:()=>k,estimateFargateCost:()=>w,formatTimeline:()=>m,hourlyFargateCost:()=>P,runClusterJob:()=>t,silentLogger:()=>D.q});const l="dask-fargate-adapt: ",N=e=>typeof e=="string"?e:"";function v(e){const n=e.indexOf(l);if(n<0||n>64)return;let s;try{s=JSON.parse(e.slice(n+l.length))}catch{return}if(typeof s!="object"||s===null)return;const i=s;if(Array.isArray(i.retired))return{kind:"retired",retired:i.retired.filter(y=>typeof y=="object"&&y!==null).map(y=>({address:N(y.address),name:N(y.name),host:N(y.host)})).filter(y=>y.address!=="")};const r=i.target,d=i.workers;if(typeof r=="number"&&Number.isInteger(r)&&r>=0&&typeof d=="number"&&Number.isInteger(d)&&d>=0)return{kind:"target",target:r,workers:d}}function I(e){const n=e.now??Date.now,{min:s,max:i}=e.range,r=n(),d=[{atSeconds:0,workers:e.initial}],h=[],y=new Set;let C=e.initial,ee=0,Y=0,X=Promise.resolve(),Z=!1,R=Number.NEGATIVE_INFINITY,G=!1;const Q=S=>{C=S;const O=(n()-r)/1e3,K=d[d.length-1];K&&K.workers===S||d.push({atSeconds:O,workers:S})},z=(S,O)=>{X=X.then(O).catch(K=>{const te=`${S} failed: ${K instanceof Error?K.message:String(K)}`;h.push(te),e.logger.warn(`adaptive workers: ${te}; the job goes on with ${C} workers`)})},re=S=>{if(!G){if(S.kind==="target"){const O=Math.max(s,Math.min(i,S.target));if(O<=C||Z||n()-R<(e.growCooldownMs??1e4))return;Z=!0;const K=C;z(`growing to ${O} workers`,async()=>{try{e.logger.info(`adaptive workers: the scheduler's target is ${S.target}; growing from ${C} to ${O} workers`),Q(O),Q(await e.scaler.grow(O).catch(te=>{throw Q(K),te})),ee+=1}finally{Z=!1,R=n()}});return}if(S.retired.length!==0){for(const O of S.retired)y.add(O.name);z(`removing ${S.retired.length} retired worker(s)`,async()=>{e.logger.info(`adaptive workers: the scheduler retired ${S.retired.map(O=>O.name).join(", ")}; removing their members`),Q(await e.scaler.remove(S.retired)),Y+=S.retired.length})}}};return{retiring:y,onLine(S){const O=v(S);return O?(re(O),!0):!1},async stop(){G=!0,await X;const S=(n()-r)/1e3;return{min:s,max:i,peak:Math.max(...d.map(O=>O.workers)),timeline:d,workerSeconds:x(d,S),scaleUps:ee,retired:Y,failures:h}}}}function x(e,n){let s=0;for(const[i,r]of e.entries()){const d=e[i+1]?.atSeconds??n;s+=r.workers*Math.max(0,d-r.atSeconds)}return Math.round(s*10)/10}function m(e){return e.timeline.map(n=>`${Math.round(n.atSeconds)} s: ${n.workers}`).join(", ")}var b=a(8962),U=a(88246),E=a(16641),W=a(93866),H=a(86935);function k(e,n={}){if(e==="docker")return p({name:"docker",validate:()=>{},plan:r=>(0,b.M)(r,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([a.e(292),a.e(639),a.e(772)]).then(a.bind(a,77391))).dockerEngineVerbs(n));const s=n.fargate;if(!s)throw new U.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const i=r=>({ecsCluster:s.ecsCluster??`<created: ${r.clusterId}>`,executionRoleArn:s.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:s.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:s.subnets??["<default VPC subnets>"],securityGroups:s.securityGroups??[E.rJ.securityGroupId],assignPublicIp:s.assignPublicIp??!s.subnets,tlsSecretArn:r.tls?E.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return p({name:"fargate",validate:r=>{(0,W.q8)(s,r)},plan:r=>(0,E.Kp)(r,(0,W.q8)(s,r),i(r))},async()=>(await Promise.all([a.e(149),a.e(639),a.e(171),a.e(551)]).then(a.bind(a,88551))).fargateEngineVerbs(s,n.clients))}function p(e,n){let s;const i=()=>(s??=n().catch(r=>{throw s=void 0,r}),s);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(r,d)=>(await i()).preflight(r,d)),up:async(r,d)=>(await i()).up(r,d),runJob:async(r,d,h)=>(await i()).runJob(r,d,h),watchMembers:async(r,d)=>(await i()).watchMembers(r,d),scale:async(r,d,h)=>(c(r,d),(await i()).scale(r,d,h)),removeWorkers:async(r,d,h)=>(await i()).removeWorkers(r,d,h),down:async(r,d)=>(await i()).down(r,d),reap:async r=>(await i()).reap(r),logs:async(r,d)=>(await i()).logs(r,d)}}function c(e,n){(0,H.i)({...e.spec,workers:n,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var T=a(31421),A=a(84368),$=a(14589),F=a(59606);async function B(e,n,s,i,r){const d=n.spec.adaptive;if(!d)return r(s);let h=n;const y=new Set,C=I({range:d,initial:n.spec.workers,logger:i.logger,...i.growCooldownMs!==void 0?{growCooldownMs:i.growCooldownMs}:{},scaler:{grow:async R=>(h=await e.scale(h,R,i),h.spec.workers),remove:async R=>{const G=h;h=await e.removeWorkers(h,R,i);const Q=new Set(h.fargate?.workerTaskArns??[]);for(const z of G.fargate?.workerTaskArns??[])Q.has(z)||y.add(z.split("/").pop()??z);for(const z of R)y.add(`${n.clusterId}-${z.name}`);return h.spec.workers}}}),ee=s.runsOn==="runner"?q(n,s,C,i):void 0;let Y;try{Y=await r({...s,onOutput:(R,G)=>C.onLine(R)?void 0:s.onOutput?.(R,G)})}finally{ee?.kill()}const X=await C.stop(),Z=R=>[...y].some(G=>R===G||R.endsWith(` ${G}`));return{...Y,stoppedMembers:Y.stoppedMembers.filter(R=>!Z(R.member)),adaptive:X}}function q(e,n,s,i){const r=e.spec.adaptive??{min:e.spec.workers,max:e.spec.workers},d={...(0,$.F1)(e,{...n,environment:{...n.environment??{}}},process.env),...(0,F.L)(r)},h=(0,T.spawn)(i.runnerPython??"python3",["-c",d.DFA_ADAPT_PY??""],{env:d,stdio:["ignore","pipe","pipe"]});h.on("error",C=>i.logger.warn(`adaptive workers: the sidecar did not start (${C.message}); the cluster keeps its size`));const y=C=>{s.onLine(C)||i.logger.debug(`adaptive sidecar: ${C}`)};return h.stdout&&(0,A.S)(h.stdout,y),h.stderr&&(0,A.S)(h.stderr,y),h}async function t(e,n,s,i){return B(e,n,s,i,r=>o(e,n,r,i))}async function o(e,n,s,i){if(s.runsOn==="cluster")return e.runJob(n,s,i);const r=await e.watchMembers(n,i);try{return{...await(0,$.wO)(n,s,i.signal),stoppedMembers:[...r.stopped]}}finally{r.stop()}}var u=a(63100);const f={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function g(e,n,s,i){const r=f[n],d=(y,C)=>y*r.vcpuHour+C/1024*r.gbHour;return(1+(i.jobTask?1:0))*d(e.schedulerCpu,e.schedulerMemory)+(0,u.pK)(e)*d(e.workerCpu,e.workerMemory)+s*f.publicIpv4Hour}const _=(e,n)=>`1 scheduler + ${e.adaptive?`up to ${(0,u.pK)(e)} (adaptive ${e.adaptive.min}-${e.adaptive.max})`:e.workers} workers${n.jobTask?" + 1 job task":""}`;function P(e,n,s,i,r={}){const d=g(e,n,s,r),h=d*(e.maxLifetime/3600),y=i?" (upper bound: Spot workers priced on demand)":"";return{usd:d,maxLifetimeUsd:h,text:`about $${d.toFixed(2)} per hour${y}; at most $${h.toFixed(2)} before the ${M(e.maxLifetime)} max-lifetime ends it`,method:`${_(e,r)}${s>0?` + ${s} public IPv4 addresses`:""} at ${f.source}`}}function w(e,n,s,i,r,d={}){const h=Math.max(60,Math.ceil(s))/3600,y=g(e,n,i,d)*h,C=`$${y.toFixed(4)}${r?" (upper bound: Spot workers priced on demand)":""}`;return{usd:y,text:C,method:`${_(e,d)} \xD7 ${Math.ceil(s)} s (min. 60 s) at ${f.source}`}}function M(e){const n=e/3600;return Number.isInteger(n)?`${n} h`:`${Math.round(e/60)} min`}var D=a(4353);class j{phases=[];async time(n,s){const i=performance.now();try{return await s()}finally{this.phases.push([n,performance.now()-i])}}toJSON(){return Object.fromEntries(this.phases.map(([n,s])=>[n,Math.round(s)]))}toString(){return this.phases.map(([n,s])=>`${n} ${(s/1e3).toFixed(1)} s`).join(", ")}}var J=a(29641)}),8962:((V,L,a)=>{a.d(L,{M:()=>x,q:()=>I});var l=a(53145),N=a(42628),v=a(89401);function I(m,b,U,E){return{role:"worker",name:v.Dy.worker(m.clusterId,E),command:(0,l.y2)(m,U,`worker-${E}`),cpu:m.workerCpu,memoryMiB:m.workerMemory,environment:m.environment,createdAt:b.createdAt,expiresAt:b.expiresAt}}function x(m,b){const U=`${m.tls?"tls":"tcp"}://${v.Dy.scheduler(m.clusterId)}:${l.Q9}`;return{backend:"docker",clusterId:m.clusterId,network:{name:v.Dy.network(m.clusterId),driver:"bridge",labels:(0,N.EC)(m.clusterId,b.createdAt,b.expiresAt,m.labels)},scheduler:{role:"scheduler",name:v.Dy.scheduler(m.clusterId),command:(0,l.hx)(m),cpu:m.schedulerCpu,memoryMiB:m.schedulerMemory,environment:m.environment,createdAt:b.createdAt,expiresAt:b.expiresAt,publish:!0},workers:Array.from({length:m.workers},(E,W)=>I(m,b,U,W)),schedulerAddress:U,publishedPorts:[l.Q9,l.r2],tls:m.tls}}}),89401:((V,L,a)=>{a.d(L,{Dy:()=>m,Mn:()=>W,aR:()=>U,bi:()=>b,w$:()=>E});var l=a(57075),N=a(36474),v=a(53145),I=a(42628),x=a(84368);const m={network:k=>k,scheduler:k=>`${k}-scheduler`,worker:(k,p)=>`${k}-worker-${p}`,job:(k,p)=>`${k}-job-${p}`};async function b(k,p,c){const T=[`${v.Q9}/tcp`,`${v.r2}/tcp`];return k.createContainer({name:c.name,Image:p.image,Cmd:[...c.command],Env:Object.entries(c.environment).map(([A,$])=>`${A}=${$}`),Labels:(0,I.EC)(p.clusterId,c.createdAt,c.expiresAt,p.labels,c.role),...c.workingDir?{WorkingDir:c.workingDir}:{},...c.publish?{ExposedPorts:Object.fromEntries(T.map(A=>[A,{}]))}:{},HostConfig:{NetworkMode:m.network(p.clusterId),NanoCpus:Math.round(c.cpu*1e9),Memory:c.memoryMiB*1024*1024,MemorySwap:c.memoryMiB*1024*1024,...c.binds?{Binds:[...c.binds]}:{},...c.tmpfs&&Object.keys(c.tmpfs).length>0?{Tmpfs:{...c.tmpfs}}:{},...c.publish?{PortBindings:Object.fromEntries(T.map(A=>[A,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function U(k,p){const c=(0,N.pack)(),T=[];c.on("data",F=>T.push(F));const A=new Promise((F,B)=>{c.on("end",F),c.on("error",B)}),$=v.Qy.replace(/^\/tmp\//,"");c.entry({name:`${$}/`,type:"directory",mode:493}),c.entry({name:`${$}/${v.qJ.ca}`,mode:292},p.ca),c.entry({name:`${$}/${v.qJ.cert}`,mode:292},p.cert),c.entry({name:`${$}/${v.qJ.key}`,mode:292},p.key),c.finalize(),await A,await k.putArchive(Buffer.concat(T),{path:"/tmp"})}async function E(k,p=15){try{const c=await k.logs({stdout:!0,stderr:!0,tail:p}),T=new l.PassThrough,A=[],$=(0,x.S)(T,F=>{F.trimEnd()!==""&&A.push(F.trimEnd())});return await H(k.modem,l.Readable.from([c]),T,T),T.end(),await $,A}catch{return[]}}async function W(k,p,c){const T=new l.PassThrough,A=new l.PassThrough,$=Promise.all([(0,x.S)(T,F=>c(F,"stdout")),(0,x.S)(A,F=>c(F,"stderr"))]);await H(k.modem,p,T,A),T.end(),A.end(),await $}function H(k,p,c,T){return new Promise(A=>{p.on("end",()=>A()),p.on("close",()=>A()),p.on("error",()=>A()),k.demuxStream(p,c,T)})}}),16641:((V,L,a)=>{a.d(L,{D8:()=>b,rJ:()=>E,Dd:()=>W,xS:()=>H,Kp:()=>A,dY:()=>B,zb:()=>q});var l=a(53145),N=a(42628),v=a(31301),I=a(81451);const x=String.raw`
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
`,m=10,b="outputs",U="<attempt token>",E={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function W(t,o){const u=Object.entries(o).flatMap(([g,_])=>_===void 0?[]:[[E[g],_]]),f=g=>typeof g=="string"?u.reduce((_,[P,w])=>_.split(P).join(w),g):Array.isArray(g)?g.map(f):g&&typeof g=="object"?Object.fromEntries(Object.entries(g).map(([_,P])=>[_,f(P)])):g;return f(t)}function H(t,o,u){return{ecsCluster:t.ecsCluster,executionRoleArn:t.executionRoleArn,taskRoleArn:t.taskRoleArn,subnets:t.subnets,securityGroups:t.securityGroups,assignPublicIp:t.assignPublicIp,tlsSecretArn:t.tlsSecretArn,createdAt:o,expiresAt:u}}function k(t){return Object.entries(t).map(([o,u])=>({key:o,value:u}))}function p(t){return Object.entries(t).map(([o,u])=>({Key:o,Value:u}))}const c=["umask 077",`mkdir -p ${l.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${l.Qy}/${l.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${l.Qy}/${l.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${l.Qy}/${l.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function T(t,o){return t.tls?["sh","-c",c,"sh",...o]:[...o]}function A(t,o,u){const f=(0,N.EC)(t.clusterId,u.createdAt,u.expiresAt,t.labels),g=I.P.logGroup(t.clusterId),_=[...o.clientCidr?[o.clientCidr]:[],...o.allowPublicIngress?["0.0.0.0/0"]:[]],P=w=>{const M=w==="worker"?o.workerSize:o.schedulerSize,D=w==="job"&&o.outputUri?(0,v.V6)(o.outputUri):void 0,j=w==="scheduler"?(0,l.hx)(t):w==="worker"?(0,l.y2)(t,"scheduler-address-set-per-run"):(0,l.pi)(t,{uploadOutputs:D!==void 0}),J=[...Object.entries(o.secrets).map(([e,n])=>({name:e,valueFrom:n})),...u.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${u.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${u.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${u.tlsSecretArn}:key::`}]:[],...u.tlsSecretArn&&D?[{name:"DFA_OUTPUT_KEY",valueFrom:`${u.tlsSecretArn}:${b}::`}]:[]];return{family:I.P.family(t.clusterId,w),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(M.cpu),memory:String(M.memory),runtimePlatform:{cpuArchitecture:o.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:u.executionRoleArn,taskRoleArn:u.taskRoleArn,...o.ephemeralStorage?{ephemeralStorage:{sizeInGiB:o.ephemeralStorage}}:{},containerDefinitions:[{name:I.P.container,image:t.image,essential:!0,memory:M.memory,command:T(t,j),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(t.environment).map(([e,n])=>({name:e,value:n})),...D?[{name:"DFA_UPLOAD_OUTPUTS",value:x},{name:"DFA_OUTPUT_BUCKET",value:D.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,v.Pr)(D,t.clusterId,u.outputToken??U)},{name:"DFA_OUTPUT_CLUSTER",value:t.clusterId},{name:"DFA_OUTPUT_TOKEN",value:u.outputToken??U}]:[]],...J.length>0?{secrets:J}:{},...w==="scheduler"?{portMappings:[l.Q9,l.r2].map(e=>({containerPort:e,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":g,"awslogs-region":o.region,"awslogs-stream-prefix":w}}}],tags:k({...f,"io.dask-fargate-action.role":w})}};return{backend:"fargate",clusterId:t.clusterId,region:o.region,createCluster:o.ecsCluster?void 0:{clusterName:I.P.ecsCluster(t.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:k(f),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:g,retentionInDays:o.logRetentionDays,tags:f},securityGroup:o.securityGroups?void 0:{name:I.P.securityGroup(t.clusterId),description:`dask-fargate-action cluster ${t.clusterId}: members reach each other on all TCP ports`,vpcId:u.vpcId??"<the subnets' VPC>",clientCidrs:_,clientPorts:{from:l.Q9,to:o.openDashboard?l.r2:l.Q9},tags:p({...f,Name:I.P.securityGroup(t.clusterId)}),ingress:$(E.securityGroupId,_,{from:l.Q9,to:o.openDashboard?l.r2:l.Q9})},tlsSecret:t.tls?{name:I.P.tlsSecret(t.clusterId),description:`dask-fargate-action: TLS files of cluster ${t.clusterId}; deleted with the cluster`,tags:p(f)}:void 0,taskDefinitions:{scheduler:P("scheduler"),worker:P("worker"),job:P("job")},schedulerRun:B(t,o,u,"scheduler",1,`${t.clusterId}-scheduler`,void 0,!1),workerRuns:q(t,o,u,E.schedulerAddress,0,t.workers,o.spotWorkers),workerFallback:o.spotWorkers?"on-demand":"none",tags:f}}function $(t,o,u){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:t,Description:"cluster members: Dask and XGBoost"}]},...o.length>0?[{IpProtocol:"tcp",FromPort:u.from,ToPort:u.to,IpRanges:o.map(f=>({CidrIp:f,Description:u.to>u.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function F(t){const o=(w,M)=>(D,j)=>({operation:D,input:j,stage:w,lane:M}),u=o(1,"ecs cluster"),f=o(1,"log group"),g=o(1,"security group"),_=o(1,"secret and task definitions"),P=o(3,"workers");return[...t.createCluster?[u("ecs:CreateCluster",t.createCluster)]:[],f("logs:CreateLogGroup",{logGroupName:t.logGroup.name,tags:t.logGroup.tags}),f("logs:PutRetentionPolicy",{logGroupName:t.logGroup.name,retentionInDays:t.logGroup.retentionInDays}),...t.securityGroup?[g("ec2:CreateSecurityGroup",{GroupName:t.securityGroup.name,Description:t.securityGroup.description,VpcId:t.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:t.securityGroup.tags}]}),g("ec2:AuthorizeSecurityGroupIngress",{GroupId:E.securityGroupId,IpPermissions:t.securityGroup.ingress})]:[],...t.tlsSecret?[_("secretsmanager:CreateSecret",{Name:t.tlsSecret.name,Description:t.tlsSecret.description,Tags:t.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(w=>_("ecs:RegisterTaskDefinition",t.taskDefinitions[w])),o(2,"scheduler")("ecs:RunTask",t.schedulerRun),...t.workerRuns.map(w=>P("ecs:RunTask",w))]}function B(t,o,u,f,g,_,P,w,M={}){const D=Object.entries(M).map(([j,J])=>({name:j,value:J}));return{cluster:u.ecsCluster,taskDefinition:I.P.family(t.clusterId,f),count:g,clientToken:_,startedBy:t.clusterId,...w?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:o.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...u.subnets],securityGroups:[...u.securityGroups],assignPublicIp:u.assignPublicIp?"ENABLED":"DISABLED"}},...P||D.length>0?{overrides:{containerOverrides:[{name:I.P.container,...P?{command:T(t,P)}:{},...D.length>0?{environment:D}:{}}]}}:{},tags:k({...(0,N.EC)(t.clusterId,u.createdAt,u.expiresAt,t.labels),"io.dask-fargate-action.role":f}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function q(t,o,u,f,g,_,P){const w=[];for(let M=g;M<g+_;M+=m){const D=Math.min(m,g+_-M),j=(0,l.y2)(t,f);w.push(B(t,o,u,"worker",D,`${t.clusterId}-w${M}-${D}${P?"-spot":""}`,j,P))}return w}}),4353:((V,L,a)=>{a.d(L,{q:()=>l});const l={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((V,L,a)=>{a.d(L,{R:()=>N});var l=a(37067);function N(v,I=5e3){return new Promise(x=>{const m=(0,l.get)(`${v.replace(/\/$/,"")}/json/identity.json`,{timeout:I},b=>{let U="";b.setEncoding("utf8"),b.on("data",E=>{U+=E}),b.on("end",()=>{if(b.statusCode!==200)return x(void 0);try{const E=JSON.parse(U);x(Object.keys(E.workers??{}).length)}catch{x(void 0)}}),b.on("error",()=>x(void 0))});m.on("timeout",()=>m.destroy()),m.on("error",()=>x(void 0))})}})};export{ne as id,se as ids,oe as modules};
