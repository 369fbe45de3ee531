/**
 * Python (standard library only) that the fixed programs of our tasks share to call AWS with the task role: the
 * AWS Signature Version 4 signer (`sign`, checked against the S3 API reference's examples in
 * test/output-uploader.test.ts) and the container credentials reader (`credentials`). Programs put it after their
 * imports, which must include datetime, hashlib, hmac, json, os, urllib.parse and urllib.request.
 *
 * Credentials: the task role's, from the container credentials endpoint ECS sets up
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]; AWS developer guide "Task IAM role", SDK reference "Container
 * credential provider"), else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 */
export const AWS_SIGV4_PY = String.raw`def sha256_hex(data):
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
`;
