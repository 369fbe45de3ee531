import { AWS_SIGV4_PY } from "./aws-sigv4-py.js";

/**
 * The program a Fargate job task runs after the job's command (success or failure): it uploads every regular file
 * under DFA_OUTPUT_DIR (links are left out) to `s3://$DFA_OUTPUT_BUCKET/$DFA_OUTPUT_PREFIX$DFA_OUTPUT_JOB/files/<path>`
 * with the task role's credentials, then the manifest of what it uploaded (size and sha256 of each file; the
 * cluster, attempt token and job it belongs to) with its HMAC-SHA256 under the key in DFA_OUTPUT_KEY_FILE, as
 * `.../manifest.json` (output-manifest.ts: the runner takes only what a manifest signed with this cluster's key
 * lists). A name S3 cannot hold (not UTF-8, too long) is skipped alone and listed in the manifest. Only
 * Python's standard library (any Dask image has python3, not necessarily boto3), so it signs with AWS Signature
 * Version 4 itself (S3 API reference, "Signature Calculations for the Authorization Header"; checked against
 * its examples in test/output-uploader.test.ts). Fixed text: no user input inside it.
 *
 * Credentials: the task role's, from the container credentials endpoint ECS sets up
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]; AWS developer guide "Task IAM role", SDK reference "Container
 * credential provider"), else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. Region from
 * AWS_REGION; endpoint AWS_ENDPOINT_URL_S3 (path style) when set, else the regional endpoint.
 * Exit status: 0 when every file and the manifest were uploaded, 1 otherwise (each failure on stderr).
 */
export const UPLOAD_OUTPUTS_PY = String.raw`
import datetime, hashlib, hmac, json, os, re, sys, time, urllib.error, urllib.parse, urllib.request

${AWS_SIGV4_PY}
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
`;
