const ne=307,se=[307],oe={22307:((Y,L,d)=>{d.r(L),d.d(L,{FARGATE_PRICES:()=>f,PhaseTimer:()=>G,countWorkers:()=>J.R,createBackend:()=>w,estimateFargateCost:()=>T,formatTimeline:()=>m,hourlyFargateCost:()=>C,runClusterJob:()=>r,silentLogger:()=>$.q});const l="dask-fargate-adapt: ",j=e=>typeof e=="string"?e:"";function I(e){const n=e.indexOf(l);if(n<0||n>64)return;let s;try{s=JSON.parse(e.slice(n+l.length))}catch{return}if(typeof s!="object"||s===null)return;const o=s;if(Array.isArray(o.retired))return{kind:"retired",retired:o.retired.filter(k=>typeof k=="object"&&k!==null).map(k=>({address:j(k.address),name:j(k.name),host:j(k.host)})).filter(k=>k.address!=="")};const t=o.target,i=o.workers;if(typeof t=="number"&&Number.isInteger(t)&&t>=0&&typeof i=="number"&&Number.isInteger(i)&&i>=0)return{kind:"target",target:t,workers:i}}function P(e){const n=e.now??Date.now,{min:s,max:o}=e.range,t=n(),i=[{atSeconds:0,workers:e.initial}],h=[],k=new Set;let O=e.initial,q=0,Q=0,V=Promise.resolve(),B=!1,ee=Number.NEGATIVE_INFINITY,X=!1;const g=A=>{O=A;const D=(n()-t)/1e3,z=i[i.length-1];z&&z.workers===A||i.push({atSeconds:D,workers:A})},N=(A,D)=>{V=V.then(D).catch(z=>{const re=`${A} failed: ${z instanceof Error?z.message:String(z)}`;h.push(re),e.logger.warn(`adaptive workers: ${re}; the job goes on with ${O} workers`)})},te=A=>{if(!X){if(A.kind==="target"){const D=Math.max(s,Math.min(o,A.target));if(D<=O||B||n()-ee<(e.growCooldownMs??1e4))return;B=!0;const z=O;N(`growing to ${D} workers`,async()=>{try{e.logger.info(`adaptive workers: the scheduler's target is ${A.target}; growing from ${O} to ${D} workers`),g(D),g(await e.scaler.grow(D).catch(re=>{throw g(z),re})),q+=1}finally{B=!1,ee=n()}});return}if(A.retired.length!==0){for(const D of A.retired)k.add(D.name);N(`removing ${A.retired.length} retired worker(s)`,async()=>{e.logger.info(`adaptive workers: the scheduler retired ${A.retired.map(D=>D.name).join(", ")}; removing their members`),g(await e.scaler.remove(A.retired)),Q+=A.retired.length})}}};return{retiring:k,onLine(A){const D=I(A);return D?(te(D),!0):!1},async stop(){X=!0,await V;const A=(n()-t)/1e3;return{min:s,max:o,peak:Math.max(...i.map(D=>D.workers)),timeline:i,workerSeconds:x(i,A),scaleUps:q,retired:Q,failures:h}}}}function x(e,n){let s=0;for(const[o,t]of e.entries()){const i=e[o+1]?.atSeconds??n;s+=t.workers*Math.max(0,i-t.atSeconds)}return Math.round(s*10)/10}function m(e){return e.timeline.map(n=>`${Math.round(n.atSeconds)} s: ${n.workers}`).join(", ")}var _=d(8962),U=d(88246),v=d(16641),W=d(93866),H=d(86935);function w(e,n={}){if(e==="docker")return p({name:"docker",validate:()=>{},plan:t=>(0,_.M)(t,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([d.e(292),d.e(639),d.e(772)]).then(d.bind(d,77391))).dockerEngineVerbs(n));const s=n.fargate;if(!s)throw new U.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const o=t=>({ecsCluster:s.ecsCluster??`<created: ${t.clusterId}>`,executionRoleArn:s.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:s.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:s.subnets??["<default VPC subnets>"],securityGroups:s.securityGroups??[v.rJ.securityGroupId],assignPublicIp:s.assignPublicIp??!s.subnets,tlsSecretArn:t.tls?v.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return p({name:"fargate",validate:t=>{(0,W.q8)(s,t)},plan:t=>(0,v.Kp)(t,(0,W.q8)(s,t),o(t))},async()=>(await Promise.all([d.e(149),d.e(639),d.e(171),d.e(551)]).then(d.bind(d,88551))).fargateEngineVerbs(s,n.clients))}function p(e,n){let s;const o=()=>(s??=n().catch(t=>{throw s=void 0,t}),s);return{name:e.name,validate:e.validate,plan:e.plan,preflight:e.preflight??(async(t,i)=>(await o()).preflight(t,i)),up:async(t,i)=>(await o()).up(t,i),runJob:async(t,i,h)=>(await o()).runJob(t,i,h),watchMembers:async(t,i)=>(await o()).watchMembers(t,i),scale:async(t,i,h)=>(c(t,i),(await o()).scale(t,i,h)),removeWorkers:async(t,i,h)=>(await o()).removeWorkers(t,i,h),down:async(t,i)=>(await o()).down(t,i),reap:async t=>(await o()).reap(t),logs:async(t,i)=>(await o()).logs(t,i)}}function c(e,n){(0,H.i)({...e.spec,workers:n,allowUnboundedCost:e.spec.allowUnboundedCost??!1})}var E=d(31421),b=d(84368),R=d(14589),F=d(59606);async function K(e,n,s,o,t){const i=n.spec.adaptive;if(!i)return t(s,o.logger);let h=n;const k=new Set,O=P({range:i,initial:n.spec.workers,logger:o.logger,...o.growCooldownMs!==void 0?{growCooldownMs:o.growCooldownMs}:{},scaler:{grow:async g=>(h=await e.scale(h,g,o),h.spec.workers),remove:async g=>{const N=h;h=await e.removeWorkers(h,g,o);const te=new Set(h.fargate?.workerTaskArns??[]);for(const A of N.fargate?.workerTaskArns??[])te.has(A)||k.add(A.split("/").pop()??A);for(const A of g)k.add(`${n.clusterId}-${A.name}`);return h.spec.workers}}}),q=s.runsOn==="runner"?Z(n,s,O,o):void 0,Q=[],V={...o.logger,warn:g=>/ while the job ran$/.test(g)?Q.push(g):o.logger.warn(g)};let B;try{B=await t({...s,onOutput:(g,N)=>O.onLine(g)?void 0:s.onOutput?.(g,N)},V)}finally{q?.kill()}const ee=await O.stop(),X=g=>[...k].some(N=>g===N||g.includes(` ${N}`)||g.startsWith(`${N} `));for(const g of Q)X(g)?o.logger.info(`${g} (retired by the scheduler and removed on purpose)`):o.logger.warn(g);return{...B,stoppedMembers:B.stoppedMembers.filter(g=>!X(g.member)),adaptive:ee}}function Z(e,n,s,o){const t=e.spec.adaptive??{min:e.spec.workers,max:e.spec.workers},i={...(0,R.F1)(e,n,process.env),...(0,F.L)(t)},h=(0,E.spawn)(o.runnerPython??"python3",["-c",i.DFA_ADAPT_PY??""],{env:i,stdio:["ignore","pipe","pipe"]});h.on("error",O=>o.logger.warn(`adaptive workers: the sidecar did not start (${O.message}); the cluster keeps its size`));const k=O=>{s.onLine(O)||o.logger.debug(`adaptive sidecar: ${O}`)};return h.stdout&&(0,b.S)(h.stdout,k),h.stderr&&(0,b.S)(h.stderr,k),h}async function r(e,n,s,o){return K(e,n,s,o,(t,i)=>a(e,n,t,{...o,logger:i}))}async function a(e,n,s,o){if(s.runsOn==="cluster")return e.runJob(n,s,o);const t=await e.watchMembers(n,o);try{return{...await(0,R.wO)(n,s,o.signal),stoppedMembers:[...t.stopped]}}finally{t.stop()}}var u=d(63100);const f={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function y(e,n,s,o){const t=f[n],i=(k,O)=>k*t.vcpuHour+O/1024*t.gbHour;return(1+(o.jobTask?1:0))*i(e.schedulerCpu,e.schedulerMemory)+(0,u.pK)(e)*i(e.workerCpu,e.workerMemory)+s*f.publicIpv4Hour}const S=(e,n)=>`1 scheduler + ${e.adaptive?`up to ${(0,u.pK)(e)} (adaptive ${e.adaptive.min}-${e.adaptive.max})`:e.workers} workers${n.jobTask?" + 1 job task":""}`;function C(e,n,s,o,t={}){const i=y(e,n,s,t),h=i*(e.maxLifetime/3600),k=o?" (upper bound: Spot workers priced on demand)":"";return{usd:i,maxLifetimeUsd:h,text:`about $${i.toFixed(2)} per hour${k}; at most $${h.toFixed(2)} before the ${M(e.maxLifetime)} max-lifetime ends it`,method:`${S(e,t)}${s>0?` + ${s} public IPv4 addresses`:""} at ${f.source}`}}function T(e,n,s,o,t,i={}){const h=Math.max(60,Math.ceil(s))/3600,k=y(e,n,o,i)*h,O=`$${k.toFixed(4)}${t?" (upper bound: Spot workers priced on demand)":""}`;return{usd:k,text:O,method:`${S(e,i)} \xD7 ${Math.ceil(s)} s (min. 60 s) at ${f.source}`}}function M(e){const n=e/3600;return Number.isInteger(n)?`${n} h`:`${Math.round(e/60)} min`}var $=d(4353);class G{phases=[];async time(n,s){const o=performance.now();try{return await s()}finally{this.phases.push([n,performance.now()-o])}}toJSON(){return Object.fromEntries(this.phases.map(([n,s])=>[n,Math.round(s)]))}toString(){return this.phases.map(([n,s])=>`${n} ${(s/1e3).toFixed(1)} s`).join(", ")}}var J=d(29641)}),8962:((Y,L,d)=>{d.d(L,{M:()=>x,q:()=>P});var l=d(53145),j=d(42628),I=d(89401);function P(m,_,U,v){return{role:"worker",name:I.Dy.worker(m.clusterId,v),command:(0,l.y2)(m,U,`worker-${v}`),cpu:m.workerCpu,memoryMiB:m.workerMemory,environment:m.environment,createdAt:_.createdAt,expiresAt:_.expiresAt}}function x(m,_){const U=`${m.tls?"tls":"tcp"}://${I.Dy.scheduler(m.clusterId)}:${l.Q9}`;return{backend:"docker",clusterId:m.clusterId,network:{name:I.Dy.network(m.clusterId),driver:"bridge",labels:(0,j.EC)(m.clusterId,_.createdAt,_.expiresAt,m.labels)},scheduler:{role:"scheduler",name:I.Dy.scheduler(m.clusterId),command:(0,l.hx)(m),cpu:m.schedulerCpu,memoryMiB:m.schedulerMemory,environment:m.environment,createdAt:_.createdAt,expiresAt:_.expiresAt,publish:!0},workers:Array.from({length:m.workers},(v,W)=>P(m,_,U,W)),schedulerAddress:U,publishedPorts:[l.Q9,l.r2],tls:m.tls}}}),89401:((Y,L,d)=>{d.d(L,{Dy:()=>m,Mn:()=>W,aR:()=>U,bi:()=>_,w$:()=>v});var l=d(57075),j=d(36474),I=d(53145),P=d(42628),x=d(84368);const m={network:w=>w,scheduler:w=>`${w}-scheduler`,worker:(w,p)=>`${w}-worker-${p}`,job:(w,p)=>`${w}-job-${p}`};async function _(w,p,c){const E=[`${I.Q9}/tcp`,`${I.r2}/tcp`];return w.createContainer({name:c.name,Image:p.image,Cmd:[...c.command],Env:Object.entries(c.environment).map(([b,R])=>`${b}=${R}`),Labels:(0,P.EC)(p.clusterId,c.createdAt,c.expiresAt,p.labels,c.role),...c.workingDir?{WorkingDir:c.workingDir}:{},...c.publish?{ExposedPorts:Object.fromEntries(E.map(b=>[b,{}]))}:{},HostConfig:{NetworkMode:m.network(p.clusterId),NanoCpus:Math.round(c.cpu*1e9),Memory:c.memoryMiB*1024*1024,MemorySwap:c.memoryMiB*1024*1024,...c.binds?{Binds:[...c.binds]}:{},...c.tmpfs&&Object.keys(c.tmpfs).length>0?{Tmpfs:{...c.tmpfs}}:{},...c.publish?{PortBindings:Object.fromEntries(E.map(b=>[b,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function U(w,p){const c=(0,j.pack)(),E=[];c.on("data",F=>E.push(F));const b=new Promise((F,K)=>{c.on("end",F),c.on("error",K)}),R=I.Qy.replace(/^\/tmp\//,"");c.entry({name:`${R}/`,type:"directory",mode:493}),c.entry({name:`${R}/${I.qJ.ca}`,mode:292},p.ca),c.entry({name:`${R}/${I.qJ.cert}`,mode:292},p.cert),c.entry({name:`${R}/${I.qJ.key}`,mode:292},p.key),c.finalize(),await b,await w.putArchive(Buffer.concat(E),{path:"/tmp"})}async function v(w,p=15){try{const c=await w.logs({stdout:!0,stderr:!0,tail:p}),E=new l.PassThrough,b=[],R=(0,x.S)(E,F=>{F.trimEnd()!==""&&b.push(F.trimEnd())});return await H(w.modem,l.Readable.from([c]),E,E),E.end(),await R,b}catch{return[]}}async function W(w,p,c){const E=new l.PassThrough,b=new l.PassThrough,R=Promise.all([(0,x.S)(E,F=>c(F,"stdout")),(0,x.S)(b,F=>c(F,"stderr"))]);await H(w.modem,p,E,b),E.end(),b.end(),await R}function H(w,p,c,E){return new Promise(b=>{p.on("end",()=>b()),p.on("close",()=>b()),p.on("error",()=>b()),w.demuxStream(p,c,E)})}}),16641:((Y,L,d)=>{d.d(L,{D8:()=>_,rJ:()=>v,Dd:()=>W,xS:()=>H,Kp:()=>b,dY:()=>K,zb:()=>Z});var l=d(53145),j=d(42628),I=d(31301),P=d(81451);const x=String.raw`
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
`,m=10,_="outputs",U="<attempt token>",v={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>"};function W(r,a){const u=Object.entries(a).flatMap(([y,S])=>S===void 0?[]:[[v[y],S]]),f=y=>typeof y=="string"?u.reduce((S,[C,T])=>S.split(C).join(T),y):Array.isArray(y)?y.map(f):y&&typeof y=="object"?Object.fromEntries(Object.entries(y).map(([S,C])=>[S,f(C)])):y;return f(r)}function H(r,a,u){return{ecsCluster:r.ecsCluster,executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,subnets:r.subnets,securityGroups:r.securityGroups,assignPublicIp:r.assignPublicIp,tlsSecretArn:r.tlsSecretArn,createdAt:a,expiresAt:u}}function w(r){return Object.entries(r).map(([a,u])=>({key:a,value:u}))}function p(r){return Object.entries(r).map(([a,u])=>({Key:a,Value:u}))}const c=["umask 077",`mkdir -p ${l.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${l.Qy}/${l.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${l.Qy}/${l.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${l.Qy}/${l.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function E(r,a){return r.tls?["sh","-c",c,"sh",...a]:[...a]}function b(r,a,u){const f=(0,j.EC)(r.clusterId,u.createdAt,u.expiresAt,r.labels),y=P.P.logGroup(r.clusterId),S=[...a.clientCidr?[a.clientCidr]:[],...a.allowPublicIngress?["0.0.0.0/0"]:[]],C=T=>{const M=T==="worker"?a.workerSize:a.schedulerSize,$=T==="job"&&a.outputUri?(0,I.V6)(a.outputUri):void 0,G=T==="scheduler"?(0,l.hx)(r):T==="worker"?(0,l.y2)(r,"scheduler-address-set-per-run"):(0,l.pi)(r,{uploadOutputs:$!==void 0}),J=[...Object.entries(a.secrets).map(([e,n])=>({name:e,valueFrom:n})),...u.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${u.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${u.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${u.tlsSecretArn}:key::`}]:[],...u.tlsSecretArn&&$?[{name:"DFA_OUTPUT_KEY",valueFrom:`${u.tlsSecretArn}:${_}::`}]:[]];return{family:P.P.family(r.clusterId,T),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(M.cpu),memory:String(M.memory),runtimePlatform:{cpuArchitecture:a.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:u.executionRoleArn,taskRoleArn:u.taskRoleArn,...a.ephemeralStorage?{ephemeralStorage:{sizeInGiB:a.ephemeralStorage}}:{},containerDefinitions:[{name:P.P.container,image:r.image,essential:!0,memory:M.memory,command:E(r,G),environment:[{name:"TINI_SUBREAPER",value:"1"},...Object.entries(r.environment).map(([e,n])=>({name:e,value:n})),...$?[{name:"DFA_UPLOAD_OUTPUTS",value:x},{name:"DFA_OUTPUT_BUCKET",value:$.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,I.Pr)($,r.clusterId,u.outputToken??U)},{name:"DFA_OUTPUT_CLUSTER",value:r.clusterId},{name:"DFA_OUTPUT_TOKEN",value:u.outputToken??U}]:[]],...J.length>0?{secrets:J}:{},...T==="scheduler"?{portMappings:[l.Q9,l.r2].map(e=>({containerPort:e,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":y,"awslogs-region":a.region,"awslogs-stream-prefix":T}}}],tags:w({...f,"io.dask-fargate-action.role":T})}};return{backend:"fargate",clusterId:r.clusterId,region:a.region,createCluster:a.ecsCluster?void 0:{clusterName:P.P.ecsCluster(r.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:w(f),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:y,retentionInDays:a.logRetentionDays,tags:f},securityGroup:a.securityGroups?void 0:{name:P.P.securityGroup(r.clusterId),description:`dask-fargate-action cluster ${r.clusterId}: members reach each other on all TCP ports`,vpcId:u.vpcId??"<the subnets' VPC>",clientCidrs:S,clientPorts:{from:l.Q9,to:a.openDashboard?l.r2:l.Q9},tags:p({...f,Name:P.P.securityGroup(r.clusterId)}),ingress:R(v.securityGroupId,S,{from:l.Q9,to:a.openDashboard?l.r2:l.Q9})},tlsSecret:r.tls?{name:P.P.tlsSecret(r.clusterId),description:`dask-fargate-action: TLS files of cluster ${r.clusterId}; deleted with the cluster`,tags:p(f)}:void 0,taskDefinitions:{scheduler:C("scheduler"),worker:C("worker"),job:C("job")},schedulerRun:K(r,a,u,"scheduler",1,`${r.clusterId}-scheduler`,void 0,!1),workerRuns:Z(r,a,u,v.schedulerAddress,0,r.workers,a.spotWorkers),workerFallback:a.spotWorkers?"on-demand":"none",tags:f}}function R(r,a,u){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:r,Description:"cluster members: Dask and XGBoost"}]},...a.length>0?[{IpProtocol:"tcp",FromPort:u.from,ToPort:u.to,IpRanges:a.map(f=>({CidrIp:f,Description:u.to>u.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function F(r){const a=(T,M)=>($,G)=>({operation:$,input:G,stage:T,lane:M}),u=a(1,"ecs cluster"),f=a(1,"log group"),y=a(1,"security group"),S=a(1,"secret and task definitions"),C=a(3,"workers");return[...r.createCluster?[u("ecs:CreateCluster",r.createCluster)]:[],f("logs:CreateLogGroup",{logGroupName:r.logGroup.name,tags:r.logGroup.tags}),f("logs:PutRetentionPolicy",{logGroupName:r.logGroup.name,retentionInDays:r.logGroup.retentionInDays}),...r.securityGroup?[y("ec2:CreateSecurityGroup",{GroupName:r.securityGroup.name,Description:r.securityGroup.description,VpcId:r.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:r.securityGroup.tags}]}),y("ec2:AuthorizeSecurityGroupIngress",{GroupId:v.securityGroupId,IpPermissions:r.securityGroup.ingress})]:[],...r.tlsSecret?[S("secretsmanager:CreateSecret",{Name:r.tlsSecret.name,Description:r.tlsSecret.description,Tags:r.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(T=>S("ecs:RegisterTaskDefinition",r.taskDefinitions[T])),a(2,"scheduler")("ecs:RunTask",r.schedulerRun),...r.workerRuns.map(T=>C("ecs:RunTask",T))]}function K(r,a,u,f,y,S,C,T,M={}){const $=Object.entries(M).map(([G,J])=>({name:G,value:J}));return{cluster:u.ecsCluster,taskDefinition:P.P.family(r.clusterId,f),count:y,clientToken:S,startedBy:r.clusterId,...T?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:a.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...u.subnets],securityGroups:[...u.securityGroups],assignPublicIp:u.assignPublicIp?"ENABLED":"DISABLED"}},...C||$.length>0?{overrides:{containerOverrides:[{name:P.P.container,...C?{command:E(r,C)}:{},...$.length>0?{environment:$}:{}}]}}:{},tags:w({...(0,j.EC)(r.clusterId,u.createdAt,u.expiresAt,r.labels),"io.dask-fargate-action.role":f}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function Z(r,a,u,f,y,S,C){const T=[];for(let M=y;M<y+S;M+=m){const $=Math.min(m,y+S-M),G=(0,l.y2)(r,f);T.push(K(r,a,u,"worker",$,`${r.clusterId}-w${M}-${$}${C?"-spot":""}`,G,C))}return T}}),4353:((Y,L,d)=>{d.d(L,{q:()=>l});const l={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((Y,L,d)=>{d.d(L,{R:()=>j});var l=d(37067);function j(I,P=5e3){return new Promise(x=>{const m=(0,l.get)(`${I.replace(/\/$/,"")}/json/identity.json`,{timeout:P},_=>{let U="";_.setEncoding("utf8"),_.on("data",v=>{U+=v}),_.on("end",()=>{if(_.statusCode!==200)return x(void 0);try{const v=JSON.parse(U);x(Object.keys(v.workers??{}).length)}catch{x(void 0)}}),_.on("error",()=>x(void 0))});m.on("timeout",()=>m.destroy()),m.on("error",()=>x(void 0))})}})};export{ne as id,se as ids,oe as modules};
