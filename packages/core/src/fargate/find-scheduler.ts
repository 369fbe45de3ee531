import { AWS_SIGV4_PY } from "./aws-sigv4-py.js";

/**
 * The worker's bootstrap when workers are launched right after the scheduler's RunTask, before its ENI has an IP:
 * the worker learns the scheduler's address itself, from ECS DescribeTasks of the scheduler's task (its ARN comes
 * in DFA_SCHEDULER_TASK of the worker's RunTask overrides; an ARN is no secret), signed with the task role's
 * credentials (aws-sigv4-py.ts). It polls with exponential backoff and full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter") on throttling, 5xx and dropped connections, until the scheduler's
 * ElasticNetworkInterface attachment has its `privateIPv4Address`; then it sets DASK_SCHEDULER_ADDRESS
 * (`$DFA_SCHEDULER_PROTOCOL://IP:$DFA_SCHEDULER_PORT`) and execs its arguments, the usual worker command, which
 * reads the address from there (Dask's `scheduler-address` setting). Nothing it waits for is a task-start secret,
 * so the order in which ECS reads the worker's secrets and the scheduler gets its IP does not matter.
 *
 * It gives up with one line on stderr and exit status 1 when the scheduler's task is STOPPED, when ECS refuses
 * the call (access denied, a bad request), or after DFA_FIND_SCHEDULER_TIMEOUT seconds (default 600). It prints
 * no credentials: only ECS's error code and message, or the exception's text.
 *
 * Endpoint: AWS_ENDPOINT_URL_ECS when set (the emulator sets it), else the regional endpoint
 * `https://ecs.<region>.amazonaws.com` (`.com.cn` in China), the region taken from the scheduler task's ARN.
 * With DASK_SCHEDULER_ADDRESS already set it execs at once. Fixed text: no user input inside it.
 */
export const FIND_SCHEDULER_PY = String.raw`
import datetime, hashlib, hmac, json, os, random, sys, time, urllib.error, urllib.parse, urllib.request

${AWS_SIGV4_PY}
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
`;

/** The variable of the worker task definition that holds {@link FIND_SCHEDULER_PY}. */
export const FIND_SCHEDULER_ENV = "DFA_FIND_SCHEDULER";

/**
 * A worker command run behind {@link FIND_SCHEDULER_PY}: `sh` expands the program from the task definition's
 * environment (it is too long for every RunTask's overrides) and execs python with the command as arguments.
 */
export function findSchedulerCommand(python: string, command: readonly string[]): string[] {
  return ["sh", "-c", `exec "$0" -c "$${FIND_SCHEDULER_ENV}" "$@"`, python, ...command];
}

/** What a worker's RunTask overrides carry for {@link FIND_SCHEDULER_PY}: where to look and how to form the address. */
export function findSchedulerEnvironment(
  schedulerTaskArn: string,
  ecsCluster: string,
  protocol: "tls" | "tcp",
  port: number,
): Record<string, string> {
  return {
    DFA_SCHEDULER_TASK: schedulerTaskArn,
    DFA_ECS_CLUSTER: ecsCluster,
    DFA_SCHEDULER_PROTOCOL: protocol,
    DFA_SCHEDULER_PORT: String(port),
  };
}
