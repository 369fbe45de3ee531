const W=608,H=[608],K={608:((N,O,n)=>{n.r(O),n.d(O,{FARGATE_PRICES:()=>x,PhaseTimer:()=>P,countWorkers:()=>j.R,createBackend:()=>u,estimateFargateCost:()=>A,hourlyFargateCost:()=>o,runClusterJob:()=>L,silentLogger:()=>v.q});var a=n(8962),F=n(88246),E=n(66590),T=n(93866),w=n(86935);function u(d,l={}){if(d==="docker")return _({name:"docker",validate:()=>{},plan:s=>(0,a.M)(s,{createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"}),preflight:async()=>{}},async()=>(await Promise.all([n.e(292),n.e(639),n.e(533)]).then(n.bind(n,533))).dockerEngineVerbs(l));const i=l.fargate;if(!i)throw new F.N5("region","the fargate backend needs a region (--region, or AWS_REGION)");const y=s=>({ecsCluster:i.ecsCluster??`<created: ${s.clusterId}>`,executionRoleArn:i.executionRoleArn??"<managed: dask-fargate-action-execution>",taskRoleArn:i.taskRoleArn??"<managed: dask-fargate-action-task>",subnets:i.subnets??["<default VPC subnets>"],securityGroups:i.securityGroups??[E.rJ.securityGroupId],assignPublicIp:i.assignPublicIp??!i.subnets,tlsSecretArn:s.tls?E.rJ.tlsSecretArn:void 0,createdAt:"<start time>",expiresAt:"<start time + max-lifetime>"});return _({name:"fargate",validate:s=>{(0,T.q8)(i,s)},plan:s=>(0,E.Kp)(s,(0,T.q8)(i,s),y(s))},async()=>(await Promise.all([n.e(149),n.e(639),n.e(171),n.e(826)]).then(n.bind(n,70826))).fargateEngineVerbs(i,l.clients))}function _(d,l){let i;const y=()=>(i??=l().catch(s=>{throw i=void 0,s}),i);return{name:d.name,validate:d.validate,plan:d.plan,preflight:d.preflight??(async(s,c)=>(await y()).preflight(s,c)),up:async(s,c)=>(await y()).up(s,c),runJob:async(s,c,U)=>(await y()).runJob(s,c,U),watchMembers:async(s,c)=>(await y()).watchMembers(s,c),scale:async(s,c,U)=>(C(s,c),(await y()).scale(s,c,U)),down:async(s,c)=>(await y()).down(s,c),reap:async s=>(await y()).reap(s),logs:async(s,c)=>(await y()).logs(s,c)}}function C(d,l){(0,w.i)({...d.spec,workers:l,allowUnboundedCost:d.spec.allowUnboundedCost??!1})}var R=n(14589);async function L(d,l,i,y){if(i.runsOn==="cluster")return d.runJob(l,i,y);const s=await d.watchMembers(l,y);try{return{...await(0,R.wO)(l,i,y.signal),stoppedMembers:[...s.stopped]}}finally{s.stop()}}const x={X86_64:{vcpuHour:.04048,gbHour:.004445},ARM64:{vcpuHour:.03238,gbHour:.00356},publicIpv4Hour:.005,source:"AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01"};function g(d,l,i,y){const s=x[l],c=(e,t)=>e*s.vcpuHour+t/1024*s.gbHour;return(1+(y.jobTask?1:0))*c(d.schedulerCpu,d.schedulerMemory)+d.workers*c(d.workerCpu,d.workerMemory)+i*x.publicIpv4Hour}const m=(d,l)=>`1 scheduler + ${d.workers} workers${l.jobTask?" + 1 job task":""}`;function o(d,l,i,y,s={}){const c=g(d,l,i,s),U=c*(d.maxLifetime/3600),e=y?" (upper bound: Spot workers priced on demand)":"";return{usd:c,maxLifetimeUsd:U,text:`about $${c.toFixed(2)} per hour${e}; at most $${U.toFixed(2)} before the ${k(d.maxLifetime)} max-lifetime ends it`,method:`${m(d,s)}${i>0?` + ${i} public IPv4 addresses`:""} at ${x.source}`}}function A(d,l,i,y,s,c={}){const U=Math.max(60,Math.ceil(i))/3600,e=g(d,l,y,c)*U,t=`$${e.toFixed(4)}${s?" (upper bound: Spot workers priced on demand)":""}`;return{usd:e,text:t,method:`${m(d,c)} \xD7 ${Math.ceil(i)} s (min. 60 s) at ${x.source}`}}function k(d){const l=d/3600;return Number.isInteger(l)?`${l} h`:`${Math.round(d/60)} min`}var v=n(4353);class P{phases=[];async time(l,i){const y=performance.now();try{return await i()}finally{this.phases.push([l,performance.now()-y])}}toJSON(){return Object.fromEntries(this.phases.map(([l,i])=>[l,Math.round(i)]))}toString(){return this.phases.map(([l,i])=>`${l} ${(i/1e3).toFixed(1)} s`).join(", ")}}var j=n(29641)}),8962:((N,O,n)=>{n.d(O,{M:()=>w,q:()=>T});var a=n(53145),F=n(42628),E=n(89401);function T(u,_,C,R){return{role:"worker",name:E.Dy.worker(u.clusterId,R),command:(0,a.y2)(u,C,`worker-${R}`),cpu:u.workerCpu,memoryMiB:u.workerMemory,environment:u.environment,createdAt:_.createdAt,expiresAt:_.expiresAt}}function w(u,_){const C=`${u.tls?"tls":"tcp"}://${E.Dy.scheduler(u.clusterId)}:${a.Q9}`;return{backend:"docker",clusterId:u.clusterId,network:{name:E.Dy.network(u.clusterId),driver:"bridge",labels:(0,F.EC)(u.clusterId,_.createdAt,_.expiresAt,u.labels)},scheduler:{role:"scheduler",name:E.Dy.scheduler(u.clusterId),command:(0,a.hx)(u),cpu:u.schedulerCpu,memoryMiB:u.schedulerMemory,environment:u.environment,createdAt:_.createdAt,expiresAt:_.expiresAt,publish:!0},workers:Array.from({length:u.workers},(R,L)=>T(u,_,C,L)),schedulerAddress:C,publishedPorts:[a.Q9,a.r2],tls:u.tls}}}),89401:((N,O,n)=>{n.d(O,{Dy:()=>u,Mn:()=>L,aR:()=>C,bi:()=>_,w$:()=>R});var a=n(57075),F=n(36474),E=n(53145),T=n(42628),w=n(84368);const u={network:g=>g,scheduler:g=>`${g}-scheduler`,worker:(g,m)=>`${g}-worker-${m}`,job:(g,m)=>`${g}-job-${m}`};async function _(g,m,o){const A=[`${E.Q9}/tcp`,`${E.r2}/tcp`];return g.createContainer({name:o.name,Image:m.image,Cmd:[...o.command],Env:Object.entries(o.environment).map(([k,v])=>`${k}=${v}`),Labels:(0,T.EC)(m.clusterId,o.createdAt,o.expiresAt,m.labels,o.role),...o.workingDir?{WorkingDir:o.workingDir}:{},...o.publish?{ExposedPorts:Object.fromEntries(A.map(k=>[k,{}]))}:{},HostConfig:{NetworkMode:u.network(m.clusterId),NanoCpus:Math.round(o.cpu*1e9),Memory:o.memoryMiB*1024*1024,MemorySwap:o.memoryMiB*1024*1024,...o.binds?{Binds:[...o.binds]}:{},...o.tmpfs&&Object.keys(o.tmpfs).length>0?{Tmpfs:{...o.tmpfs}}:{},...o.publish?{PortBindings:Object.fromEntries(A.map(k=>[k,[{HostIp:"127.0.0.1",HostPort:""}]]))}:{}}})}async function C(g,m){const o=(0,F.pack)(),A=[];o.on("data",P=>A.push(P));const k=new Promise((P,j)=>{o.on("end",P),o.on("error",j)}),v=E.Qy.replace(/^\/tmp\//,"");o.entry({name:`${v}/`,type:"directory",mode:493}),o.entry({name:`${v}/${E.qJ.ca}`,mode:292},m.ca),o.entry({name:`${v}/${E.qJ.cert}`,mode:292},m.cert),o.entry({name:`${v}/${E.qJ.key}`,mode:292},m.key),o.finalize(),await k,await g.putArchive(Buffer.concat(A),{path:"/tmp"})}async function R(g,m=15){try{const o=await g.logs({stdout:!0,stderr:!0,tail:m}),A=new a.PassThrough,k=[],v=(0,w.S)(A,P=>{P.trimEnd()!==""&&k.push(P.trimEnd())});return await x(g.modem,a.Readable.from([o]),A,A),A.end(),await v,k}catch{return[]}}async function L(g,m,o){const A=new a.PassThrough,k=new a.PassThrough,v=Promise.all([(0,w.S)(A,P=>o(P,"stdout")),(0,w.S)(k,P=>o(P,"stderr"))]);await x(g.modem,m,A,k),A.end(),k.end(),await v}function x(g,m,o,A){return new Promise(k=>{m.on("end",()=>k()),m.on("close",()=>k()),m.on("error",()=>k()),g.demuxStream(m,o,A)})}}),66590:((N,O,n)=>{n.d(O,{D8:()=>g,rJ:()=>o,Dd:()=>A,xS:()=>k,Kp:()=>l,dY:()=>s,zb:()=>c});var a=n(53145),F=n(42628),E=n(31301),T=n(81451);const w=String.raw`def sha256_hex(data):
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
`,u=String.raw`
import datetime, hashlib, hmac, json, os, random, sys, time, urllib.error, urllib.parse, urllib.request

${w}
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
`,_="DFA_FIND_SCHEDULER";function C(e,t){return["sh","-c",`exec "$0" -c "$${_}" "$@"`,e,...t]}function R(e,t,r,p){return{DFA_SCHEDULER_TASK:e,DFA_ECS_CLUSTER:t,DFA_SCHEDULER_PROTOCOL:r,DFA_SCHEDULER_PORT:String(p)}}const L=String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

${w}
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
`,x=10,g="outputs",m="<attempt token>",o={securityGroupId:"<created: security group>",tlsSecretArn:"<created: TLS secret>",schedulerAddress:"<scheduler address>",schedulerTaskArn:"<created: scheduler task>"};function A(e,t){const r=Object.entries(t).flatMap(([f,b])=>b===void 0?[]:[[o[f],b]]),p=f=>typeof f=="string"?r.reduce((b,[S,h])=>b.split(S).join(h),f):Array.isArray(f)?f.map(p):f&&typeof f=="object"?Object.fromEntries(Object.entries(f).map(([b,S])=>[b,p(S)])):f;return p(e)}function k(e,t,r){return{ecsCluster:e.ecsCluster,executionRoleArn:e.executionRoleArn,taskRoleArn:e.taskRoleArn,subnets:e.subnets,securityGroups:e.securityGroups,assignPublicIp:e.assignPublicIp,tlsSecretArn:e.tlsSecretArn,createdAt:t,expiresAt:r}}function v(e){return Object.entries(e).map(([t,r])=>({key:t,value:r}))}function P(e){return Object.entries(e).map(([t,r])=>({Key:t,Value:r}))}const j=["umask 077",`mkdir -p ${a.Qy}`,`printf '%s\\n' "$DFA_TLS_CA" > ${a.Qy}/${a.qJ.ca}`,`printf '%s\\n' "$DFA_TLS_CERT" > ${a.Qy}/${a.qJ.cert}`,`printf '%s\\n' "$DFA_TLS_KEY" > ${a.Qy}/${a.qJ.key}`,"unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",'exec "$@"'].join(" && ");function d(e,t){return e.tls?["sh","-c",j,"sh",...t]:[...t]}function l(e,t,r){const p=(0,F.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),f=T.P.logGroup(e.clusterId),b=[...t.clientCidr?[t.clientCidr]:[],...t.allowPublicIngress?["0.0.0.0/0"]:[]],S=h=>{const I=h==="worker"?t.workerSize:t.schedulerSize,D=h==="job"&&t.outputUri?(0,E.V6)(t.outputUri):void 0,$=h==="scheduler"?(0,a.hx)(e):h==="worker"?(0,a.y2)(e,"scheduler-address-set-per-run"):(0,a.pi)(e,{uploadOutputs:D!==void 0}),G=[...Object.entries(t.secrets).map(([M,z])=>({name:M,valueFrom:z})),...r.tlsSecretArn?[{name:"DFA_TLS_CA",valueFrom:`${r.tlsSecretArn}:ca::`},{name:"DFA_TLS_CERT",valueFrom:`${r.tlsSecretArn}:cert::`},{name:"DFA_TLS_KEY",valueFrom:`${r.tlsSecretArn}:key::`}]:[],...r.tlsSecretArn&&D?[{name:"DFA_OUTPUT_KEY",valueFrom:`${r.tlsSecretArn}:${g}::`}]:[]];return{family:T.P.family(e.clusterId,h),networkMode:"awsvpc",requiresCompatibilities:["FARGATE"],cpu:String(I.cpu),memory:String(I.memory),runtimePlatform:{cpuArchitecture:t.architecture,operatingSystemFamily:"LINUX"},executionRoleArn:r.executionRoleArn,taskRoleArn:r.taskRoleArn,...t.ephemeralStorage?{ephemeralStorage:{sizeInGiB:t.ephemeralStorage}}:{},containerDefinitions:[{name:T.P.container,image:e.image,essential:!0,memory:I.memory,command:d(e,$),environment:[{name:"TINI_SUBREAPER",value:"1"},...h==="worker"?[{name:_,value:u}]:[],...Object.entries(e.environment).map(([M,z])=>({name:M,value:z})),...D?[{name:"DFA_UPLOAD_OUTPUTS",value:L},{name:"DFA_OUTPUT_BUCKET",value:D.bucket},{name:"DFA_OUTPUT_PREFIX",value:(0,E.Pr)(D,e.clusterId,r.outputToken??m)},{name:"DFA_OUTPUT_CLUSTER",value:e.clusterId},{name:"DFA_OUTPUT_TOKEN",value:r.outputToken??m}]:[]],...G.length>0?{secrets:G}:{},...h==="scheduler"?{portMappings:[a.Q9,a.r2].map(M=>({containerPort:M,protocol:"tcp"}))}:{},linuxParameters:{initProcessEnabled:!0},ulimits:[{name:"nofile",softLimit:65536,hardLimit:65536}],stopTimeout:30,logConfiguration:{logDriver:"awslogs",options:{"awslogs-group":f,"awslogs-region":t.region,"awslogs-stream-prefix":h}}}],tags:v({...p,"io.dask-fargate-action.role":h})}};return{backend:"fargate",clusterId:e.clusterId,region:t.region,createCluster:t.ecsCluster?void 0:{clusterName:T.P.ecsCluster(e.clusterId),capacityProviders:["FARGATE","FARGATE_SPOT"],tags:v(p),settings:[{name:"containerInsights",value:"disabled"}]},logGroup:{name:f,retentionInDays:t.logRetentionDays,tags:p},securityGroup:t.securityGroups?void 0:{name:T.P.securityGroup(e.clusterId),description:`dask-fargate-action cluster ${e.clusterId}: members reach each other on all TCP ports`,vpcId:r.vpcId??"<the subnets' VPC>",clientCidrs:b,clientPorts:{from:a.Q9,to:t.openDashboard?a.r2:a.Q9},tags:P({...p,Name:T.P.securityGroup(e.clusterId)}),ingress:i(o.securityGroupId,b,{from:a.Q9,to:t.openDashboard?a.r2:a.Q9})},tlsSecret:e.tls?{name:T.P.tlsSecret(e.clusterId),description:`dask-fargate-action: TLS files of cluster ${e.clusterId}; deleted with the cluster`,tags:P(p)}:void 0,taskDefinitions:{scheduler:S("scheduler"),worker:S("worker"),job:S("job")},schedulerRun:s(e,t,r,"scheduler",1,`${e.clusterId}-scheduler`,void 0,!1),workerRuns:r.schedulerLookup==="workers-find-it"?U(e,t,r):c(e,t,r,o.schedulerAddress,0,e.workers,t.spotWorkers),schedulerLookup:r.schedulerLookup??"after-ip",workerFallback:t.spotWorkers?"on-demand":"none",tags:p}}function i(e,t,r){return[{IpProtocol:"tcp",FromPort:0,ToPort:65535,UserIdGroupPairs:[{GroupId:e,Description:"cluster members: Dask and XGBoost"}]},...t.length>0?[{IpProtocol:"tcp",FromPort:r.from,ToPort:r.to,IpRanges:t.map(p=>({CidrIp:p,Description:r.to>r.from?"Dask client: scheduler and dashboard":"Dask client: scheduler"}))}]:[]]}function y(e){const t=(h,I)=>(D,$)=>({operation:D,input:$,stage:h,lane:I}),r=t(1,"ecs cluster"),p=t(1,"log group"),f=t(1,"security group"),b=t(1,"secret and task definitions"),S=e.schedulerLookup==="workers-find-it"?t(2,"workers"):t(3,"workers");return[...e.createCluster?[r("ecs:CreateCluster",e.createCluster)]:[],p("logs:CreateLogGroup",{logGroupName:e.logGroup.name,tags:e.logGroup.tags}),p("logs:PutRetentionPolicy",{logGroupName:e.logGroup.name,retentionInDays:e.logGroup.retentionInDays}),...e.securityGroup?[f("ec2:CreateSecurityGroup",{GroupName:e.securityGroup.name,Description:e.securityGroup.description,VpcId:e.securityGroup.vpcId,TagSpecifications:[{ResourceType:"security-group",Tags:e.securityGroup.tags}]}),f("ec2:AuthorizeSecurityGroupIngress",{GroupId:o.securityGroupId,IpPermissions:e.securityGroup.ingress})]:[],...e.tlsSecret?[b("secretsmanager:CreateSecret",{Name:e.tlsSecret.name,Description:e.tlsSecret.description,Tags:e.tlsSecret.tags})]:[],...["scheduler","worker","job"].map(h=>b("ecs:RegisterTaskDefinition",e.taskDefinitions[h])),t(2,"scheduler")("ecs:RunTask",e.schedulerRun),...e.workerRuns.map(h=>S("ecs:RunTask",h))]}function s(e,t,r,p,f,b,S,h,I={}){const D=Object.entries(I).map(([$,G])=>({name:$,value:G}));return{cluster:r.ecsCluster,taskDefinition:T.P.family(e.clusterId,p),count:f,clientToken:b,startedBy:e.clusterId,...h?{capacityProviderStrategy:[{capacityProvider:"FARGATE_SPOT",weight:1}]}:{launchType:"FARGATE"},platformVersion:t.platformVersion,networkConfiguration:{awsvpcConfiguration:{subnets:[...r.subnets],securityGroups:[...r.securityGroups],assignPublicIp:r.assignPublicIp?"ENABLED":"DISABLED"}},...S||D.length>0?{overrides:{containerOverrides:[{name:T.P.container,...S?{command:d(e,S)}:{},...D.length>0?{environment:D}:{}}]}}:{},tags:v({...(0,F.EC)(e.clusterId,r.createdAt,r.expiresAt,e.labels),"io.dask-fargate-action.role":p}),propagateTags:"TASK_DEFINITION",enableECSManagedTags:!0}}function c(e,t,r,p,f,b,S){const h=[];for(let I=f;I<f+b;I+=x){const D=Math.min(x,f+b-I),$=(0,a.y2)(e,p);h.push(s(e,t,r,"worker",D,`${e.clusterId}-w${I}-${D}${S?"-spot":""}`,$,S))}return h}function U(e,t,r){const p=[],f=t.spotWorkers,b=R(o.schedulerTaskArn,r.ecsCluster,e.tls?"tls":"tcp",a.Q9),S=C(e.python,(0,a.y2)(e,void 0));for(let h=0;h<e.workers;h+=x){const I=Math.min(x,e.workers-h);p.push(s(e,t,r,"worker",I,`${e.clusterId}-w${h}-${I}${f?"-spot":""}`,S,f,b))}return p}}),4353:((N,O,n)=>{n.d(O,{q:()=>a});const a={info:()=>{},warn:()=>{},debug:()=>{}}}),29641:((N,O,n)=>{n.d(O,{R:()=>F});var a=n(37067);function F(E,T=5e3){return new Promise(w=>{const u=(0,a.get)(`${E.replace(/\/$/,"")}/json/identity.json`,{timeout:T},_=>{let C="";_.setEncoding("utf8"),_.on("data",R=>{C+=R}),_.on("end",()=>{if(_.statusCode!==200)return w(void 0);try{const R=JSON.parse(C);w(Object.keys(R.workers??{}).length)}catch{w(void 0)}}),_.on("error",()=>w(void 0))});u.on("timeout",()=>u.destroy()),u.on("error",()=>w(void 0))})}})};export{W as id,H as ids,K as modules};
