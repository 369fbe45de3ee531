export const id = 559;
export const ids = [559];
export const modules = {

/***/ 89987:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ DEFAULT_READINESS)
/* harmony export */ });
/* unused harmony export READINESS_VALUES */
/** The readiness `up` waits for unless told: what each backend can observe from a GitHub runner without opening ports. */
const DEFAULT_READINESS = { docker: "registered", fargate: "running" };
/** The readiness names, for input and flag checks. */
const READINESS_VALUES = (/* unused pure expression or super */ null && (["running", "registered"]));
//# sourceMappingURL=cluster.js.map

/***/ }),

/***/ 60559:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fargateEngineVerbs: () => (/* binding */ fargateEngineVerbs)
});

// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var dist_cjs = __webpack_require__(1107);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var client_ec2_dist_cjs = __webpack_require__(81637);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var client_ecr_dist_cjs = __webpack_require__(10149);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(84224);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var client_iam_dist_cjs = __webpack_require__(39240);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(28299);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js
var client_secrets_manager_dist_cjs = __webpack_require__(75494);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-service-quotas/dist-cjs/index.js
var client_service_quotas_dist_cjs = __webpack_require__(94208);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(62811);
// EXTERNAL MODULE: ../core/dist/errors.js
var errors = __webpack_require__(88246);
;// CONCATENATED MODULE: ../core/dist/version.js
/** This package's version, as in its package.json (a test keeps them equal; the action bundle has no package.json to read). */
const CORE_VERSION = "0.1.0";
//# sourceMappingURL=version.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/aws-clients.js











/** The project's user agent suffix with core's package.json version, so requests are recognisable in CloudTrail. */
const USER_AGENT = `dask-fargate-action/${CORE_VERSION}`;
/**
 * One factory for every client: the region, the default credential chain (environment, shared files,
 * SSO, web identity/OIDC, container and instance roles), AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
 * (read by the SDK itself), standard retries and the user agent.
 */
function createAwsClients(options) {
    const config = { region: options.region, retryMode: "standard", maxAttempts: options.maxAttempts ?? 6, customUserAgent: USER_AGENT };
    const clients = {
        ecs: new client_ecs_dist_cjs/* ECSClient */.Zgc(config),
        ec2: new client_ec2_dist_cjs/* EC2Client */.gu5(config),
        iam: new client_iam_dist_cjs/* IAMClient */.h8v(config),
        logs: new dist_cjs/* CloudWatchLogsClient */.TFr(config),
        secrets: new client_secrets_manager_dist_cjs/* SecretsManagerClient */._H(config),
        sts: new client_sts_dist_cjs/* STSClient */.iM(config),
        quotas: new client_service_quotas_dist_cjs/* ServiceQuotasClient */.iVb(config),
        ecr: new client_ecr_dist_cjs.ECRClient(config),
        s3: new client_s3_dist_cjs/* S3Client */.YxF(config),
    };
    const services = {
        ecs: "ECS",
        ec2: "EC2",
        iam: "IAM",
        logs: "CloudWatchLogs",
        secrets: "SecretsManager",
        sts: "STS",
        quotas: "ServiceQuotas",
        ecr: "ECR",
        s3: "S3",
    };
    for (const [key, client] of Object.entries(clients)) {
        client.middlewareStack.add(nonAwsAnswerMiddleware(services[key]), {
            step: "deserialize",
            // Below the SDK's deserializer (priority normal): this one sees the raw response before it is parsed.
            priority: "low",
            name: "daskFargateNonAwsAnswer",
        });
        client.middlewareStack.add(serverErrorMiddleware(services[key]), { step: "initialize", name: "daskFargateServerErrorOperation" });
        if (options.onRequest) {
            const record = options.onRequest;
            client.middlewareStack.add((next, context) => async (args) => {
                record(services[key], operationOf(context));
                return next(args);
            }, { step: "initialize", name: "daskFargateRequestRecorder" });
        }
    }
    return clients;
}
const operationOf = (context) => (context.commandName ?? "").replace(/Command$/, "");
/**
 * Names the service and operation in an AWS server error (5xx) that outlasted the SDK's retries: AWS's own
 * message ("An internal error has occurred", "Service unavailable") says neither, so a user could not tell
 * which step of up or down failed. The error's name and class are kept (awsErrorName still matches).
 */
function serverErrorMiddleware(service) {
    return (next, context) => async (args) => {
        try {
            return await next(args);
        }
        catch (error) {
            const fault = error;
            if (error instanceof Error && fault.$fault === "server" && !(error instanceof errors/* AwsResponseError */.zD)) {
                const status = fault.$metadata?.httpStatusCode;
                error.message = `${service} ${operationOf(context)} failed${status ? ` with HTTP ${status}` : ""} after the SDK's retries: ${error.message} (a fault on AWS's side; run again, and remove what was created with down)`;
            }
            throw error;
        }
    };
}
/**
 * Turns an answer that is not AWS's into an {@link AwsResponseError} naming the operation, the status and
 * the body's first bytes. Without it an HTML 502 from a proxy reads `Unexpected token '<', "<!doctype "...
 * is not valid JSON` (JSON protocols: ECS, Logs, Secrets Manager), `Unknown` (query/XML protocols: EC2,
 * IAM, STS), and an HTML 200 (a captive portal) is even parsed by the XML protocols as an empty success.
 * Only answers that could be wrong are buffered: a 2xx that is not HTML passes through untouched.
 */
function nonAwsAnswerMiddleware(service) {
    return (next, context) => async (args) => {
        const result = await next(args);
        const response = result.response;
        if (typeof response?.statusCode !== "number")
            return result;
        const contentType = headerOf(response.headers, "content-type");
        if (response.statusCode < 300 && !/html/i.test(contentType))
            return result;
        const bytes = await readBody(response.body);
        // Hand the buffered bytes on: the SDK's body collector takes a Uint8Array as it is.
        response.body = bytes;
        const text = new TextDecoder().decode(bytes.subarray(0, 4096));
        if (!isNonAwsAnswer(text, contentType, response.statusCode))
            return result;
        const request = args.request;
        const endpoint = request?.hostname ? `${request.protocol ?? "https:"}//${request.hostname}${request.port ? `:${request.port}` : ""}` : "";
        throw new errors/* AwsResponseError */.zD({ service, operation: operationOf(context), statusCode: response.statusCode, contentType, body: text, endpoint });
    };
}
/**
 * Whether a body cannot be an AWS API answer: an HTML page (whatever the status), or for an error status
 * an empty body (AWS errors always carry a code) or one that is neither JSON nor XML (AWS's protocols
 * answer in one of the two). An empty 2xx is a valid answer of operations without output
 * (CreateLogGroup), whatever its content type says.
 */
function isNonAwsAnswer(body, contentType, statusCode) {
    const text = body.trim();
    if (/^<!doctype html|^<html/i.test(text))
        return true;
    if (statusCode < 300)
        return false;
    if (text === "")
        return true;
    if (/json/i.test(contentType)) {
        try {
            JSON.parse(text);
            return false;
        }
        catch {
            // A cut JSON answer is still JSON-shaped: only bodies that do not even start as JSON are foreign.
            return !text.startsWith("{");
        }
    }
    return !text.startsWith("{") && !text.startsWith("<");
}
function headerOf(headers, name) {
    for (const [key, value] of Object.entries(headers ?? {}))
        if (key.toLowerCase() === name)
            return value ?? "";
    return "";
}
async function readBody(body) {
    if (body === undefined || body === null)
        return new Uint8Array();
    if (body instanceof Uint8Array)
        return body;
    if (typeof body === "string")
        return new TextEncoder().encode(body);
    if (typeof body[Symbol.asyncIterator] === "function") {
        const chunks = [];
        for await (const chunk of body)
            chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
        return Buffer.concat(chunks);
    }
    return new Uint8Array();
}
/** The error name of an AWS SDK error (`ThrottlingException`, `AccessDeniedException`, ...). */
function awsErrorName(error) {
    return error?.name ?? "";
}
//# sourceMappingURL=aws-clients.js.map
// EXTERNAL MODULE: ../core/dist/cluster-id.js
var cluster_id = __webpack_require__(92737);
// EXTERNAL MODULE: ../core/dist/internal/labels.js
var labels = __webpack_require__(42628);
// EXTERNAL MODULE: ../core/dist/logger.js
var dist_logger = __webpack_require__(4353);
;// CONCATENATED MODULE: ../core/dist/fargate/aws-pages.js
/**
 * Every item of every page an SDK paginator (`paginateListTasks` …) yields, in order: the SDK follows the
 * next tokens, this only flattens, so no caller stops after the first page (50 log streams, 100 tasks …).
 */
async function aws_pages_allItems(pages, items) {
    const all = [];
    for await (const page of pages)
        all.push(...(items(page) ?? []));
    return all;
}
//# sourceMappingURL=aws-pages.js.map
// EXTERNAL MODULE: ../core/dist/fargate/fargate-names.js
var fargate_names = __webpack_require__(81451);
// EXTERNAL MODULE: ../core/dist/fargate/fargate-ownership.js
var fargate_ownership = __webpack_require__(71706);
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-definitions-down.js




/** DeleteTaskDefinitions takes at most 10 revisions per call (ECS API reference, DeleteTaskDefinitions). */
const DELETE_BATCH = 10;
/**
 * Removes the cluster's three task definition families (scheduler, worker, job): every revision tagged as
 * ours (the recorded ones, or all that are listed) is deregistered (ACTIVE → INACTIVE) and then deleted (INACTIVE → DELETE_IN_PROGRESS, gone once no
 * task uses it). Deregistering alone leaves INACTIVE revisions in the account for good — three a night for a
 * nightly run. INACTIVE revisions of an earlier, interrupted teardown are deleted as well. Returns what was
 * removed (`task definition family:revision`); `skip` is told about revisions that are not ours. A revision
 * ECS refuses to delete is a warning, not an error: an INACTIVE revision costs nothing and runs nothing, and
 * the rest of the teardown (security group, secret, cluster) must still happen; the next teardown retries it.
 */
async function removeTaskDefinitions(ecs, scope, options) {
    const toDelete = [];
    for (const arn of await revisionsOf(ecs, scope.clusterId, options.recorded)) {
        const definition = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn, include: ["TAGS"] })).catch((error) => {
            // A recorded revision an earlier teardown deleted: gone, as wanted.
            if (/unable to describe|not found|does not exist/i.test(error instanceof Error ? error.message : ""))
                return undefined;
            throw error;
        });
        if (!definition)
            continue;
        const tags = (0,fargate_ownership/* tagMap */.lD)(definition.tags);
        if (!(0,fargate_ownership/* isOurs */.MU)(tags, scope)) {
            options.skip(`task definition ${revisionOf(arn)}`, tags);
            continue;
        }
        const status = definition.taskDefinition?.status;
        if (status === "ACTIVE")
            await ecs.send(new client_ecs_dist_cjs/* DeregisterTaskDefinitionCommand */.sjB({ taskDefinition: arn }));
        if (status === "ACTIVE" || status === "INACTIVE")
            toDelete.push(arn);
    }
    const notDeleted = new Set();
    for (let i = 0; i < toDelete.length; i += DELETE_BATCH) {
        const answer = await ecs.send(new client_ecs_dist_cjs/* DeleteTaskDefinitionsCommand */.WeT({ taskDefinitions: toDelete.slice(i, i + DELETE_BATCH) }));
        for (const failure of answer.failures ?? []) {
            const arn = failure.arn ?? "?";
            // Deleted meanwhile (a concurrent teardown): gone, as wanted.
            if (/does not exist/i.test(`${failure.reason ?? ""} ${failure.detail ?? ""}`))
                continue;
            notDeleted.add(arn);
            options.logger.warn(`task definition ${revisionOf(arn)} was deregistered but ECS did not delete it (${failure.reason ?? failure.detail ?? "no reason given"}); ` +
                "run the teardown again, or delete it in the ECS console");
        }
    }
    return toDelete.filter((arn) => !notDeleted.has(arn)).map((arn) => `task definition ${revisionOf(arn)}`);
}
/**
 * The cluster's revisions: the recorded ones when the record holds one per family (a cluster registers each
 * family once, so there are no others), else every ACTIVE and INACTIVE revision of the three families.
 */
async function revisionsOf(ecs, clusterId, recorded) {
    const roles = ["scheduler", "worker", "job"];
    const families = roles.map((role) => fargate_names/* fargateNames */.P.family(clusterId, role));
    const byFamily = families.map((family) => (recorded ?? []).filter((arn) => arn.includes(`:task-definition/${family}:`)));
    if (byFamily.every((arns) => arns.length === 1))
        return byFamily.flat();
    const found = [];
    for (const family of families) {
        // Both lists first: a revision deregistered here must not be seen again as INACTIVE.
        found.push(...(await listFamily(ecs, family, "ACTIVE")), ...(await listFamily(ecs, family, "INACTIVE")));
    }
    return found;
}
/** The revisions of exactly `family` with this status, every page (on AWS `familyPrefix` matches a prefix). */
async function listFamily(ecs, family, status) {
    const arns = await aws_pages_allItems((0,client_ecs_dist_cjs/* paginateListTaskDefinitions */.XPO)({ client: ecs }, { familyPrefix: family, status }), (page) => page.taskDefinitionArns);
    return arns.filter((arn) => arn.includes(`:task-definition/${family}:`));
}
const revisionOf = (arn) => arn.split("/").pop() ?? arn;
//# sourceMappingURL=fargate-definitions-down.js.map
// EXTERNAL MODULE: ../core/dist/fargate/fargate-plan.js + 1 modules
var fargate_plan = __webpack_require__(16641);
// EXTERNAL MODULE: ../core/dist/internal/backoff.js
var internal_backoff = __webpack_require__(82927);
// EXTERNAL MODULE: ../core/dist/internal/wait.js
var wait = __webpack_require__(62626);
;// CONCATENATED MODULE: ../core/dist/fargate/retry.js




/**
 * IAM is eventually consistent: right after a role is created, RegisterTaskDefinition can fail with
 * "iam:PassRole" access denied and RunTask with "ECS was unable to assume the role". These are retried
 * with backoff for up to 120 s (Terraform's AWS provider waits as long).
 */
function isIamPropagationError(error) {
    const text = `${awsErrorName(error)} ${error?.message ?? ""}`;
    return /iam:PassRole|unable to assume the role|role.*(is not authorized|cannot be assumed)|Role is not valid/i.test(text);
}
/**
 * ECS answers ThrottlingException when a token bucket is empty (RunTask, StartTask and StopTask share one;
 * Fargate also limits task launches to 100 at once and 20 per second: facts.md). The SDK's own retries give
 * up after a few seconds, which a 500-task launch outlasts, so callers retry these too.
 */
function isThrottlingError(error) {
    return /^(ThrottlingException|RequestLimitExceeded|TooManyRequestsException)$/.test(awsErrorName(error));
}
/**
 * Retries `work` while `retryable(error)` holds, with exponential backoff and jitter (so parallel callers do
 * not retry in lockstep), until `limitSeconds` have passed.
 */
async function retryWhile(what, work, retryable, options) {
    const clock = options.clock ?? wait/* systemClock */.m;
    const deadline = clock.now() + options.limitSeconds * 1000;
    const backoff = { firstMs: 2000, maxMs: 20_000, ...options.backoff, jitter: "spread", random: options.random };
    const describe = options.describe ?? ((error) => `${awsErrorName(error) || "error"} (${error.message.split("\n")[0]})`);
    for (let attempt = 0;; attempt++) {
        try {
            return await work();
        }
        catch (error) {
            const wait = (0,internal_backoff/* backoffDelay */.E)(attempt, backoff);
            if (!retryable(error) || clock.now() + wait > deadline)
                throw error;
            if (options.signal?.aborted)
                throw new errors/* CancelledError */.cc(`cancelled while retrying ${what}`);
            options.logger.info(`${what}: ${describe(error)}; retrying in ${Math.round(wait / 1000)} s`);
            await clock.sleep(wait, options.signal);
        }
    }
}
/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapLimited(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index], index);
        }
    });
    await Promise.all(lanes);
    return results;
}
//# sourceMappingURL=retry.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-network.js





/** Subnets and their VPC: the ones given (checked to exist), or the default VPC's default subnets. */
async function resolveSubnets(ec2, fargate) {
    if (fargate.subnets && fargate.subnets.length > 0) {
        const found = await ec2.send(new client_ec2_dist_cjs/* DescribeSubnetsCommand */.jSW({ SubnetIds: [...fargate.subnets] })).catch((error) => {
            throw new errors/* ClusterConfigError */.N5("subnets", `${error.message} (region ${fargate.region}); check the subnet ids`);
        });
        const vpcs = new Set((found.Subnets ?? []).map((s) => s.VpcId));
        if ((found.Subnets ?? []).length !== fargate.subnets.length)
            throw new errors/* ClusterConfigError */.N5("subnets", `not all of ${fargate.subnets.join(", ")} exist in ${fargate.region}`);
        if (vpcs.size !== 1)
            throw new errors/* ClusterConfigError */.N5("subnets", "the subnets must all be in one VPC");
        return { subnets: [...fargate.subnets], vpcId: [...vpcs][0] ?? "", defaultVpc: false };
    }
    const vpcs = await ec2.send(new client_ec2_dist_cjs/* DescribeVpcsCommand */.Dti({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId)
        throw new errors/* ClusterConfigError */.N5("subnets", `${fargate.region} has no default VPC; give subnets (and security groups) of your VPC`);
    const subnets = await ec2.send(new client_ec2_dist_cjs/* DescribeSubnetsCommand */.jSW({
        Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "default-for-az", Values: ["true"] },
        ],
    }));
    const ids = (subnets.Subnets ?? [])
        .map((s) => s.SubnetId)
        .filter((s) => Boolean(s))
        .sort();
    if (ids.length === 0)
        throw new errors/* ClusterConfigError */.N5("subnets", `the default VPC ${vpcId} has no default subnets; give subnets explicitly`);
    return { subnets: ids, vpcId, defaultVpc: true };
}
/**
 * Creates the cluster's security group and authorizes the plan's ingress (the group itself on all TCP, the
 * client CIDRs on the scheduler port and the dashboard's when asked). 0.0.0.0/0 only when asked, with a
 * warning; TLS is then always on (the spec refuses TLS off with outside ingress).
 */
async function createSecurityGroup(ec2, plan, logger, onCreated) {
    const group = await ec2.send(new client_ec2_dist_cjs/* CreateSecurityGroupCommand */.x3C({
        GroupName: plan.name,
        Description: plan.description,
        VpcId: plan.vpcId,
        TagSpecifications: [{ ResourceType: "security-group", Tags: plan.tags }],
    }));
    const id = group.GroupId;
    if (!id)
        throw new errors/* CoreError */.am("CreateSecurityGroup returned no group id");
    onCreated(id);
    if (plan.clientCidrs.includes("0.0.0.0/0"))
        logger.warn(plan.clientPorts.to > plan.clientPorts.from
            ? "the scheduler and dashboard ports are open to the whole internet (allow-public-ingress): mutual TLS admits only holders of this cluster's client certificate to the scheduler, but the dashboard is plain HTTP that anyone can read"
            : "the scheduler port is open to the whole internet (allow-public-ingress): mutual TLS admits only holders of this cluster's client certificate");
    await ec2.send(new client_ec2_dist_cjs/* AuthorizeSecurityGroupIngressCommand */.N8i({ GroupId: id, IpPermissions: (0,fargate_plan/* bindPlan */.Dd)(plan.ingress, { securityGroupId: id }) }));
    return id;
}
/** Deletes a security group, retrying DependencyViolation while the tasks' ENIs detach (can take minutes). */
async function deleteSecurityGroup(ec2, groupId, options) {
    const remove = () => ec2.send(new client_ec2_dist_cjs/* DeleteSecurityGroupCommand */.yEh({ GroupId: groupId }));
    return retryWhile("DeleteSecurityGroup", remove, (error) => awsErrorName(error) === "DependencyViolation", {
        limitSeconds: options.timeoutSeconds ?? 600,
        logger: options.logger,
        // The caller's pace while stopping tasks release their interfaces (seconds to tens of seconds), else 2 s to 30 s.
        backoff: options.pace ?? { maxMs: 30_000 },
        random: options.random,
        describe: () => `security group ${groupId} is still in use by network interfaces`,
        ...(options.clock ? { clock: options.clock } : {}),
    }).then(() => true, (error) => {
        const name = awsErrorName(error);
        if (name === "InvalidGroup.NotFound" || name === "InvalidGroupId.NotFound")
            return false;
        throw error;
    });
}
/** The public IPv4 of an ENI (DescribeTasks does not show it). */
async function publicIp(ec2, eniId) {
    const answer = await ec2.send(new client_ec2_dist_cjs/* DescribeNetworkInterfacesCommand */.B1p({ NetworkInterfaceIds: [eniId] }));
    return answer.NetworkInterfaces?.[0]?.Association?.PublicIp;
}
//# sourceMappingURL=fargate-network.js.map
;// CONCATENATED MODULE: ../core/dist/internal/launch-pacer.js
/**
 * A client-side copy of a service's token bucket. Sending no faster than the bucket refills keeps a large
 * launch at the rate the limit allows: retrying throttled calls with backoff instead overshoots it, because
 * each retry waits longer than the refill needed (measured: 500 workers took 1.35 × the bound that way).
 * The service's own bucket may also be drained by other callers, so throttling is still retried.
 */
function launchPacer(limit, clock) {
    let tokens = limit.burst;
    let refilledAt = clock.now();
    let queue = Promise.resolve();
    const refill = () => {
        const now = clock.now();
        tokens = Math.min(limit.burst, tokens + ((now - refilledAt) / 1000) * limit.perSecond);
        refilledAt = now;
    };
    return {
        take(count, signal) {
            const wanted = Math.min(count, limit.burst);
            const turn = queue.then(async () => {
                refill();
                if (tokens < wanted) {
                    await clock.sleep(Math.ceil(((wanted - tokens) / limit.perSecond) * 1000), signal);
                    refill();
                }
                tokens -= wanted;
            });
            // One waiter's abort must not fail the ones queued behind it.
            queue = turn.catch(() => { });
            return turn;
        },
    };
}
//# sourceMappingURL=launch-pacer.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-tasks.js







/** DescribeTasks takes at most 100 task ARNs per call (ECS API reference). */
const DESCRIBE_TASKS_MAX = 100;
/** RunTask calls in flight at once: well inside Fargate's 20 RunTask calls per second and the 100-task launch burst. */
const RUN_TASK_CONCURRENCY = 5;
/** Fargate task launches: 100 at once, then 20 per second (facts.md, "Token buckets"; ECS API reference, "Request throttling"). */
const FARGATE_LAUNCH_LIMIT = { burst: 100, perSecond: 20 };
/** Describes any number of tasks, 100 per call; `withTags` adds each task's tags (`include: ["TAGS"]`). */
async function describeTasks(ecs, cluster, arns, withTags = false) {
    const batches = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX)
        batches.push(arns.slice(i, i + DESCRIBE_TASKS_MAX));
    // A round's calls go out together (10 cover 1,000 tasks), well inside the DescribeTasks burst of 100 (facts.md).
    const answers = await mapLimited(batches, 10, (tasks) => ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks, ...(withTags ? { include: ["TAGS"] } : {}) })));
    return answers.flatMap((a) => a.tasks ?? []);
}
/** The private IPv4 address of a task's ENI, once ECS knows it (before the task runs). */
function privateIp(task) {
    return eniDetail(task, "privateIPv4Address");
}
/** The ENI id of a task, for its public IP. */
function networkInterfaceId(task) {
    return eniDetail(task, "networkInterfaceId");
}
/** A detail of the task's ElasticNetworkInterface attachment (awsvpc tasks have one). */
function eniDetail(task, name) {
    for (const attachment of task.attachments ?? []) {
        const value = attachment.details?.find((d) => d.name === name)?.value;
        if (value)
            return value;
    }
    return undefined;
}
/** A readable name of a task: its role tag or group and the last part of its ARN. */
function taskLabel(task) {
    const role = task.tags?.find((t) => t.key === "io.dask-fargate-action.role")?.value ?? task.group?.replace(/^family:/, "") ?? "task";
    return `${role} ${task.taskArn?.split("/").pop() ?? "?"}`;
}
/** Why a task stopped: stop code, reason and every container's exit code and reason. */
function stoppedError(task) {
    const containers = (task.containers ?? []).map((c) => `${c.name}: exit ${c.exitCode ?? "none"}${c.reason ? ` (${c.reason})` : ""}`).join("; ");
    const reason = [task.stopCode, task.stoppedReason].filter(Boolean).join(": ");
    return new errors/* MemberStoppedError */.it(taskLabel(task), task.containers?.[0]?.exitCode, reason || undefined, containers);
}
/** Capacity retries: 2 s, 4 s, 8 s … (at most 30 s), each spread by jitter so parallel lanes drift apart. */
const CAPACITY_BACKOFF = { firstMs: 2000, maxMs: 30_000, jitter: "spread" };
/**
 * The on-demand twin of a Spot RunTask request: launch type FARGATE instead of the FARGATE_SPOT capacity
 * provider strategy (RunTask takes one or the other), with its own client token so it is not taken for a repeat.
 */
function onDemandFallback(input) {
    const { capacityProviderStrategy: _spot, ...rest } = input;
    return { ...rest, launchType: "FARGATE", clientToken: `${input.clientToken ?? "t"}-od`.slice(0, 64) };
}
/** The {@link runTasks} options of worker requests: on Spot, the on-demand fallback (at start and when scaling up alike). */
function workerFallback(spotWorkers) {
    return spotWorkers ? { fallback: onDemandFallback } : {};
}
/**
 * Runs RunTask requests (≤ 10 tasks each) with bounded concurrency. A call can succeed and still list
 * failures[] ("Capacity is unavailable at this time"): the missing tasks are requested again with
 * backoff and, for Spot, finally on on-demand capacity. IAM propagation errors are retried for 120 s.
 * Launches are paced at Fargate's launch limit, so a large start is not slowed by throttled retries.
 */
async function runTasks(ecs, inputs, options) {
    const clock = options.clock ?? wait/* systemClock */.m;
    const retries = options.capacityRetries ?? 3;
    const pacer = options.pacer ?? launchPacer(FARGATE_LAUNCH_LIMIT, clock);
    const perInput = await mapLimited(inputs, RUN_TASK_CONCURRENCY, async (input) => {
        const started = [];
        let request = input;
        let baseToken = input.clientToken ?? "t";
        let fellBack = false;
        let missing = input.count ?? 1;
        for (let attempt = 0; missing > 0; attempt++) {
            // Spot gets one retry before the on-demand fallback: waiting longer rarely helps and delays the cluster.
            const limit = options.fallback && !fellBack ? Math.min(1, retries) : retries;
            // Safe to repeat: the client token makes a RunTask that did launch return the same tasks.
            const retryable = (error) => isIamPropagationError(error) || isThrottlingError(error);
            await pacer.take(missing, options.signal);
            const answer = await retryWhile("RunTask", () => ecs.send(new client_ecs_dist_cjs/* RunTaskCommand */._eD({ ...request, count: missing })), retryable, {
                limitSeconds: 120,
                logger: options.logger,
                signal: options.signal,
                clock,
                random: options.random,
            });
            started.push(...(answer.tasks ?? []));
            missing -= answer.tasks?.length ?? 0;
            if (missing <= 0)
                break;
            const reasons = [...new Set((answer.failures ?? []).map((f) => f.reason ?? "unknown"))].join("; ");
            if (attempt >= limit) {
                if (options.fallback && !fellBack) {
                    options.logger.warn(`${missing} task(s) could not start on Spot (${reasons}); falling back to on-demand Fargate`);
                    request = options.fallback(input);
                    baseToken = request.clientToken ?? baseToken;
                    fellBack = true;
                    attempt = -1;
                    continue;
                }
                throw new errors/* CoreError */.am(`${missing} task(s) of ${input.taskDefinition} could not start after ${limit + 1} attempts: ${reasons}`);
            }
            options.logger.info(`${missing} task(s) did not start (${reasons}); retrying`);
            // A new token: the old one would return the same partial answer.
            request = { ...request, clientToken: `${baseToken}-r${attempt + 1}`.slice(0, 64) };
            await clock.sleep((0,internal_backoff/* backoffDelay */.E)(attempt, { ...CAPACITY_BACKOFF, random: options.random }), options.signal);
        }
        return started;
    });
    return perInput.flat();
}
/** RunTask, StartTask and StopTask calls: 100 at once, then 40 per second (facts.md, "Token buckets"). */
const TASK_CALL_LIMIT = { burst: 100, perSecond: 40 };
/**
 * Stops tasks (there is no batch StopTask), with bounded concurrency, paced at the StopTask bucket so a large
 * teardown is not slowed by throttled retries; already stopped tasks are fine.
 */
async function stopTasks(ecs, cluster, arns, reason, clock = wait/* systemClock */.m) {
    const pacer = launchPacer(TASK_CALL_LIMIT, clock);
    await mapLimited(arns, 10, async (task) => {
        await pacer.take(1);
        const stop = () => ecs.send(new client_ecs_dist_cjs/* StopTaskCommand */.PP1({ cluster, task, reason }));
        await retryWhile("StopTask", stop, isThrottlingError, { limitSeconds: 120, logger: dist_logger/* silentLogger */.q, clock }).catch((error) => {
            if (!/not found|STOPPED|InvalidParameter/i.test(`${error.name} ${error.message}`))
                throw error;
        });
    });
}
/** Waits until every task is STOPPED (teardown). */
async function waitStopped(ecs, cluster, arns, options) {
    if (arns.length === 0)
        return;
    await (0,wait/* pollUntil */.g)({
        waitingFor: `${arns.length} tasks to stop`,
        timeoutSeconds: options.timeoutSeconds ?? 300,
        ...(options.delayMs ? { delayMs: options.delayMs, maxDelayMs: options.delayMs } : {}),
        signal: options.signal,
        ...(options.clock ? { clock: options.clock } : {}),
        check: async () => {
            const tasks = await describeTasks(ecs, cluster, arns);
            const running = tasks.filter((t) => t.lastStatus !== "STOPPED");
            return running.length === 0 ? { done: true, value: undefined } : { done: false, seen: `${running.length}/${arns.length} not stopped yet` };
        },
    });
}
//# sourceMappingURL=fargate-tasks.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-down.js
















/**
 * Removes everything of a cluster, idempotently: stops its tasks (and waits until STOPPED), deregisters
 * and deletes its task definitions, deletes its security group (retrying while ENIs detach), log group, TLS secret
 * and, if this tool created it, the ECS cluster. The managed IAM roles stay for the next cluster.
 * Without saved resources everything is found from the cluster id alone (names and tags). Whatever finds
 * a resource (a saved id, a name, a `startedBy` value), its own tags are read before it is touched: only
 * resources tagged with this tool's managed-by tag and the cluster id (and the repository, when scoped)
 * are ever stopped, deregistered or deleted.
 */
async function downFargateCluster(target, options) {
    const { ecs, ec2, logs, secrets } = options.clients;
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const id = (0,cluster_id/* assertClusterId */.mT)(target.clusterId);
    const removed = [];
    const saved = target.resources;
    const scope = { clusterId: id, repository: options.repository };
    /** Resources of this cluster id that another repository's run (or one outside any repository) created. */
    const foreign = new Set();
    const skip = (what, tags) => {
        if (scope.repository !== undefined && (0,fargate_ownership/* isOurs */.MU)(tags, { clusterId: id }))
            foreign.add(tags[fargate_ownership/* REPOSITORY_TAG */.SD] ?? "no repository");
        logger.info(`leaving ${what} alone: it is not tagged as cluster ${id} of dask-fargate-action${scope.repository ? ` from ${scope.repository}` : ""}`);
    };
    // ECS clusters this tool created for the id, and every cluster that may run tasks started for it.
    // The region's clusters are listed once, and only when the saved resources do not name ours.
    const regionClusters = saved?.createdEcsCluster ? [] : await allEcsClusters(options.clients);
    const ours = saved?.createdEcsCluster ? [saved.ecsCluster] : await ourEcsClusters(options.clients, scope, regionClusters);
    const candidates = saved ? [saved.ecsCluster] : regionClusters;
    const stopped = [];
    for (const cluster of new Set([...ours, ...candidates])) {
        const listed = await listTasksStartedBy(options.clients, cluster, id);
        if (listed.length === 0)
            continue;
        // startedBy is free text anyone can set: stop only the tasks whose own tags say they are ours.
        const described = await describeTasks(ecs, cluster, listed, true);
        const tasks = [];
        for (const task of described) {
            const tags = (0,fargate_ownership/* tagMap */.lD)(task.tags);
            if ((0,fargate_ownership/* isOurs */.MU)(tags, scope))
                tasks.push(task.taskArn ?? "");
            else
                skip(`task ${task.taskArn?.split("/").pop()} in ${cluster.split("/").pop()}`, tags);
        }
        if (tasks.length === 0)
            continue;
        logger.info(`stopping ${tasks.length} task(s) of cluster ${id}`);
        await stopTasks(ecs, cluster, tasks, "dask-fargate-action teardown", options.clock);
        stopped.push({ cluster, tasks });
        removed.push(...tasks.map((t) => `task ${t.split("/").pop()}`));
    }
    // Nothing waits for the tasks here: what does not depend on them goes first while they stop, and what
    // does (the security group their network interfaces use, the ECS cluster) is retried until they are gone.
    removed.push(...(await removeTaskDefinitions(ecs, scope, { logger, skip, recorded: saved?.taskDefinitionArns })));
    const keepLogs = options.keepLogs ?? saved?.spec.keepLogs ?? false;
    const logGroup = fargate_names/* fargateNames */.P.logGroup(id);
    if (!keepLogs) {
        const found = await aws_pages_allItems((0,dist_cjs/* paginateDescribeLogGroups */.BSi)({ client: logs }, { logGroupNamePrefix: logGroup }), (page) => page.logGroups);
        const group = found.find((g) => g.logGroupName === logGroup);
        const groupTags = group ? await logGroupTags(options.clients, group.arn ?? "") : {};
        if (group && !(0,fargate_ownership/* isOurs */.MU)(groupTags, scope))
            skip(`log group ${logGroup}`, groupTags);
        else if (group) {
            await logs.send(new dist_cjs/* DeleteLogGroupCommand */.ID1({ logGroupName: logGroup })).catch((error) => {
                if (awsErrorName(error) !== "ResourceNotFoundException")
                    throw error;
            });
            removed.push(`log group ${logGroup}`);
        }
    }
    const secretName = fargate_names/* fargateNames */.P.tlsSecret(id);
    const listed = await aws_pages_allItems((0,client_secrets_manager_dist_cjs/* paginateListSecrets */.hM)({ client: secrets }, { Filters: [{ Key: "name", Values: [secretName] }] }), (page) => page.SecretList);
    for (const secret of listed) {
        if (secret.Name !== secretName)
            continue;
        if (!(0,fargate_ownership/* isOurs */.MU)((0,fargate_ownership/* tagMap */.lD)(secret.Tags), scope)) {
            skip(`secret ${secretName}`, (0,fargate_ownership/* tagMap */.lD)(secret.Tags));
            continue;
        }
        // No recovery window: the secret is a per-cluster key that must not outlive the cluster.
        await secrets.send(new client_secrets_manager_dist_cjs/* DeleteSecretCommand */.hh({ SecretId: secret.ARN ?? secretName, ForceDeleteWithoutRecovery: true }));
        removed.push(`secret ${secretName}`);
    }
    // The saved id and a search by tags: a record written before the group was created must not leak it.
    const filters = [
        { Name: `tag:${labels/* LABEL */.d_.clusterId}`, Values: [id] },
        { Name: `tag:${labels/* LABEL */.d_.managedBy}`, Values: [labels/* MANAGED_BY */.Kf] },
        ...(scope.repository ? [{ Name: `tag:${fargate_ownership/* REPOSITORY_TAG */.SD}`, Values: [scope.repository] }] : []),
    ];
    const tagged = (await aws_pages_allItems((0,client_ec2_dist_cjs/* paginateDescribeSecurityGroups */.nYn)({ client: ec2 }, { Filters: filters }), (page) => page.SecurityGroups))
        .map((g) => g.GroupId ?? "")
        .filter(Boolean);
    const groups = [...new Set([...(saved?.createdSecurityGroupId ? [saved.createdSecurityGroupId] : []), ...tagged])];
    for (const group of groups) {
        if (await deleteSecurityGroup(ec2, group, {
            logger,
            ...(options.clock ? { clock: options.clock } : {}),
            pace: { firstMs: STOP_POLL_MS, maxMs: STOP_POLL_MAX_MS },
        }))
            removed.push(`security group ${group}`);
    }
    for (const cluster of ours) {
        if (await deleteEcsCluster(ecs, cluster, { logger, ...(options.clock ? { clock: options.clock } : {}) }))
            removed.push(`ECS cluster ${cluster.split("/").pop()}`);
    }
    // Neither the group nor the cluster is ours to delete (a team's own): nothing else waited for the tasks.
    if (groups.length === 0 && ours.length === 0) {
        for (const { cluster, tasks } of stopped) {
            await waitStopped(ecs, cluster, tasks, { ...(options.clock ? { clock: options.clock } : {}), delayMs: STOP_POLL_MS });
        }
    }
    if (removed.length === 0 && foreign.size > 0)
        throw new errors/* ClusterConfigError */.N5("cluster-id", `cluster ${id} was not started from ${scope.repository} (its resources are tagged github.repository ${[...foreign].sort().join(", ")}), and a teardown scoped to ${scope.repository} removes only that repository's clusters: nothing was removed. Tear it down from the workflow of the repository that started it, or with the CLI (dask-fargate down --backend fargate --cluster-id ${id}) as an identity that may`);
    if (options.tlsDir)
        await (0,cluster_id/* removeClusterTlsDir */.b7)(options.tlsDir, id);
    if (removed.length > 0)
        logger.info(`removed ${removed.length} resources of cluster ${id}`);
    return { clusterId: id, removed: removed.sort() };
}
/**
 * The waits for stopping tasks: a Fargate stop takes seconds to tens of seconds (the ENI detaches last), so the
 * retries start at 2 s and grow to 8 s — few calls for a long stop, at most 8 s late for any.
 */
const STOP_POLL_MS = 2000;
const STOP_POLL_MAX_MS = 8000;
/**
 * Deletes an ECS cluster, retrying while its stopped tasks are still active (ClusterContainsTasksException,
 * API_DeleteCluster.html). Returns false when it was already gone.
 */
async function deleteEcsCluster(ecs, cluster, options) {
    const remove = () => ecs.send(new client_ecs_dist_cjs/* DeleteClusterCommand */.dI4({ cluster }));
    return retryWhile("DeleteCluster", remove, (error) => awsErrorName(error) === "ClusterContainsTasksException", {
        limitSeconds: 300,
        logger: options.logger,
        backoff: { firstMs: STOP_POLL_MS, maxMs: STOP_POLL_MAX_MS },
        describe: () => `ECS cluster ${cluster.split("/").pop()} still has stopping tasks`,
        ...(options.clock ? { clock: options.clock } : {}),
    }).then(() => true, (error) => {
        if (awsErrorName(error) === "ClusterNotFoundException")
            return false;
        throw error;
    });
}
/** ARNs of every ECS cluster in the region. */
async function allEcsClusters(clients) {
    return aws_pages_allItems((0,client_ecs_dist_cjs/* paginateListClusters */.fm1)({ client: clients.ecs }, {}), (page) => page.clusterArns);
}
/** ECS clusters (ARN → tags) that carry this tool's managed-by tag, among `arns` (default: all in the region). */
async function taggedEcsClusters(clients, arns) {
    arns ??= await allEcsClusters(clients);
    const result = new Map();
    for (let i = 0; i < arns.length; i += 100) {
        const described = await clients.ecs.send(new client_ecs_dist_cjs/* DescribeClustersCommand */._2_({ clusters: arns.slice(i, i + 100), include: ["TAGS"] }));
        for (const cluster of described.clusters ?? []) {
            const tags = Object.fromEntries((cluster.tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
            if (tags[labels/* LABEL */.d_.managedBy] === labels/* MANAGED_BY */.Kf && cluster.clusterArn && cluster.status !== "INACTIVE")
                result.set(cluster.clusterArn, tags);
        }
    }
    return result;
}
async function ourEcsClusters(clients, scope, arns) {
    const tagged = await taggedEcsClusters(clients, arns);
    return [...tagged.entries()].filter(([, tags]) => (0,fargate_ownership/* isOurs */.MU)(tags, scope)).map(([arn]) => arn);
}
/** The tags of a log group (its ARN as DescribeLogGroups gives it, ending in `:*`). */
async function logGroupTags(clients, arn) {
    const answer = await clients.logs.send(new dist_cjs/* ListTagsForResourceCommand */.a_e({ resourceArn: arn.replace(/:\*$/, "") }));
    return answer.tags ?? {};
}
async function listTasksStartedBy(clients, cluster, clusterId) {
    const pages = (0,client_ecs_dist_cjs/* paginateListTasks */._rc)({ client: clients.ecs }, { cluster, startedBy: clusterId, desiredStatus: "RUNNING" });
    return aws_pages_allItems(pages, (page) => page.taskArns).catch((error) => {
        if (awsErrorName(error) === "ClusterNotFoundException")
            return [];
        throw error;
    });
}
//# sourceMappingURL=fargate-down.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ../core/dist/internal/dask-commands.js
var dask_commands = __webpack_require__(53145);
// EXTERNAL MODULE: ../core/dist/job-outputs.js
var job_outputs = __webpack_require__(31301);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ../core/dist/fargate/output-manifest.js


/**
 * The manifest a Fargate job task's uploader writes after its files (output-uploader.ts) and the runner
 * verifies before it downloads anything (fargate-outputs.ts). One job's objects, under the run's prefix
 * `<prefix>/<cluster-id>/<attempt-token>/<job-id>/`:
 *
 *     files/<relative path>   each file the job wrote
 *     manifest.json           {"manifest": "<JSON text>", "hmac-sha256": "<hex>"}
 *
 * The HMAC-SHA256 is over the UTF-8 bytes of the inner JSON text, keyed with the cluster's output signing key (32
 * random bytes made at `up`, held only in the cluster's own Secrets Manager secret and in a 0600 file on the
 * runner). An HMAC rather than a signature: the uploader runs with Python's standard library only, which has no
 * ECDSA. Any cluster's task role may write under the output prefix, but only this cluster's job knows this key.
 */
const MANIFEST_OBJECT = "manifest.json";
/** The sub-prefix of the job's files: nothing the job names can collide with {@link MANIFEST_OBJECT}. */
const FILES_PREFIX = "files/";
const MANIFEST_VERSION = 1;
/** The manifest object's body for `manifest` signed with `key` (what the uploader writes; tests forge with it). */
function signManifest(manifest, key) {
    const text = JSON.stringify(manifest);
    return JSON.stringify({ manifest: text, "hmac-sha256": createHmac("sha256", key).update(text, "utf8").digest("hex") });
}
/**
 * Checks a manifest object's body: the HMAC (compared in constant time), then that it names this cluster,
 * attempt token and job, and that every entry is well formed. Throws a CoreError saying what is wrong.
 */
function verifyManifest(body, key, expected) {
    let outer;
    try {
        outer = JSON.parse(body);
    }
    catch {
        throw new errors/* CoreError */.am("the outputs manifest is not JSON");
    }
    const text = isRecord(outer) ? outer["manifest"] : undefined;
    const mac = isRecord(outer) ? outer["hmac-sha256"] : undefined;
    if (typeof text !== "string" || typeof mac !== "string" || !/^[0-9a-f]{64}$/.test(mac))
        throw new errors/* CoreError */.am("the outputs manifest is not signed (no manifest text and hmac-sha256)");
    const want = (0,external_node_crypto_.createHmac)("sha256", key).update(text, "utf8").digest();
    if (!(0,external_node_crypto_.timingSafeEqual)(want, Buffer.from(mac, "hex")))
        throw new errors/* CoreError */.am("the outputs manifest's signature does not verify with this cluster's key: it was not written by this cluster's job");
    const manifest = JSON.parse(text);
    if (!isRecord(manifest) || manifest["version"] !== MANIFEST_VERSION)
        throw new errors/* CoreError */.am(`the outputs manifest is not version ${MANIFEST_VERSION}`);
    for (const field of ["cluster", "token", "job"]) {
        if (manifest[field] !== expected[field])
            throw new errors/* CoreError */.am(`the outputs manifest belongs to another run (${field} ${JSON.stringify(manifest[field])}, expected ${JSON.stringify(expected[field])})`);
    }
    const files = manifest["files"];
    const skipped = manifest["skipped"];
    if (!Array.isArray(files) || !Array.isArray(skipped))
        throw new errors/* CoreError */.am("the outputs manifest has no files or skipped list");
    for (const file of files) {
        if (!isRecord(file) || typeof file["path"] !== "string" || !Number.isSafeInteger(file["size"]) || file["size"] < 0)
            throw new errors/* CoreError */.am("the outputs manifest has an entry without a path and size");
        if (typeof file["sha256"] !== "string" || !/^[0-9a-f]{64}$/.test(file["sha256"]))
            throw new errors/* CoreError */.am("the outputs manifest has an entry without a sha256");
    }
    return manifest;
}
function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
//# sourceMappingURL=output-manifest.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-outputs.js









/** How much one job may bring back: more is refused before any file is written (README, "Job outputs"). */
const DEFAULT_OUTPUT_LIMITS = { maxFiles: 10_000, maxBytes: 20 * 1024 ** 3 };
/** A manifest listing 10,000 long paths stays well below this. */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
/**
 * Downloads one job's outputs into `outputDir`: the manifest first (GetObject), verified with the cluster's key
 * (else nothing is delivered and this throws); the caps on count and bytes; then exactly the files it lists, each
 * written without following a symbolic link already in the output directory (each directory component is
 * lstat'ed, the file opened with O_NOFOLLOW) and checked against the manifest's size and sha256 (a mismatch is
 * deleted). Objects under the job's prefix that the manifest does not list are counted and never read. A file
 * that cannot be delivered is skipped alone, with why.
 */
async function downloadJobOutputs(s3, run, outputDir, options = {}) {
    const uri = `s3://${run.bucket}/${run.jobPrefix}`;
    const body = await readManifest(s3, run.bucket, `${run.jobPrefix}${MANIFEST_OBJECT}`);
    if (body === undefined)
        throw new errors/* CoreError */.am(`no outputs manifest at ${uri}${MANIFEST_OBJECT}: the job task's uploader did not finish (see the job's log); no files were taken`);
    const manifest = verifyManifest(body, run.key, run.expected);
    const maxFiles = options.maxFiles ?? DEFAULT_OUTPUT_LIMITS.maxFiles;
    const maxBytes = options.maxBytes ?? DEFAULT_OUTPUT_LIMITS.maxBytes;
    const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
    if (manifest.files.length > maxFiles)
        throw new errors/* CoreError */.am(`the job wrote ${manifest.files.length} output files, more than the limit of ${maxFiles}; no files were taken (write fewer, larger files, e.g. an archive)`);
    if (bytes > maxBytes)
        throw new errors/* CoreError */.am(`the job's outputs are ${bytes} bytes, more than the limit of ${maxBytes}; no files were taken`);
    const listed = new Set([MANIFEST_OBJECT, ...manifest.files.map((f) => `${FILES_PREFIX}${f.path}`)]);
    const ignoredObjects = await countUnlisted(s3, run.bucket, run.jobPrefix, listed, maxFiles, options.pageSize);
    const root = (0,external_node_path_.resolve)(outputDir);
    (0,external_node_fs_.mkdirSync)(root, { recursive: true });
    const files = [];
    const skipped = [
        ...manifest.skipped.map((s) => ({ path: s.path, reason: `the job task did not upload it: ${s.reason}` })),
    ];
    for (const file of manifest.files) {
        const problem = (0,job_outputs/* outputPathProblem */.qH)(file.path);
        if (problem) {
            skipped.push({ path: file.path, reason: problem });
            continue;
        }
        const target = (0,job_outputs/* localOutputPath */.WJ)(root, file.path);
        const refused = prepareParents(root, target);
        if (refused) {
            skipped.push({ path: file.path, reason: refused });
            continue;
        }
        const object = await s3.send(new client_s3_dist_cjs/* GetObjectCommand */.jLs({ Bucket: run.bucket, Key: `${run.jobPrefix}${FILES_PREFIX}${file.path}` }));
        if (!object.Body)
            throw new errors/* CoreError */.am(`GetObject ${uri}${FILES_PREFIX}${file.path} returned no body`);
        const written = await writeNoFollow(target, object.Body, file.size);
        if (written.refused) {
            skipped.push({ path: file.path, reason: written.refused });
            continue;
        }
        if (written.bytes !== file.size || written.sha256 !== file.sha256) {
            (0,external_node_fs_.unlinkSync)(target);
            skipped.push({ path: file.path, reason: "its object in S3 is not what the job uploaded (size or sha256 differ from the signed manifest); deleted" });
            continue;
        }
        files.push({ path: file.path, bytes: written.bytes });
    }
    files.sort((a, b) => a.path.localeCompare(b.path));
    const problem = skipped.length > 0
        ? `${skipped.length} output file(s) did not come back: ${skipped
            .slice(0, 5)
            .map((s) => `${JSON.stringify(s.path)} (${s.reason})`)
            .join("; ")}${skipped.length > 5 ? "; …" : ""}`
        : undefined;
    return { dir: root, files, uri, ...(skipped.length > 0 ? { skipped } : {}), ignoredObjects, ...(problem ? { problem } : {}) };
}
async function readManifest(s3, bucket, key) {
    const object = await s3.send(new client_s3_dist_cjs/* GetObjectCommand */.jLs({ Bucket: bucket, Key: key })).catch((error) => {
        if (["NoSuchKey", "NotFound"].includes(awsErrorName(error)))
            return undefined;
        throw error;
    });
    if (!object)
        return undefined;
    if ((object.ContentLength ?? 0) > MAX_MANIFEST_BYTES)
        throw new errors/* CoreError */.am(`the outputs manifest s3://${bucket}/${key} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    const chunks = [];
    let size = 0;
    for await (const chunk of object.Body) {
        size += chunk.length;
        if (size > MAX_MANIFEST_BYTES)
            throw new errors/* CoreError */.am(`the outputs manifest s3://${bucket}/${key} is larger than ${MAX_MANIFEST_BYTES} bytes`);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}
/** Objects under `prefix` that are not in `listed` (relative keys); the count stops a little past the file cap. */
async function countUnlisted(s3, bucket, prefix, listed, maxFiles, pageSize) {
    let unlisted = 0;
    let seen = 0;
    for await (const page of (0,client_s3_dist_cjs/* paginateListObjectsV2 */.OqA)({ client: s3, ...(pageSize ? { pageSize } : {}) }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
            seen++;
            if (!listed.has((object.Key ?? "").slice(prefix.length)))
                unlisted++;
        }
        if (seen > 2 * maxFiles + 1)
            break;
    }
    return unlisted;
}
/**
 * Creates the directories between `root` and `target`'s parent one at a time, refusing (with why) a component
 * that is a symbolic link or not a directory: a link already in the output directory is never followed.
 */
function prepareParents(root, target) {
    const parts = (0,external_node_path_.relative)(root, target).split(external_node_path_.sep).slice(0, -1);
    let current = root;
    for (const part of parts) {
        current = (0,external_node_path_.join)(current, part);
        const stat = lstatOrUndefined(current);
        if (!stat)
            (0,external_node_fs_.mkdirSync)(current);
        else if (stat.isSymbolicLink())
            return `${current} is a symbolic link already in the output directory; it is not followed`;
        else if (!stat.isDirectory())
            return `${current} is already a file in the output directory`;
    }
    const last = lstatOrUndefined(target);
    if (last?.isSymbolicLink())
        return `${target} is a symbolic link already in the output directory; it is not followed`;
    if (last && !last.isFile())
        return `${target} is already in the output directory and is not a file`;
    return undefined;
}
/** Streams `body` into `path` (O_NOFOLLOW), hashing it, and stops past `limit` bytes (the manifest's size). */
async function writeNoFollow(path, body, limit) {
    const flags = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_TRUNC | (external_node_fs_.constants.O_NOFOLLOW ?? 0);
    const handle = await (0,promises_.open)(path, flags, 0o644).catch((error) => {
        if (error.code === "ELOOP")
            return undefined;
        throw error;
    });
    if (!handle) {
        body.destroy();
        return { bytes: 0, sha256: "", refused: `${path} is a symbolic link already in the output directory; it is not followed` };
    }
    const hash = (0,external_node_crypto_.createHash)("sha256");
    let bytes = 0;
    try {
        for await (const chunk of body) {
            const buffer = chunk;
            bytes += buffer.length;
            // More than the manifest says: stop reading (the mismatch deletes the file).
            if (bytes > limit) {
                body.destroy();
                break;
            }
            hash.update(buffer);
            await handle.write(buffer);
        }
    }
    finally {
        await handle.close();
    }
    return { bytes, sha256: hash.digest("hex") };
}
function lstatOrUndefined(path) {
    try {
        return (0,external_node_fs_.lstatSync)(path);
    }
    catch (error) {
        if (error.code === "ENOENT")
            return undefined;
        throw error;
    }
}
//# sourceMappingURL=fargate-outputs.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-job.js














/** The job task's uploader reports a file it could not upload, or that it could not upload at all (output-uploader.ts). */
const UPLOAD_FAILURE = /^dask-fargate: (could not upload |cannot upload the job outputs: )/;
/** The outputs with the uploader's failures in `problem` (before a download's own problem). */
function uploadProblem(failures, outputs) {
    if (failures.length === 0)
        return outputs;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : "";
    const upload = `the job task could not upload its outputs to S3: ${failures[0]}${more}`;
    return { ...outputs, problem: outputs.problem ? `${upload}; ${outputs.problem}` : upload };
}
/**
 * Runs a job beside a Fargate cluster: as an ECS task from the job task definition (same image,
 * subnets and security group; DASK_SCHEDULER_ADDRESS and the worker count set; it waits for the
 * workers before the command starts), streaming its CloudWatch log live and returning the container's
 * exit code. The command must find its files in the image. With `outputDir` (which needs the cluster's
 * `output-uri`) what the job wrote to DFA_OUTPUT_DIR is uploaded by the task when the command ends, then
 * downloaded here, also after a failure. A job on the runner is {@link runClusterJob}'s, not this.
 */
async function runFargateJob(handle, job, options) {
    if (job.runsOn !== "cluster")
        throw new errors/* CoreError */.am("runFargateJob runs jobs in the cluster; a job on the runner goes through runClusterJob");
    const resources = handle.fargate;
    if (!resources)
        throw new errors/* CoreError */.am(`cluster ${handle.clusterId} is not a Fargate cluster`);
    const { ecs, logs } = options.clients;
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const clock = options.clock ?? wait/* systemClock */.m;
    const spec = handle.spec;
    (0,job_outputs/* checkFargateJobOutputs */.kb)(job.outputDir, resources.spec.outputUri);
    const outputDir = job.outputDir !== undefined ? (0,job_outputs/* prepareOutputDir */.g$)(job.outputDir) : undefined;
    // Outputs need the attempt's prefix and key that up made; a cluster saved by an earlier version has none.
    const outputRun = outputDir ? resources.outputs : undefined;
    if (outputDir && !outputRun)
        throw new errors/* CoreError */.am(`cluster ${handle.clusterId} was started without an outputs prefix and signing key (by an earlier version): start a new cluster to bring outputs back`);
    // Each job of the cluster uploads under its own id, named in its manifest: an earlier job's files are never this one's.
    const jobId = (0,external_node_crypto_.randomBytes)(6).toString("hex");
    const started = clock.now();
    const environment = {
        ...(0,dask_commands/* jobEnvironment */.tw)(spec, handle.schedulerAddress, job.command, job.environment),
        ...(outputRun ? { DFA_OUTPUT_JOB: jobId } : {}),
    };
    const input = (0,fargate_plan/* runTaskInput */.dY)(spec, resources.spec, (0,fargate_plan/* factsOf */.xS)(resources, handle.createdAt, handle.expiresAt), "job", 1, `${spec.clusterId}-job-${clock.now().toString(36)}`, undefined, false, environment);
    const [task] = await runTasks(ecs, [input], { logger, signal: options.signal, clock });
    const taskArn = task?.taskArn;
    if (!taskArn)
        throw new errors/* CoreError */.am("RunTask returned no job task");
    const taskId = taskArn.split("/").pop() ?? "";
    const stream = `job/${fargate_names/* fargateNames */.P.container}/${taskId}`;
    logger.info(`job task ${taskId} started; streaming ${resources.logGroup}/${stream}`);
    let nextToken;
    // The uploader's own failure lines (output-uploader.ts), so a result whose files did not all reach S3 says why.
    const uploadFailures = [];
    const drain = async () => {
        if (!resources.logGroup)
            return;
        for (;;) {
            const page = await logs
                .send(new dist_cjs/* GetLogEventsCommand */.h7S({ logGroupName: resources.logGroup, logStreamName: stream, startFromHead: true, ...(nextToken ? { nextToken } : {}) }))
                .catch((error) => {
                if (awsErrorName(error) === "ResourceNotFoundException")
                    return undefined; // the stream appears when the container starts
                throw error;
            });
            if (!page)
                return;
            for (const event of page.events ?? []) {
                const line = event.message ?? "";
                if (UPLOAD_FAILURE.test(line))
                    uploadFailures.push(line.replace(/^dask-fargate: /, ""));
                job.onOutput?.(line, "stdout");
            }
            const same = page.nextForwardToken === nextToken;
            nextToken = page.nextForwardToken;
            if (same || (page.events ?? []).length === 0)
                return;
        }
    };
    // StopTask is sent once (not on every poll after a timeout), and a failure is reported, never left unhandled.
    let stopping;
    const stop = (reason) => {
        stopping ??= stopTasks(ecs, resources.ecsCluster, [taskArn], reason).catch((error) => {
            logger.warn(`could not stop job task ${taskId}: ${error instanceof Error ? error.message : String(error)}; teardown stops it`);
        });
    };
    const cancel = () => stop("dask-fargate-action: job cancelled");
    // The cluster's own tasks are watched with the job, so a worker lost mid-job (killed, out of memory, a Spot
    // interruption) is reported with its stop code and reason, not only as a slower or failed training.
    const members = [...(resources.schedulerTaskArn ? [resources.schedulerTaskArn] : []), ...resources.workerTaskArns];
    const stoppedMembers = [];
    const seen = new Set();
    options.signal?.addEventListener("abort", cancel, { once: true });
    // A signal that came while the task was being launched fired no listener: stop it now.
    if (options.signal?.aborted)
        cancel();
    const deadline = job.timeoutSeconds ? started + job.timeoutSeconds * 1000 : Number.POSITIVE_INFINITY;
    try {
        for (;;) {
            await drain();
            const described = await describeTasks(ecs, resources.ecsCluster, [taskArn, ...members]);
            for (const task of described) {
                if (task.taskArn === taskArn || task.lastStatus !== "STOPPED" || seen.has(task.taskArn ?? ""))
                    continue;
                seen.add(task.taskArn ?? "");
                const error = stoppedError(task);
                stoppedMembers.push({ member: error.member, exitCode: error.exitCode, reason: error.reason });
                logger.warn(`${error.message} while the job ran`);
            }
            const current = described.find((t) => t.taskArn === taskArn);
            if (current?.lastStatus === "STOPPED") {
                await drain();
                const container = current.containers?.[0];
                const exitCode = container?.exitCode;
                const why = [current.stopCode, current.stoppedReason, container?.reason].filter(Boolean).join(": ");
                if (exitCode === undefined)
                    logger.warn(`job task ${taskId} stopped without an exit code: ${why}`);
                const downloaded = outputDir && outputRun
                    ? await (0,promises_.readFile)(outputRun.keyFile, "utf8")
                        .then((keyHex) => downloadJobOutputs(options.s3 ?? options.clients.s3 ?? new client_s3_dist_cjs/* S3Client */.YxF({ region: resources.spec.region }), {
                        bucket: outputRun.bucket,
                        jobPrefix: `${outputRun.runPrefix}${jobId}/`,
                        expected: { cluster: spec.clusterId, token: outputRun.token, job: jobId },
                        key: Buffer.from(keyHex.trim(), "hex"),
                    }, outputDir))
                        .catch((error) => {
                        const problem = `the job's outputs could not be downloaded to ${outputDir}: ${error instanceof Error ? error.message : String(error)}`;
                        logger.warn(problem);
                        return { dir: outputDir, files: [], problem };
                    })
                    : undefined;
                const outputs = downloaded && uploadProblem(uploadFailures, downloaded);
                if (outputs?.ignoredObjects)
                    logger.warn(`ignored ${outputs.ignoredObjects} object(s) under ${outputs.uri} that this job's signed manifest does not list (not written by this job)`);
                if (outputs)
                    logger.info(`job outputs: ${outputs.files.length} file(s) in ${outputs.dir}`);
                return {
                    exitCode: exitCode ?? 1,
                    stoppedMembers,
                    durationMs: clock.now() - started,
                    ...(exitCode !== 0 && why ? { reason: why } : {}),
                    ...(outputs ? { outputs } : {}),
                };
            }
            if (clock.now() > deadline) {
                if (!stopping)
                    logger.warn(`job timed out after ${job.timeoutSeconds} s; stopping it`);
                stop("dask-fargate-action: job timed out");
            }
            // Once the stop is sent the signal has done its work: keep polling at the same pace until the task is STOPPED
            // (an aborted signal would end every sleep at once and poll ECS without a pause).
            await clock.sleep(options.pollMs ?? 2000, stopping ? undefined : options.signal).catch(() => { });
        }
    }
    finally {
        options.signal?.removeEventListener("abort", cancel);
    }
}
//# sourceMappingURL=fargate-job.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-logs.js





/**
 * GetLogEvents calls in flight at once: CloudWatch Logs limits GetLogEvents per account and region ("CloudWatch
 * Logs quotas"), so a 500-worker cluster's streams are read a few at a time; the SDK retries a throttled call.
 */
const PARALLEL_READS = 10;
/** The last `tail` lines of every log stream of a cluster (one stream per task: `<role>/dask/<task id>`). */
async function fargateClusterLogs(clients, clusterId, options = {}) {
    const logGroupName = fargate_names/* fargateNames */.P.logGroup(clusterId);
    const streams = await allStreams(clients, logGroupName);
    const logs = await mapLimited(streams, PARALLEL_READS, async (stream) => {
        const events = await clients.logs.send(new dist_cjs/* GetLogEventsCommand */.h7S({ logGroupName, logStreamName: stream.logStreamName, limit: options.tail ?? 50, startFromHead: false }));
        return { member: stream.logStreamName ?? "?", lines: (events.events ?? []).map((e) => e.message ?? "") };
    });
    return logs.sort((a, b) => (a.member < b.member ? -1 : 1));
}
/** Every log stream of the group, page after page (DescribeLogStreams gives at most 50 a page); none without the group. */
async function allStreams(clients, logGroupName) {
    return aws_pages_allItems((0,dist_cjs/* paginateDescribeLogStreams */.er6)({ client: clients.logs }, { logGroupName }), (page) => page.logStreams).catch((error) => {
        if (awsErrorName(error) === "ResourceNotFoundException")
            return [];
        throw error;
    });
}
//# sourceMappingURL=fargate-logs.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-expiry.js








/**
 * Decides from every resource of a cluster whether it is over: every resource that carries a time must say so
 * (expires-at passed, or created-at older than `olderThanMs`), and at least one must. Tags are data anyone who
 * may tag a resource can set, but the start gives all of a cluster's resources the same times: a resource whose
 * past time the cluster's own resources (its ECS cluster, secret, log group, running tasks) contradict is not
 * the start's, and the cluster is left whole. Pure.
 */
function expiryVerdict(witnesses, now, olderThanMs) {
    const alive = [];
    const over = [];
    for (const witness of witnesses) {
        const expiresAt = Date.parse(witness.tags[labels/* LABEL */.d_.expiresAt] ?? "");
        const createdAt = Date.parse(witness.tags[labels/* LABEL */.d_.createdAt] ?? "");
        if (Number.isNaN(expiresAt) && Number.isNaN(createdAt))
            continue;
        if (!Number.isNaN(expiresAt) && expiresAt <= now)
            over.push({ what: witness.what, reason: `expired at ${witness.tags[labels/* LABEL */.d_.expiresAt]}` });
        else if (olderThanMs !== undefined && !Number.isNaN(createdAt) && createdAt <= now - olderThanMs)
            over.push({ what: witness.what, reason: "older than the limit" });
        else
            alive.push(`${witness.what} (expires at ${witness.tags[labels/* LABEL */.d_.expiresAt] ?? "an unreadable time"})`);
    }
    if (over.length === 0)
        return { reap: false };
    if (alive.length > 0)
        return { reap: false, disagreement: { alive, expired: over.map((o) => `${o.what} (${o.reason})`) } };
    return { reap: true, reason: over[0]?.reason ?? "expired" };
}
/**
 * The cluster's own resources the reaper reads its times from, besides the ECS clusters and security groups it
 * already listed: the TLS secret and log group the start names after the id, and the tasks started for the id
 * in any of `ecsClusters` (RUNNING, tagged as ours). Read-only.
 */
async function ownWitnesses(clients, scope, ecsClusters) {
    const id = scope.clusterId;
    const witnesses = [];
    const secretName = fargate_names/* fargateNames */.P.tlsSecret(id);
    const secrets = await aws_pages_allItems((0,client_secrets_manager_dist_cjs/* paginateListSecrets */.hM)({ client: clients.secrets }, { Filters: [{ Key: "name", Values: [secretName] }] }), (p) => p.SecretList);
    for (const secret of secrets) {
        const tags = (0,fargate_ownership/* tagMap */.lD)(secret.Tags);
        if (secret.Name === secretName && (0,fargate_ownership/* isOurs */.MU)(tags, scope))
            witnesses.push({ what: `secret ${secretName}`, tags });
    }
    const logGroup = fargate_names/* fargateNames */.P.logGroup(id);
    const groups = await aws_pages_allItems((0,dist_cjs/* paginateDescribeLogGroups */.BSi)({ client: clients.logs }, { logGroupNamePrefix: logGroup }), (p) => p.logGroups);
    for (const group of groups.filter((g) => g.logGroupName === logGroup)) {
        const tags = await logGroupTags(clients, group.arn ?? "");
        if ((0,fargate_ownership/* isOurs */.MU)(tags, scope))
            witnesses.push({ what: `log group ${logGroup}`, tags });
    }
    for (const cluster of ecsClusters) {
        const arns = await listTasksStartedBy(clients, cluster, id);
        if (arns.length === 0)
            continue;
        for (const task of await describeTasks(clients.ecs, cluster, arns, true)) {
            const tags = (0,fargate_ownership/* tagMap */.lD)(task.tags);
            if ((0,fargate_ownership/* isOurs */.MU)(tags, scope))
                witnesses.push({ what: `task ${task.taskArn?.split("/").pop()}`, tags });
        }
    }
    return witnesses;
}
//# sourceMappingURL=fargate-expiry.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-reaper.js








/**
 * Finds this tool's clusters in the region — ECS clusters and security groups tagged with our
 * managed-by tag and a cluster id (the latter covers clusters run inside an existing ECS cluster) —
 * and tears down those that are over: expires-at passed (or created longer ago than `olderThanSeconds`)
 * on every resource of the cluster that carries a time, read from its ECS cluster, security groups, TLS
 * secret, log group and running tasks (see {@link expiryVerdict}). A cluster whose resources disagree is
 * left whole, with a warning naming them. Nothing without both tags is ever touched; with `repository`,
 * nothing without that repository's tag either.
 */
async function reapFargateClusters(options) {
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const now = (options.now ?? Date.now)();
    const olderThanMs = options.olderThanSeconds !== undefined ? options.olderThanSeconds * 1000 : undefined;
    const found = new Map();
    // Tags are data anyone who can tag a resource can set: an id must be well-formed and inside the scope,
    // and the teardown below again touches only resources whose own tags name that cluster.
    const note = (what, tags) => {
        const id = tags[labels/* LABEL */.d_.clusterId];
        if (!id)
            return;
        if (!(0,cluster_id/* isClusterId */.I5)(id)) {
            logger.warn(`ignoring a resource tagged with ${JSON.stringify(id.slice(0, 80))}, which is not a cluster id`);
            return;
        }
        if (options.repository !== undefined && tags[fargate_ownership/* REPOSITORY_TAG */.SD] !== options.repository)
            return;
        found.set(id, [...(found.get(id) ?? []), { what, tags }]);
    };
    for (const [arn, tags] of await taggedEcsClusters(options.clients))
        note(`ECS cluster ${arn.split("/").pop()}`, tags);
    const groups = (0,client_ec2_dist_cjs/* paginateDescribeSecurityGroups */.nYn)({ client: options.clients.ec2 }, { Filters: [{ Name: `tag:${labels/* LABEL */.d_.managedBy}`, Values: [labels/* MANAGED_BY */.Kf] }] });
    for (const group of await aws_pages_allItems(groups, (page) => page.SecurityGroups))
        note(`security group ${group.GroupId}`, (0,fargate_ownership/* tagMap */.lD)(group.Tags));
    const reaped = [];
    const kept = [];
    let regionClusters;
    for (const [id, listed] of [...found.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const keep = (verdict) => {
            kept.push(id);
            if (!verdict.reap && verdict.disagreement)
                logger.warn(`leaving cluster ${id} whole: its resources disagree on its expiry (${verdict.disagreement.alive.join(", ")} against ${verdict.disagreement.expired.join(", ")}); the start tags all of a cluster's resources alike, so check who tagged the latter`);
        };
        const listedVerdict = expiryVerdict(listed, now, olderThanMs);
        if (!listedVerdict.reap) {
            keep(listedVerdict);
            continue;
        }
        // Over by what was listed: the cluster's other resources must say so too (a forged group must not end a live cluster).
        regionClusters ??= await allEcsClusters(options.clients);
        const scope = { clusterId: id, repository: options.repository };
        const verdict = expiryVerdict([...listed, ...(await ownWitnesses(options.clients, scope, regionClusters))], now, olderThanMs);
        if (!verdict.reap) {
            keep(verdict);
            continue;
        }
        reaped.push(id);
        logger.info(`${options.dryRun ? "would reap" : "reaping"} cluster ${id} (${verdict.reason})`);
        if (!options.dryRun)
            await downFargateCluster({ clusterId: id }, { clients: options.clients, logger, repository: options.repository });
    }
    return { reaped, kept };
}
//# sourceMappingURL=fargate-reaper.js.map
// EXTERNAL MODULE: ../core/dist/internal/cost-limits.js
var cost_limits = __webpack_require__(86935);
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-launch.js


/** The pace of every DescribeTasks round of a start. */
const POLL_MS = 1000;
/** Waits until the scheduler task's ENI has its private IP (long before the task runs: facts.md, "Task lifecycle"). */
async function waitForSchedulerIp(clients, resources, options) {
    return (0,wait/* pollUntil */.g)({
        waitingFor: "the scheduler's private IP address",
        timeoutSeconds: options.readyTimeoutSeconds ?? 600,
        // Polls a second apart, like every DescribeTasks round of the start.
        delayMs: POLL_MS,
        maxDelayMs: POLL_MS,
        signal: options.signal,
        ...(options.clock ? { clock: options.clock } : {}),
        onProgress: options.progress,
        check: async () => {
            const [task] = await describeTasks(clients.ecs, resources.ecsCluster, [resources.schedulerTaskArn ?? ""]);
            if (task?.lastStatus === "STOPPED")
                throw stoppedError(task);
            return task && privateIp(task)
                ? { done: true, value: task }
                : { done: false, seen: `scheduler ${task?.lastStatus ?? "requested"}, waiting for its network interface` };
        },
    });
}
/**
 * One poll loop for the scheduler and all workers (DescribeTasks in batches of 100, a round a second) until all
 * are RUNNING. A stopped task fails the wait with its stop code, reason and container exit codes.
 */
async function waitForTasks(clients, resources, expectedWorkers, options) {
    const arns = [resources.schedulerTaskArn ?? "", ...resources.workerTaskArns].filter(Boolean);
    // Tasks just launched are not running yet: the first round, too, comes a second after the last poll.
    await (options.clock ?? wait/* systemClock */.m).sleep(POLL_MS, options.signal);
    return (0,wait/* pollUntil */.g)({
        waitingFor: `the scheduler and ${expectedWorkers} workers to run`,
        timeoutSeconds: options.readyTimeoutSeconds ?? 600,
        // ⌈N/100⌉ DescribeTasks a round: readiness is seen within a second, far inside the DescribeTasks+ListTasks
        // refill of 20 per second (facts.md) even at 1,000 tasks.
        delayMs: POLL_MS,
        maxDelayMs: POLL_MS,
        signal: options.signal,
        ...(options.clock ? { clock: options.clock } : {}),
        onProgress: options.progress,
        check: async () => {
            const tasks = await describeTasks(clients.ecs, resources.ecsCluster, arns);
            const failed = tasks.find((t) => t.lastStatus === "STOPPED");
            if (failed)
                throw stoppedError(failed);
            const scheduler = tasks.find((t) => t.taskArn === resources.schedulerTaskArn);
            const running = tasks.filter((t) => t.taskArn !== resources.schedulerTaskArn && t.lastStatus === "RUNNING").length;
            if (scheduler?.lastStatus === "RUNNING" && running >= expectedWorkers)
                return { done: true, value: tasks };
            return { done: false, seen: `scheduler ${scheduler?.lastStatus ?? "?"}, ${running}/${expectedWorkers} workers RUNNING` };
        },
    });
}
//# sourceMappingURL=fargate-launch.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-scale.js









/**
 * Scales the workers of a running Fargate cluster: new workers are launched in batches (and awaited
 * until RUNNING; Spot ones fall back to on-demand when Spot has no capacity, as at start); on the way down
 * the most recently started ones are stopped. The signal aborts the launches and the waits.
 */
async function scaleFargateCluster(handle, workers, options) {
    if (handle.backend !== "fargate")
        throw new errors/* CoreError */.am(`cluster ${handle.clusterId} is not a Fargate cluster`);
    options.signal?.throwIfAborted();
    const resources = handle.fargate;
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const clock = options.clock ?? wait/* systemClock */.m;
    const current = resources.workerTaskArns.length;
    let workerTaskArns = [...resources.workerTaskArns];
    if (workers > current) {
        await checkRegisteredCost(options.clients.ecs, handle, workers);
        const inputs = (0,fargate_plan/* workerRunInputs */.zb)(handle.spec, resources.spec, (0,fargate_plan/* factsOf */.xS)(resources, handle.createdAt, handle.expiresAt), handle.schedulerAddress, current, workers - current, resources.spec.spotWorkers).map((input) => ({
            ...input,
            // A distinct token per scaling step, so a later scale to the same size starts new tasks.
            clientToken: `${input.clientToken}-${clock.now().toString(36)}`.slice(0, 64),
        }));
        // Spot workers added later fall back to on-demand exactly as those started with the cluster.
        const started = await runTasks(options.clients.ecs, inputs, { logger, signal: options.signal, clock, ...workerFallback(resources.spec.spotWorkers) });
        workerTaskArns = [...workerTaskArns, ...started.map((t) => t.taskArn ?? "")];
    }
    else if (workers < current) {
        const doomed = workerTaskArns.slice(workers);
        await stopTasks(options.clients.ecs, resources.ecsCluster, doomed, "dask-fargate-action scale down");
        await waitStopped(options.clients.ecs, resources.ecsCluster, doomed, { clock, ...(options.signal ? { signal: options.signal } : {}) });
        workerTaskArns = workerTaskArns.slice(0, workers);
    }
    const scaled = { ...handle, spec: { ...handle.spec, workers }, fargate: { ...resources, workerTaskArns } };
    if (workers > current) {
        await waitForTasks(options.clients, scaled.fargate, workers, {
            signal: options.signal,
            clock,
            progress: (m) => logger.info(m),
        });
    }
    return scaled;
}
/**
 * The cost limit of a scale, on the sizes Fargate will bill: RunTask starts the family's latest ACTIVE task
 * definition, so its registered `cpu` is what each new worker costs, whatever the saved record says (a
 * record is a local file; an edited worker size must not lift the 128 vCPU limit).
 */
async function checkRegisteredCost(ecs, handle, workers) {
    const vcpu = async (role) => {
        const family = fargate_names/* fargateNames */.P.family(handle.clusterId, role);
        const found = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: family }));
        const units = Number(found.taskDefinition?.cpu);
        if (!Number.isFinite(units) || units <= 0)
            throw new errors/* CoreError */.am(`the task definition ${family} has no task-level cpu; cannot check the cost limit of this scale`);
        return units / 1024;
    };
    (0,cost_limits/* checkCostLimits */.i)({
        ...handle.spec,
        schedulerCpu: await vcpu("scheduler"),
        workerCpu: await vcpu("worker"),
        workers,
        allowUnboundedCost: handle.spec.allowUnboundedCost ?? false,
    });
}
//# sourceMappingURL=fargate-scale.js.map
// EXTERNAL MODULE: ../core/dist/fargate/fargate-spec.js + 2 modules
var fargate_spec = __webpack_require__(93866);
// EXTERNAL MODULE: ../core/dist/cluster.js
var cluster = __webpack_require__(89987);
// EXTERNAL MODULE: ../core/dist/internal/cluster-start.js
var cluster_start = __webpack_require__(12460);
// EXTERNAL MODULE: ../core/dist/internal/tls.js
var internal_tls = __webpack_require__(76530);
// EXTERNAL MODULE: ../core/dist/scheduler-http.js
var scheduler_http = __webpack_require__(29641);
;// CONCATENATED MODULE: ../core/dist/internal/policy-document.js
/**
 * Reading IAM policy documents the tool checks itself (a role's trust policy, the task role's outputs policy):
 * IAM answers them URL-encoded (GetRole, GetRolePolicy), some emulators as sent; both spellings are read here.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html ("URL-encoded compliant with RFC 3986")
 */
/** The document, URL-encoded or plain JSON; undefined when it is neither (or not an object). */
function policy_document_parsePolicyDocument(raw) {
    if (raw === undefined)
        return undefined;
    for (const text of [raw, safeDecode(raw)]) {
        if (text === undefined)
            continue;
        try {
            const parsed = JSON.parse(text);
            if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
                return parsed;
        }
        catch {
            // Try the next spelling.
        }
    }
    return undefined;
}
function safeDecode(raw) {
    try {
        return decodeURIComponent(raw);
    }
    catch {
        return undefined;
    }
}
/** A policy element that may be one value or a list of them (Statement, Action, Resource …), as a list. */
function asList(value) {
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
/**
 * Whether `value` matches an IAM pattern with `*` and `?` wildcards. Actions compare without case, resource
 * ARNs with it (IAM user guide, "IAM JSON policy elements: Action" and "Resource").
 */
function matchesIamPattern(pattern, value, options = {}) {
    const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${source}$`, options.ignoreCase ? "i" : "").test(value);
}
//# sourceMappingURL=policy-document.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-output-access.js







/**
 * The one inline policy on the managed task role that lets job tasks write outputs, put there once by an
 * administrator (`dask-fargate setup-roles --output-uri`, or the CloudFormation template made with it). A run
 * writes no IAM: it only reads this policy (iam:GetRolePolicy) to fail early when it does not cover output-uri.
 */
const fargate_output_access_OUTPUT_POLICY_NAME = "dask-fargate-action-outputs";
/** Per-cluster policies earlier versions put on the managed task role at every `up`; setup-roles removes them. */
const LEGACY_OUTPUT_POLICY_PREFIX = "dask-fargate-action-outputs-";
/**
 * The static policy: s3:PutObject under `<prefix>/` of `outputUri`, nothing else. Which run's files the runner
 * takes is decided by the manifest signed with the cluster's own key (output-manifest.ts), not by IAM.
 */
function fargate_output_access_outputWritePolicy(outputUri, partition = "aws") {
    const location = parseOutputUri(outputUri, "output-uri");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteJobOutputs",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: `arn:${partition}:s3:::${location.bucket}/${location.prefix ? `${location.prefix}/` : ""}*`,
            },
        ],
    });
}
function isAccessDenied(error) {
    return ["AccessDenied", "AccessDeniedException"].includes(awsErrorName(error));
}
function isNoSuchEntity(error) {
    return ["NoSuchEntity", "NoSuchEntityException"].includes(awsErrorName(error));
}
/**
 * Whether a policy document (JSON, URL-encoded or not) allows s3:PutObject on `objectArn`, with no Deny or
 * condition in the way. A document that is not JSON allows nothing.
 */
function policyAllowsPut(document, objectArn) {
    const statements = asList(policy_document_parsePolicyDocument(document)?.Statement);
    const strings = (v) => asList(v).map(String);
    const matches = (s) => strings(s["Action"]).some((a) => matchesIamPattern(a, "s3:PutObject", { ignoreCase: true })) &&
        strings(s["Resource"]).some((r) => matchesIamPattern(r, objectArn));
    if (statements.some((s) => s["Effect"] === "Deny" && matches(s)))
        return false;
    return statements.some((s) => s["Effect"] === "Allow" && s["Condition"] === undefined && matches(s));
}
/**
 * Before anything is created: the managed task role must carry {@link OUTPUT_POLICY_NAME} covering this
 * cluster's outputs (iam:GetRolePolicy, a read). Refuses with what to run when it does not.
 */
async function checkOutputAccess(iam, outputUri, clusterId, partition = "aws") {
    const location = (0,job_outputs/* parseOutputUri */.V6)(outputUri);
    const probe = `arn:${partition}:s3:::${location.bucket}/${(0,job_outputs/* outputKeyPrefix */.$4)(location, clusterId)}probe`;
    const fix = `run \`dask-fargate setup-roles --output-uri ${outputUri}\` once as an administrator (or deploy its --print-cloudformation template), or pass task-role-arn with a role that may s3:PutObject there`;
    const answer = await iam.send(new client_iam_dist_cjs/* GetRolePolicyCommand */.WHQ({ RoleName: fargate_names/* fargateNames */.P.taskRole, PolicyName: fargate_output_access_OUTPUT_POLICY_NAME })).catch((error) => {
        if (isNoSuchEntity(error))
            throw new errors/* RolesSetupError */.tH(fargate_names/* fargateNames */.P.taskRole, `has no ${fargate_output_access_OUTPUT_POLICY_NAME} policy, so job tasks cannot write to ${outputUri}: ${fix}`, {
                cause: error,
            });
        if (isAccessDenied(error))
            throw new errors/* RolesSetupError */.tH(fargate_names/* fargateNames */.P.taskRole, `cannot be checked for output-uri: this identity needs iam:GetRolePolicy on it (the README's iam-policy-outputs statement)`, { cause: error });
        throw error;
    });
    if (!policyAllowsPut(answer.PolicyDocument ?? "{}", probe))
        throw new errors/* RolesSetupError */.tH(fargate_names/* fargateNames */.P.taskRole, `has a ${fargate_output_access_OUTPUT_POLICY_NAME} policy that does not allow s3:PutObject under ${outputUri}/: ${fix}`);
}
/**
 * setup-roles: puts {@link OUTPUT_POLICY_NAME} on the managed task role (replacing an earlier one) and removes
 * the per-cluster policies earlier versions left there. Returns one line per change.
 */
async function fargate_output_access_installOutputPolicy(iam, outputUri, partition = "aws") {
    const changes = [];
    const document = fargate_output_access_outputWritePolicy(outputUri, partition);
    const current = await iam
        .send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: fargate_output_access_OUTPUT_POLICY_NAME }))
        .then((a) => parsePolicyDocument(a.PolicyDocument))
        .catch((error) => {
        if (isNoSuchEntity(error))
            return undefined;
        throw error;
    });
    if (current === undefined || JSON.stringify(current) !== document) {
        await iam.send(new PutRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: fargate_output_access_OUTPUT_POLICY_NAME, PolicyDocument: document }));
        changes.push(`put the inline policy ${fargate_output_access_OUTPUT_POLICY_NAME} (s3:PutObject under ${outputUri}/) on ${fargateNames.taskRole}`);
    }
    for (const name of await legacyOutputPolicies(iam)) {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: name }));
        changes.push(`removed the per-cluster inline policy ${name} an earlier version left on ${fargateNames.taskRole}`);
    }
    return changes;
}
/** Names of the per-cluster output policies earlier versions put on the managed task role (iam:ListRolePolicies). */
async function legacyOutputPolicies(iam) {
    const names = await allItems(paginateListRolePolicies({ client: iam }, { RoleName: fargateNames.taskRole }), (page) => page.PolicyNames);
    return names.filter((n) => n.startsWith(LEGACY_OUTPUT_POLICY_PREFIX));
}
//# sourceMappingURL=fargate-output-access.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/trust-policy.js
/**
 * Whether a role's trust policy lets ECS tasks of one account, and no one else's, assume it: the
 * confused-deputy guard of the task IAM role and execution role. The policy is parsed and each statement
 * evaluated, never searched as text: a statement with no condition beside a decoy that carries
 * `aws:SourceAccount` of another account must fail.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html (trust relationship with
 * `aws:SourceAccount` and `aws:SourceArn`); https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html;
 * the evaluation of Allow statements, conditions and `...IfExists`:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

const ECS_TASKS = "ecs-tasks.amazonaws.com";
const wildcard = (pattern, value) => matchesIamPattern(pattern, value, { ignoreCase: true });
/** The trust policy as GetRole returns it (URL-encoded JSON) or as it was sent (plain JSON); undefined when it is neither. */
const parseTrustPolicy = policy_document_parsePolicyDocument;
/** True when a statement's Action (or NotAction) covers sts:AssumeRole. */
function coversAssumeRole(statement) {
    if ("NotAction" in statement)
        return !asList(statement["NotAction"]).some((a) => typeof a === "string" && wildcard(a, "sts:AssumeRole"));
    return asList(statement["Action"]).some((a) => typeof a === "string" && wildcard(a, "sts:AssumeRole"));
}
/** True when a statement's Principal (or NotPrincipal) admits the ECS tasks service. */
function admitsEcsTasks(statement) {
    if ("NotPrincipal" in statement)
        return true;
    const principal = statement["Principal"];
    if (principal === "*")
        return true;
    if (!principal || typeof principal !== "object")
        return false;
    return Object.entries(principal).some(([kind, values]) => asList(values).some((value) => value === "*" || (kind === "Service" && typeof value === "string" && value.toLowerCase() === ECS_TASKS)));
}
/**
 * The values a statement's condition requires for `key`, when the condition pins it with an operator that
 * fails on a missing key; undefined when no such condition constrains it (absent, `...IfExists`, a negated
 * or set operator, or an operator that does not pin the value).
 */
function pinnedValues(condition, key, operators) {
    if (!condition || typeof condition !== "object")
        return undefined;
    let pinned;
    for (const [operator, keys] of Object.entries(condition)) {
        if (!operators.includes(operator) || !keys || typeof keys !== "object")
            continue;
        for (const [name, values] of Object.entries(keys)) {
            if (name.toLowerCase() !== key.toLowerCase())
                continue;
            const list = asList(values).map(String);
            // Several operators on one key must all hold: the key is within each list.
            pinned = pinned === undefined ? list : pinned.filter((v) => list.includes(v));
        }
    }
    return pinned;
}
/** Why one Allow statement admitting ECS tasks is not limited to `owner`'s tasks; undefined when it is. */
function statementProblem(statement, owner) {
    const condition = statement["Condition"];
    const accounts = pinnedValues(condition, "aws:SourceAccount", ["StringEquals", "StringLike", "ArnEquals", "ArnLike"]);
    if (accounts === undefined || accounts.length === 0)
        return "has no aws:SourceAccount condition (StringEquals, your account)";
    const others = accounts.filter((a) => a !== owner.account);
    if (others.length > 0)
        return `admits aws:SourceAccount ${others.join(", ")}, not only ${owner.account}`;
    const arns = pinnedValues(condition, "aws:SourceArn", ["ArnEquals", "ArnLike", "StringEquals", "StringLike"]);
    const foreign = (arns ?? []).filter((arn) => arn.split(":")[4] !== owner.account);
    if (foreign.length > 0)
        return `admits aws:SourceArn ${foreign.join(", ")}, outside account ${owner.account}`;
    return undefined;
}
/**
 * Why a trust policy lets ECS tasks that are not `owner`'s assume the role; undefined when every Allow
 * statement that grants `sts:AssumeRole` to ECS tasks (or to anyone) requires `aws:SourceAccount` equal to
 * `owner.account` and, where it names `aws:SourceArn`, ARNs of that account. Deny statements only take away,
 * so they neither add nor replace a guard.
 */
function trust_policy_trustPolicyProblem(raw, owner) {
    const policy = parseTrustPolicy(raw);
    if (!policy)
        return "cannot be read as a JSON policy";
    const statements = asList(policy.Statement);
    for (const [index, statement] of statements.entries()) {
        if (!statement || typeof statement !== "object")
            return `has a statement (${index + 1}) that is not an object`;
        const s = statement;
        if (s["Effect"] !== "Allow" || !coversAssumeRole(s) || !admitsEcsTasks(s))
            continue;
        const problem = statementProblem(s, owner);
        if (problem)
            return `statement ${index + 1}${typeof s["Sid"] === "string" ? ` (${s["Sid"]})` : ""} lets ECS tasks assume the role but ${problem}`;
    }
    return undefined;
}
//# sourceMappingURL=trust-policy.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-roles.js









/**
 * Lets ECS tasks of one account assume a role, and no one else's: `aws:SourceAccount` and `aws:SourceArn`
 * guard against the confused deputy (another account's task naming this role). The roles are global and
 * reused in every region, hence `ecs:*`.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html ("Task IAM role",
 * trust relationship with `aws:SourceArn` `arn:aws:ecs:region:account:*` and `aws:SourceAccount`);
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
function ecsTasksTrustPolicy(owner) {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": owner.account },
                    ArnLike: { "aws:SourceArn": `arn:${owner.partition}:ecs:*:${owner.account}:*` },
                },
            },
        ],
    });
}
/** Image pull (ECR) and awslogs, as AWS documents for the task execution role. */
const EXECUTION_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
/** The name of the execution role's inline policy (the one inline policy the tool writes). */
const EXECUTION_ROLE_SECRETS_POLICY_NAME = "read-cluster-tls-secrets";
/** The execution role may read this tool's per-cluster TLS secrets, and nothing else of Secrets Manager. */
const EXECUTION_ROLE_SECRETS_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*" }],
});
/** The account and partition of the caller (STS GetCallerIdentity needs no permission). */
async function callerAccount(sts) {
    const identity = await sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}));
    const partition = identity.Arn?.split(":")[1] ?? "aws";
    if (!identity.Account)
        throw new Error("STS GetCallerIdentity returned no account");
    return { account: identity.Account, partition };
}
/**
 * The one-time setup behind `dask-fargate setup-roles`, run by an administrator so that the identity CI
 * uses needs no IAM write: creates the two managed roles (trust policy with the confused-deputy guard),
 * attaches AmazonECSTaskExecutionRolePolicy and the TLS-secrets inline policy to the execution role, and
 * the given policies to the task role. Idempotent: an existing role keeps its name and ARN and gets the
 * guarded trust policy if it lacks it; attaching and putting policies again changes nothing.
 */
async function setupRoles(clients, options = {}) {
    const { iam } = clients;
    const logger = options.logger ?? silentLogger;
    for (const arn of options.taskRolePolicyArns ?? []) {
        if (!POLICY_ARN.test(arn))
            throw new ClusterConfigError("task-role-policy-arns", `"${arn}" is not an IAM policy ARN`);
    }
    if (options.permissionsBoundaryArn !== undefined && !POLICY_ARN.test(options.permissionsBoundaryArn)) {
        throw new ClusterConfigError("permissions-boundary", `"${options.permissionsBoundaryArn}" is not an IAM policy ARN`);
    }
    if (options.outputUri !== undefined)
        outputWritePolicy(options.outputUri); // a bad URI is refused before any change
    const owner = await callerAccount(clients.sts);
    const changes = [];
    const note = (change) => {
        changes.push(change);
        logger.info(change);
    };
    const converge = async (name, description) => {
        const found = await getRole(iam, name);
        if (!found) {
            const arn = await createRole(iam, name, description, owner, options.permissionsBoundaryArn);
            note(`created the IAM role ${name}`);
            return arn;
        }
        const problem = trustPolicyProblem(found.AssumeRolePolicyDocument, owner);
        if (problem) {
            await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: ecsTasksTrustPolicy(owner) }));
            note(`replaced the trust policy of ${name} (${problem}); it now admits only ECS tasks of account ${owner.account} (aws:SourceAccount, aws:SourceArn)`);
        }
        return found.Arn ?? "";
    };
    const executionRoleArn = await converge(fargateNames.executionRole, EXECUTION_ROLE_DESCRIPTION);
    await attachExecutionPolicies(iam);
    const taskRoleArn = await converge(fargateNames.taskRole, TASK_ROLE_DESCRIPTION);
    for (const policy of options.taskRolePolicyArns ?? []) {
        await iam.send(new AttachRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyArn: policy }));
    }
    if (options.outputUri !== undefined)
        for (const change of await installOutputPolicy(iam, options.outputUri, owner.partition))
            note(change);
    return { executionRoleArn, taskRoleArn, changes };
}
/** A managed policy's ARN (the same rule as `task-role-policy-arns` in fargate-spec.ts). */
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const EXECUTION_ROLE_DESCRIPTION = "dask-fargate-action: pulls images, writes logs, reads the per-cluster TLS secrets";
const TASK_ROLE_DESCRIPTION = "dask-fargate-action: what the Dask code may do (empty unless policies are attached)";
/**
 * The roles tasks use: the ARNs given, or the two managed roles. Where `dask-fargate setup-roles` (or the
 * README's CloudFormation snippet) made them, this only reads them (`iam:GetRole`), so the identity needs
 * no IAM write. A missing role is created here when the identity may (moto, an administrator's laptop);
 * when it may not, the error says to run the setup once. Teardown never deletes the roles.
 */
async function ensureRoles(clients, fargate, logger) {
    const { iam } = clients;
    let created = false;
    let owner;
    const ensure = async (name, description) => {
        const found = await getRole(iam, name);
        if (found) {
            // The role is this account's (it was read by name here), so its ARN names the account its tasks must come from.
            const account = found.Arn?.split(":")[4] ?? "";
            const problem = trust_policy_trustPolicyProblem(found.AssumeRolePolicyDocument, { account });
            if (problem)
                throw new errors/* RolesSetupError */.tH(name, `has a trust policy that does not limit it to ECS tasks of account ${account} (${problem}), so another account's tasks could act as this role (the confused deputy) and the cluster was not started. setup-roles replaces the trust policy with the guarded one (aws:SourceAccount and aws:SourceArn of this account)`);
            return found.Arn ?? "";
        }
        logger.info(`creating the IAM role ${name} (once per account; later clusters reuse it)`);
        owner ??= await callerAccount(clients.sts);
        const arn = await createRole(iam, name, description, owner, undefined).catch((error) => {
            if (fargate_roles_isAccessDenied(error))
                throw new errors/* RolesSetupError */.tH(name, "does not exist and this identity may not create it (iam:CreateRole was denied)", { cause: error });
            throw error;
        });
        created = true;
        return arn;
    };
    const executionRoleArn = fargate.executionRoleArn ??
        (await (async () => {
            const before = created;
            const arn = await ensure(fargate_names/* fargateNames */.P.executionRole, EXECUTION_ROLE_DESCRIPTION);
            // Policies go on with the role's creation; an existing role was set up by setup-roles (or by the run that created it).
            if (created !== before)
                await attachExecutionPolicies(iam);
            return arn;
        })());
    const taskRoleArn = fargate.taskRoleArn ??
        (await (async () => {
            const arn = await ensure(fargate_names/* fargateNames */.P.taskRole, TASK_ROLE_DESCRIPTION);
            if (fargate.taskRolePolicyArns.length > 0)
                await checkTaskRolePolicies(iam, fargate.taskRolePolicyArns);
            return arn;
        })());
    return { executionRoleArn, taskRoleArn, created };
}
/**
 * `task-role-policy-arns` with the managed task role: every cluster shares that role, so a policy a run attached
 * would stay with every later cluster (issue 10). A run therefore never attaches; it checks
 * (iam:ListAttachedRolePolicies) that an administrator attached them once with `setup-roles`, and refuses before
 * anything is created when one is missing. Per-run permissions belong on your own task role (`task-role-arn`).
 */
async function checkTaskRolePolicies(iam, wanted) {
    const attached = new Set();
    try {
        for await (const page of (0,client_iam_dist_cjs/* paginateListAttachedRolePolicies */.mpN)({ client: iam }, { RoleName: fargate_names/* fargateNames */.P.taskRole })) {
            for (const policy of page.AttachedPolicies ?? [])
                if (policy.PolicyArn)
                    attached.add(policy.PolicyArn);
        }
    }
    catch (error) {
        if (fargate_roles_isAccessDenied(error))
            throw new errors/* RolesSetupError */.tH(fargate_names/* fargateNames */.P.taskRole, "cannot be checked for task-role-policy-arns: this identity needs iam:ListAttachedRolePolicies on it", {
                cause: error,
            });
        throw error;
    }
    const missing = wanted.filter((arn) => !attached.has(arn));
    if (missing.length > 0)
        throw new errors/* RolesSetupError */.tH(fargate_names/* fargateNames */.P.taskRole, `does not have ${missing.join(", ")} (task-role-policy-arns) attached. The managed task role is shared by every cluster, so runs never attach policies to it (they would stay with every later cluster): attach them once as an administrator with \`dask-fargate setup-roles --task-role-policy-arns ${missing.join(",")}\`, or pass task-role-arn with a role of your own`);
}
async function getRole(iam, name) {
    try {
        return (await iam.send(new client_iam_dist_cjs/* GetRoleCommand */.kbp({ RoleName: name }))).Role;
    }
    catch (error) {
        if (awsErrorName(error) === "NoSuchEntityException" || awsErrorName(error) === "NoSuchEntity")
            return undefined;
        if (fargate_roles_isAccessDenied(error))
            throw new errors/* RolesSetupError */.tH(name, "cannot be read: this identity needs iam:GetRole on it", { cause: error });
        throw error;
    }
}
async function createRole(iam, name, description, owner, permissionsBoundaryArn) {
    const role = await iam.send(new client_iam_dist_cjs/* CreateRoleCommand */.IS({
        RoleName: name,
        Description: description,
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(owner),
        Tags: [{ Key: labels/* LABEL */.d_.managedBy, Value: labels/* MANAGED_BY */.Kf }],
        ...(permissionsBoundaryArn ? { PermissionsBoundary: permissionsBoundaryArn } : {}),
    }));
    return role.Role?.Arn ?? "";
}
async function attachExecutionPolicies(iam) {
    await iam.send(new client_iam_dist_cjs/* AttachRolePolicyCommand */.XgU({ RoleName: fargate_names/* fargateNames */.P.executionRole, PolicyArn: EXECUTION_ROLE_POLICY_ARN }));
    await iam.send(new client_iam_dist_cjs/* PutRolePolicyCommand */.pMt({
        RoleName: fargate_names/* fargateNames */.P.executionRole,
        PolicyName: EXECUTION_ROLE_SECRETS_POLICY_NAME,
        PolicyDocument: EXECUTION_ROLE_SECRETS_POLICY,
    }));
}
function fargate_roles_isAccessDenied(error) {
    return ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"].includes(awsErrorName(error));
}
/**
 * A CloudFormation template (JSON) that makes the same two roles as {@link setupRoles}, for teams that
 * create IAM through stacks: `dask-fargate setup-roles --print-cloudformation`. The README shows it too,
 * and a test keeps the two identical. Account and partition come from CloudFormation's pseudo parameters.
 */
function rolesCloudFormationTemplate(options = {}) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub placeholders, not a JavaScript template.
    const [partition, account] = ["${AWS::Partition}", "${AWS::AccountId}"];
    const trust = {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
                    ArnLike: { "aws:SourceArn": { "Fn::Sub": `arn:${partition}:ecs:*:${account}:*` } },
                },
            },
        ],
    };
    const tags = [{ Key: LABEL.managedBy, Value: MANAGED_BY }];
    return JSON.stringify({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "dask-fargate-action: the two IAM roles its ECS tasks use (made once; CI then needs only iam:GetRole and iam:PassRole)",
        Resources: {
            ExecutionRole: {
                Type: "AWS::IAM::Role",
                Properties: {
                    RoleName: fargateNames.executionRole,
                    Description: EXECUTION_ROLE_DESCRIPTION,
                    AssumeRolePolicyDocument: trust,
                    ManagedPolicyArns: [{ "Fn::Sub": EXECUTION_ROLE_POLICY_ARN.replace("arn:aws:", `arn:${partition}:`) }],
                    Policies: [{ PolicyName: EXECUTION_ROLE_SECRETS_POLICY_NAME, PolicyDocument: JSON.parse(EXECUTION_ROLE_SECRETS_POLICY) }],
                    Tags: tags,
                },
            },
            TaskRole: {
                Type: "AWS::IAM::Role",
                Properties: {
                    RoleName: fargateNames.taskRole,
                    Description: TASK_ROLE_DESCRIPTION,
                    AssumeRolePolicyDocument: trust,
                    ...(options.outputUri !== undefined
                        ? { Policies: [{ PolicyName: OUTPUT_POLICY_NAME, PolicyDocument: cloudFormationOutputPolicy(options.outputUri, partition) }] }
                        : {}),
                    Tags: tags,
                },
            },
        },
        Outputs: {
            ExecutionRoleArn: { Value: { "Fn::GetAtt": ["ExecutionRole", "Arn"] } },
            TaskRoleArn: { Value: { "Fn::GetAtt": ["TaskRole", "Arn"] } },
        },
    }, null, 2);
}
/** The static outputs policy with CloudFormation's partition in its resource. */
function cloudFormationOutputPolicy(outputUri, partition) {
    const policy = JSON.parse(outputWritePolicy(outputUri, "PARTITION"));
    return { ...policy, Statement: policy.Statement.map((s) => ({ ...s, Resource: { "Fn::Sub": s.Resource.replace("arn:PARTITION:", `arn:${partition}:`) } })) };
}
//# sourceMappingURL=fargate-roles.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/preflight-image.js
/** The image platform each Fargate CPU architecture runs (RegisterTaskDefinition `runtimePlatform.cpuArchitecture`). */
const ARCHITECTURE_PLATFORM = {
    X86_64: "linux/amd64",
    ARM64: "linux/arm64",
};
/**
 * The image rule: the image is in its registry and published for the task's platform. A registry that
 * cannot be asked from here (no network to it, no credentials) is a note: Fargate may still reach it.
 */
function imageFinding(image, architecture, answer) {
    const wanted = ARCHITECTURE_PLATFORM[architecture];
    if (answer.kind === "unchecked")
        return { check: "image", status: "note", message: `could not check ${image} from here: ${answer.reason}; the start goes on` };
    if (answer.kind === "missing")
        return {
            check: "image",
            status: "refused",
            message: `${image} does not exist: ${answer.detail}`,
            fix: "build and push the image first (dask-fargate build, or the action's image step), or correct the image reference",
        };
    // linux/arm64 and linux/arm64/v8 are the same platform to Fargate.
    const matches = answer.platforms.some((p) => p === wanted || p.startsWith(`${wanted}/`));
    if (matches)
        return { check: "image", status: "ok", message: `${image} exists for ${wanted}` };
    const other = architecture === "X86_64" ? "ARM64" : "X86_64";
    const hasOther = answer.platforms.some((p) => p.startsWith(ARCHITECTURE_PLATFORM[other]));
    return {
        check: "image",
        status: "refused",
        message: `${image} is built for ${answer.platforms.join(", ") || "no platform"}, not for ${wanted} (architecture ${architecture})`,
        fix: `build the image with platform ${wanted}${hasOther ? `, or set architecture ${other}` : ""}`,
    };
}
//# sourceMappingURL=preflight-image.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/preflight-network.js

const DEAD_ENDPOINT = new Set(["deleted", "deleting", "failed", "rejected", "expired"]);
/** Reads the subnets, their route tables and the VPC's endpoints (Describe calls only). */
async function readNetwork(ec2, input) {
    // A filter, not SubnetIds: a missing id is then simply absent (SubnetIds would fail on the first one).
    const found = await ec2.send(new client_ec2_dist_cjs/* DescribeSubnetsCommand */.jSW({ Filters: [{ Name: "subnet-id", Values: [...input.requested] }] }));
    const subnets = (found.Subnets ?? []).filter((s) => s.SubnetId && s.VpcId);
    const vpcs = [...new Set(subnets.map((s) => s.VpcId ?? ""))];
    const tables = vpcs.length ? ((await ec2.send(new client_ec2_dist_cjs/* DescribeRouteTablesCommand */.VS8({ Filters: [{ Name: "vpc-id", Values: vpcs }] }))).RouteTables ?? []) : [];
    const endpoints = vpcs.length ? ((await ec2.send(new client_ec2_dist_cjs/* DescribeVpcEndpointsCommand */.KoP({ Filters: [{ Name: "vpc-id", Values: vpcs }] }))).VpcEndpoints ?? []) : [];
    return {
        ...input,
        subnets: subnets.map((s) => {
            const table = tables.find((t) => t.Associations?.some((a) => a.SubnetId === s.SubnetId)) ??
                tables.find((t) => t.VpcId === s.VpcId && t.Associations?.some((a) => a.Main));
            return { id: s.SubnetId ?? "", vpcId: s.VpcId ?? "", routeTableId: table?.RouteTableId, routes: table?.Routes ?? [] };
        }),
        endpoints: endpoints
            .filter((e) => !DEAD_ENDPOINT.has(String(e.State ?? "").toLowerCase()))
            .map((e) => ({
            serviceName: e.ServiceName ?? "",
            type: String(e.VpcEndpointType ?? ""),
            privateDns: e.PrivateDnsEnabled ?? false,
            routeTableIds: e.RouteTableIds ?? [],
        })),
    };
}
const isDefaultRoute = (r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.State !== "blackhole";
const natRoute = (routes) => routes.find((r) => isDefaultRoute(r) && (r.NatGatewayId || r.InstanceId));
const igwRoute = (routes) => routes.find((r) => isDefaultRoute(r) && r.GatewayId?.startsWith("igw-"));
/** A default route this check cannot follow (transit gateway, peering, an appliance's ENI, a virtual private gateway). */
const otherRoute = (routes) => routes.find((r) => isDefaultRoute(r) && !r.NatGatewayId && !r.InstanceId && !r.GatewayId?.startsWith("igw-"));
const targetOf = (r) => r.TransitGatewayId ?? r.NetworkInterfaceId ?? r.VpcPeeringConnectionId ?? r.CoreNetworkArn ?? r.GatewayId ?? r.LocalGatewayId ?? "another target";
/** The endpoint services a private subnet needs for tasks to start, as `com.amazonaws.REGION.NAME`. */
function requiredEndpoints(region, secretServices) {
    return ["ecr.api", "ecr.dkr", "s3", "logs", ...secretServices].map((s) => `com.amazonaws.${region}.${s}`);
}
/** Applies the rule to what {@link readNetwork} read. Pure. */
function networkFindings(facts) {
    const findings = [];
    const missing = facts.requested.filter((id) => !facts.subnets.some((s) => s.id === id));
    if (missing.length > 0)
        findings.push({
            check: "subnets",
            status: "refused",
            message: `subnet${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${facts.region}`,
            fix: "check the subnet ids and the region (aws ec2 describe-subnets)",
        });
    const vpcs = new Set(facts.subnets.map((s) => s.vpcId));
    if (vpcs.size > 1)
        findings.push({
            check: "subnets",
            status: "refused",
            message: `the subnets are in ${vpcs.size} VPCs (${[...vpcs].join(", ")})`,
            fix: "give subnets of one VPC: the cluster's security group and its members live in one VPC",
        });
    for (const subnet of facts.subnets)
        findings.push(subnetFinding(subnet, facts));
    if (findings.length === 0)
        findings.push({ check: "subnets", status: "ok", message: `${facts.requested.join(", ")} exist${facts.requested.length === 1 ? "s" : ""}` });
    return findings;
}
function subnetFinding(subnet, facts) {
    const table = subnet.routeTableId ?? "no route table";
    const nat = natRoute(subnet.routes);
    const igw = igwRoute(subnet.routes);
    if (facts.assignPublicIp) {
        if (igw)
            return { check: "network", status: "ok", message: `${subnet.id}: public IPs, and ${table} routes 0.0.0.0/0 to ${igw.GatewayId}` };
        if (nat)
            return { check: "network", status: "ok", message: `${subnet.id}: ${table} routes 0.0.0.0/0 through ${nat.NatGatewayId ?? nat.InstanceId}` };
    }
    else if (nat) {
        return { check: "network", status: "ok", message: `${subnet.id}: private, ${table} routes 0.0.0.0/0 through ${nat.NatGatewayId ?? nat.InstanceId}` };
    }
    const other = otherRoute(subnet.routes);
    if (other)
        return {
            check: "network",
            status: "note",
            message: `${subnet.id}: ${table} sends 0.0.0.0/0 to ${targetOf(other)}, which preflight cannot follow; tasks start only if the image registry and CloudWatch Logs are reachable that way`,
        };
    if (facts.assignPublicIp)
        return {
            check: "network",
            status: "refused",
            message: `${subnet.id}: assign-public-ip is true but ${table} has no 0.0.0.0/0 route to an internet gateway, so tasks cannot pull the image (CannotPullContainerError)`,
            fix: `add a 0.0.0.0/0 route to an internet gateway in ${table}, or use public subnets, or set assign-public-ip false with subnets that route through a NAT gateway`,
        };
    const natFix = `add a 0.0.0.0/0 route to a NAT gateway in ${table}`;
    const igwHint = igw ? ` (its route to ${igw.GatewayId} serves only addresses with a public IP)` : "";
    if (!facts.ecrImage)
        return {
            check: "network",
            status: "refused",
            message: `${subnet.id}: private (assign-public-ip false) and ${table} has no NAT route${igwHint}; the image is not in ECR, so VPC endpoints cannot replace the internet`,
            fix: `${natFix}, or set assign-public-ip true in a subnet that routes to an internet gateway`,
        };
    const absent = requiredEndpoints(facts.region, facts.secretServices).filter((service) => !endpointServes(service, subnet.routeTableId, facts));
    if (absent.length === 0)
        return { check: "network", status: "ok", message: `${subnet.id}: private, served by the VPC endpoints for ECR, S3 and CloudWatch Logs` };
    return {
        check: "network",
        status: "refused",
        message: `${subnet.id}: private (assign-public-ip false), ${table} has no NAT route${igwHint}, and the VPC lacks ${absent.join(", ")}, so tasks cannot pull the image or send logs (CannotPullContainerError)`,
        fix: `${natFix}, or create the missing VPC endpoints (interface endpoints with private DNS; S3 as a gateway endpoint on ${table}), or set assign-public-ip true in a public subnet`,
    };
}
function endpointServes(service, routeTableId, facts) {
    const candidates = facts.endpoints.filter((e) => e.serviceName === service);
    if (service.endsWith(".s3"))
        // ECR's layers come from S3 through the gateway endpoint, which works through the route table it is attached to.
        return candidates.some((e) => e.type.toLowerCase() === "gateway" && routeTableId !== undefined && e.routeTableIds.includes(routeTableId));
    // Without private DNS the tasks resolve the public names and the endpoint is never used.
    return candidates.some((e) => e.type.toLowerCase() === "interface" && e.privateDns);
}
//# sourceMappingURL=preflight-network.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/preflight-quota.js


/**
 * Fargate's vCPU quotas, per account and region, in Service Quotas under service code `fargate`
 * ("Amazon ECS endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/ecs-service.html;
 * "AWS Fargate usage metrics", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/monitoring-fargate-usage.html).
 * Every running task's vCPUs count against one of them, so an account's other tasks count too.
 */
const FARGATE_QUOTAS = {
    onDemand: { serviceCode: "fargate", quotaCode: "L-3032A538", name: "Fargate On-Demand vCPU resource count" },
    spot: { serviceCode: "fargate", quotaCode: "L-36FBB829", name: "Fargate Spot vCPU resource count" },
};
/** The cluster's vCPUs per quota (CPU units / 1024). Pure. */
function vcpuDemand(spec, fargate) {
    const scheduler = fargate.schedulerSize.cpu / 1024;
    const workers = (spec.workers * fargate.workerSize.cpu) / 1024;
    return { onDemand: scheduler + (fargate.spotWorkers ? 0 : workers), spot: fargate.spotWorkers ? workers : 0, jobTask: scheduler };
}
/** Reads a quota: the applied value, else the AWS default (GetServiceQuota answers NoSuchResource for never-changed quotas in some accounts). */
async function readQuota(client, quota) {
    try {
        const applied = await client.send(new client_service_quotas_dist_cjs/* GetServiceQuotaCommand */.HSc({ ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode }));
        if (typeof applied.Quota?.Value === "number")
            return { value: applied.Quota.Value };
    }
    catch (error) {
        if (awsErrorName(error) !== "NoSuchResourceException")
            return { unreadable: describe(error) };
    }
    try {
        const standard = await client.send(new client_service_quotas_dist_cjs/* GetAWSDefaultServiceQuotaCommand */.Lb5({ ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode }));
        if (typeof standard.Quota?.Value === "number")
            return { value: standard.Quota.Value };
        return { unreadable: "Service Quotas returned no value" };
    }
    catch (error) {
        return { unreadable: describe(error) };
    }
}
function describe(error) {
    const name = awsErrorName(error);
    return name === "AccessDeniedException" || name === "AccessDenied"
        ? "this identity may not read quotas (servicequotas:GetServiceQuota)"
        : `${name || "error"}: ${error instanceof Error ? error.message : String(error)}`;
}
/** The quota rule: each quota covers the cluster's vCPUs; an unreadable quota is a note. Pure. */
function quotaFindings(demand, onDemand, spot, region) {
    const findings = [];
    const check = (label, quota, need, value, extra) => {
        if ("unreadable" in value) {
            findings.push({
                check: "quota",
                status: "note",
                message: `could not read quotas: ${quota.name} (${quota.quotaCode}): ${value.unreadable}; the start goes on`,
            });
            return;
        }
        if (need > value.value) {
            findings.push({
                check: "quota",
                status: "refused",
                message: `the cluster needs ${need} ${label} vCPUs but the ${quota.name} quota (${quota.quotaCode}) in ${region} is ${value.value}`,
                fix: `use fewer or smaller workers${label === "on-demand" ? " (or spot-workers)" : ""}, or request a quota increase in the Service Quotas console (service fargate, quota ${quota.quotaCode})`,
            });
            return;
        }
        if (extra > 0 && need + extra > value.value) {
            findings.push({
                check: "quota",
                status: "note",
                message: `the cluster's ${need} ${label} vCPUs fit the ${quota.quotaCode} quota of ${value.value}, but a job task on the cluster (${extra} more) would not`,
            });
            return;
        }
        findings.push({
            check: "quota",
            status: "ok",
            message: `${need}${extra ? ` (+${extra} for a job task)` : ""} ${label} vCPUs within the ${quota.quotaCode} quota of ${value.value} (tasks already running in the account count too)`,
        });
    };
    check("on-demand", FARGATE_QUOTAS.onDemand, demand.onDemand, onDemand, demand.jobTask);
    if (demand.spot > 0 && spot)
        check("Spot", FARGATE_QUOTAS.spot, demand.spot, spot, 0);
    return findings;
}
//# sourceMappingURL=preflight-quota.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/preflight-security-groups.js


/** Reads the given groups and the subnets' CIDR blocks (Describe calls only). */
async function readSecurityGroups(ec2, region, requested, subnets) {
    // Filters, not ids: a missing one is then simply absent.
    const groups = await ec2.send(new client_ec2_dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({ Filters: [{ Name: "group-id", Values: [...requested] }] }));
    const found = subnets.length ? await ec2.send(new client_ec2_dist_cjs/* DescribeSubnetsCommand */.jSW({ Filters: [{ Name: "subnet-id", Values: [...subnets] }] })) : { Subnets: [] };
    return {
        region,
        requested,
        groups: (groups.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? "", ingress: g.IpPermissions ?? [] })),
        subnetCidrs: (found.Subnets ?? []).map((s) => s.CidrBlock ?? "").filter(Boolean),
    };
}
/** TCP port ranges a rule opens, or none for other protocols. */
function tcpRange(p) {
    const protocol = String(p.IpProtocol ?? "");
    if (protocol === "-1")
        return [0, 65535];
    if (protocol !== "tcp" && protocol !== "6")
        return undefined;
    return [p.FromPort ?? 0, p.ToPort ?? 65535];
}
function ipv4(address) {
    return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}
/** Whether CIDR `outer` holds every address of CIDR `inner`. */
function cidrHolds(outer, inner) {
    const [oBase = "", oBits = "32"] = outer.split("/");
    const [iBase = "", iBits = "32"] = inner.split("/");
    const o = Number(oBits);
    if (o > Number(iBits))
        return false;
    const size = 2 ** (32 - o);
    return Math.floor(ipv4(oBase) / size) === Math.floor(ipv4(iBase) / size);
}
/** Dask uses no port below this one: the scheduler's 8786, and workers' ports the kernel picks (ephemeral). */
const LOWEST_PORT = 1024;
/** The TCP ports 1024–65535 that no range covers, as "a-b" strings. */
function uncovered(ranges) {
    const gaps = [];
    let next = LOWEST_PORT;
    for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
        if (from > next)
            gaps.push(from - 1 > next ? `${next}-${from - 1}` : String(next));
        next = Math.max(next, to + 1);
    }
    if (next <= 65535)
        gaps.push(next === 65535 ? "65535" : `${next}-65535`);
    return gaps;
}
/** Applies the rule. Pure. */
function securityGroupFindings(facts) {
    const missing = facts.requested.filter((id) => !facts.groups.some((g) => g.id === id));
    if (missing.length > 0)
        return [
            {
                check: "security-groups",
                status: "refused",
                message: `security group${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${facts.region}`,
                fix: "check the security group ids and the region (aws ec2 describe-security-groups)",
            },
        ];
    const members = (p) => (p.UserIdGroupPairs ?? []).some((pair) => facts.requested.includes(pair.GroupId ?? "")) ||
        (facts.subnetCidrs.length > 0 && (p.IpRanges ?? []).some((r) => facts.subnetCidrs.every((s) => cidrHolds(r.CidrIp ?? "", s))));
    const ranges = facts.groups.flatMap((g) => g.ingress.filter(members).map(tcpRange)).filter((r) => r !== undefined);
    const gaps = uncovered(ranges);
    const names = facts.requested.join(", ");
    if (gaps.length === 0)
        return [{ check: "security-groups", status: "ok", message: `${names} admit the cluster's tasks from each other on TCP ports ${LOWEST_PORT}-65535` }];
    const first = facts.requested[0] ?? "";
    const rule = `all TCP (0-65535) from ${first} itself (the self rule)`;
    const which = facts.requested.length > 1 ? `security groups ${names}` : `security group ${names}`;
    const ports = gaps.join(", ");
    // A prefix list may hold the subnets: it is not read, so the start goes on with a warning.
    if (facts.groups.some((g) => g.ingress.some((p) => (p.PrefixListIds ?? []).length > 0)))
        return [
            {
                check: "security-groups",
                status: "note",
                message: `${which} admit the cluster's tasks from each other on TCP ports ${ports} only through prefix lists preflight does not read; without ${rule} the workers' connections time out`,
            },
        ];
    return [
        {
            check: "security-groups",
            status: "refused",
            message: `${which} ${facts.requested.length > 1 ? "lack" : "lacks"} the rule the cluster's tasks need to reach each other: ${rule} (not admitted now: TCP ${ports}; the workers and the job connect to the scheduler on ${dask_commands/* SCHEDULER_PORT */.Q9} and to the workers on ports chosen when they start)`,
            fix: `aws ec2 authorize-security-group-ingress --region ${facts.region} --group-id ${first} --protocol tcp --port 0-65535 --source-group ${first}, or leave security-groups unset so the cluster gets its own group`,
        },
    ];
}
//# sourceMappingURL=preflight-security-groups.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/preflight-tls-off-groups.js

/**
 * The rule for a user's own security groups when TLS is off: a Dask scheduler without TLS runs any client's code
 * with the task role's credentials, so, as for the managed group (which then admits only itself), no ingress
 * rule of the given groups may open the scheduler port to anything but the given groups themselves: no CIDR
 * (IPv4 or IPv6), no prefix list, no other group. A rule opens the port when its protocol is all (`-1`) or TCP
 * with the port inside its range ("Security group rules",
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html). With TLS on the groups are the
 * user's to shape: every member and client then needs the cluster's certificate.
 */
const opensScheduler = (rule) => rule.IpProtocol === "-1" ||
    ((rule.IpProtocol === "tcp" || rule.IpProtocol === "6") && (rule.FromPort ?? 0) <= dask_commands/* SCHEDULER_PORT */.Q9 && dask_commands/* SCHEDULER_PORT */.Q9 <= (rule.ToPort ?? 65535));
/** Every source outside the given groups that a rule admits to the scheduler port. Pure. */
function outsideSources(rule, own) {
    if (!opensScheduler(rule))
        return [];
    return [
        ...(rule.IpRanges ?? []).map((r) => r.CidrIp ?? ""),
        ...(rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ""),
        ...(rule.PrefixListIds ?? []).map((p) => p.PrefixListId ?? ""),
        ...(rule.UserIdGroupPairs ?? []).filter((p) => !own.has(p.GroupId ?? "")).map((p) => p.GroupId ?? "another group"),
    ].filter(Boolean);
}
/**
 * Applies the TLS-off rule to the groups {@link readSecurityGroups} read. Pure. Groups that do not exist are
 * refused by the self-rule check, which runs on the same facts.
 */
function tlsOffGroupFindings(facts) {
    const given = facts.requested.join(", ");
    if (facts.requested.some((id) => !facts.groups.some((g) => g.id === id)))
        return [];
    const own = new Set(facts.requested);
    const open = facts.groups.flatMap((g) => g.ingress.flatMap((rule) => outsideSources(rule, own).map((source) => `${g.id} admits ${source} on ${rule.IpProtocol === "-1" ? "all ports" : `${rule.FromPort}-${rule.ToPort}`}`)));
    if (open.length === 0)
        return [{ check: "security-groups", status: "ok", message: `TLS is off and ${given} admit the scheduler port only from themselves` }];
    return [
        {
            check: "security-groups",
            status: "refused",
            message: `TLS is off while the given security groups open the scheduler port ${dask_commands/* SCHEDULER_PORT */.Q9} beyond themselves (${open.join("; ")}): any client there could run code with the cluster's task role`,
            fix: `turn TLS on (the default), or remove those ingress rules so that ${given} admit port ${dask_commands/* SCHEDULER_PORT */.Q9} only from themselves, or leave security-groups unset (the managed group admits only itself)`,
        },
    ];
}
//# sourceMappingURL=preflight-tls-off-groups.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/registry-manifest.js


const MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
/** True for an ECR registry host such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
function isEcrRegistry(host) {
    return ECR_HOST.test(host);
}
/** Splits `[host[:port]/]path[:tag][@digest]` as Docker does (docker.io and `library/` when no host is named). */
function parseImageName(image) {
    let rest = image;
    let reference = "latest";
    const at = rest.indexOf("@");
    if (at >= 0) {
        reference = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    const slash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > slash) {
        if (at < 0)
            reference = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    const parts = rest.split("/");
    const first = parts[0] ?? "";
    let registry = "docker.io";
    if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
        registry = first;
        parts.shift();
    }
    if (registry === "docker.io" && parts.length === 1)
        parts.unshift("library");
    return { registry, repository: parts.join("/"), reference };
}
/**
 * The platforms (`linux/amd64`, `linux/arm64/v8`) an image is published for: the entries of a manifest list
 * or OCI index (attestation entries, `unknown/unknown`, left out), or the os and architecture of a single
 * manifest's config. Never throws: what cannot be read is `unchecked` with the reason.
 */
async function readImagePlatforms(image, options = {}) {
    const name = parseImageName(image);
    try {
        const session = new RegistrySession(name, options);
        const top = await session.get(`/v2/${name.repository}/manifests/${name.reference}`, MANIFEST_TYPES);
        if (top.status === 404)
            return { kind: "missing", detail: `${name.repository}:${name.reference} is not in ${name.registry} (HTTP 404)` };
        if (!top.ok)
            return unchecked(top, name);
        const manifest = (await top.json());
        if (manifest.manifests) {
            const platforms = manifest.manifests
                .map((m) => m.platform)
                .filter((p) => p?.os && p.architecture && p.os !== "unknown")
                .map((p) => [p?.os, p?.architecture, p?.variant].filter(Boolean).join("/"));
            return { kind: "found", platforms: [...new Set(platforms)] };
        }
        if (!manifest.config)
            return { kind: "unchecked", reason: `the manifest of ${image} names no config` };
        const config = await session.get(`/v2/${name.repository}/blobs/${manifest.config.digest}`, "*/*");
        if (!config.ok)
            return unchecked(config, name);
        const body = (await config.json());
        return { kind: "found", platforms: [[body.os ?? "?", body.architecture ?? "?", body.variant].filter(Boolean).join("/")] };
    }
    catch (error) {
        return { kind: "unchecked", reason: reasonOf(error) };
    }
}
function unchecked(response, name) {
    const why = response.status === 401 || response.status === 403
        ? `${name.registry} refused to show ${name.repository} without credentials (HTTP ${response.status})`
        : `${name.registry} answered HTTP ${response.status}`;
    return { kind: "unchecked", reason: why };
}
function reasonOf(error) {
    const cause = error?.cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    return cause ? `${message} (${cause})` : message;
}
/** One registry conversation: the auth header learned from the first challenge is reused for the next requests. */
class RegistrySession {
    name;
    options;
    authorization;
    constructor(name, options) {
        this.name = name;
        this.options = options;
    }
    url(path) {
        const host = this.name.registry === "docker.io" ? "registry-1.docker.io" : this.name.registry;
        // As the Docker Engine does: plain http only for loopback registries.
        const plain = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(this.name.registry);
        return `${plain ? "http" : "https"}://${host}${path}`;
    }
    async send(url, accept) {
        const doFetch = this.options.fetch ?? fetch;
        const headers = { Accept: accept, ...(this.authorization ? { Authorization: this.authorization } : {}) };
        try {
            return await doFetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
        }
        catch (error) {
            throw new Error(`cannot reach ${new URL(url).host}: ${reasonOf(error)}`, { cause: error });
        }
    }
    async get(path, accept) {
        const url = this.url(path);
        // ECR never answers anonymously: log in first rather than after its 401.
        if (!this.authorization && isEcrRegistry(this.name.registry))
            this.authorization = await this.basic();
        const first = await this.send(url, accept);
        if (first.status !== 401 || this.authorization)
            return first;
        await first.body?.cancel();
        this.authorization = await this.authorize(first.headers.get("www-authenticate") ?? "");
        return this.send(url, accept);
    }
    async basic() {
        const login = isEcrRegistry(this.name.registry) ? await this.ecrLogin() : this.options.login;
        return login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` : undefined;
    }
    async ecrLogin() {
        if (!this.options.ecr)
            return undefined;
        try {
            const answer = await this.options.ecr.send(new client_ecr_dist_cjs.GetAuthorizationTokenCommand({}));
            const token = answer.authorizationData?.[0]?.authorizationToken;
            if (!token)
                return undefined;
            const decoded = Buffer.from(token, "base64").toString("utf8");
            const colon = decoded.indexOf(":");
            return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
        }
        catch (error) {
            throw new Error(`ECR GetAuthorizationToken failed (${awsErrorName(error)})`, { cause: error });
        }
    }
    async authorize(challenge) {
        const basic = await this.basic();
        if (/^basic/i.test(challenge)) {
            if (!basic)
                throw new Error(`${this.name.registry} asks for a login to read ${this.name.repository}`);
            return basic;
        }
        if (!/^bearer/i.test(challenge))
            throw new Error(`unsupported authentication challenge "${challenge.split(" ")[0]}"`);
        const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        if (!params["realm"])
            throw new Error("the bearer challenge names no token realm");
        const tokenUrl = new URL(params["realm"]);
        if (params["service"])
            tokenUrl.searchParams.set("service", params["service"]);
        tokenUrl.searchParams.set("scope", params["scope"] ?? `repository:${this.name.repository}:pull`);
        const doFetch = this.options.fetch ?? fetch;
        const answer = await doFetch(tokenUrl.toString(), {
            headers: basic ? { Authorization: basic } : {},
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        if (!answer.ok)
            throw new Error(`the token service of ${this.name.registry} answered HTTP ${answer.status}`);
        const body = (await answer.json());
        const token = body.token ?? body.access_token;
        if (!token)
            throw new Error(`the token service of ${this.name.registry} returned no token`);
        return `Bearer ${token}`;
    }
}
//# sourceMappingURL=registry-manifest.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/preflight/fargate-preflight.js








/**
 * Checks, with read-only calls and before anything is created, what would otherwise fail only after tasks
 * were started and billed: the image exists for the task's architecture, the subnets exist and can reach the
 * registry and CloudWatch Logs, a user's own security groups let the tasks reach each other (and, with TLS off,
 * open the scheduler to nothing beyond themselves), and the Fargate vCPU quotas cover the cluster. The checks run concurrently;
 * what cannot be checked from here is a note.
 */
async function preflightFargate(spec, fargate, options) {
    const { ec2, ecr, quotas } = options.clients;
    // Given subnets are checked by the network rule (all missing ones at once); otherwise the default VPC's.
    const network = fargate.subnets && fargate.subnets.length > 0 ? { subnets: [...fargate.subnets], defaultVpc: false } : await resolveSubnets(ec2, fargate);
    const assignPublicIp = fargate.assignPublicIp ?? network.defaultVpc;
    const secretArns = Object.values(fargate.secrets);
    const secretServices = [
        ...(spec.tls || secretArns.some((a) => a.includes(":secretsmanager:")) ? ["secretsmanager"] : []),
        ...(secretArns.some((a) => a.includes(":ssm:")) ? ["ssm"] : []),
    ];
    const demand = vcpuDemand(spec, fargate);
    const ownGroups = fargate.securityGroups ?? [];
    const [image, net, onDemand, spot, groups] = await Promise.all([
        readImagePlatforms(spec.image, {
            ...(ecr ? { ecr } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.registryLogin ? { login: options.registryLogin } : {}),
        }),
        readNetwork(ec2, {
            region: fargate.region,
            requested: network.subnets,
            assignPublicIp,
            ecrImage: isEcrRegistry(parseImageName(spec.image).registry),
            secretServices,
        }),
        quotas ? readQuota(quotas, FARGATE_QUOTAS.onDemand) : { unreadable: "no Service Quotas client was given" },
        demand.spot > 0 && quotas ? readQuota(quotas, FARGATE_QUOTAS.spot) : undefined,
        // A user's own groups: the cluster's own group is made with the self rule.
        ownGroups.length > 0 ? readSecurityGroups(ec2, fargate.region, ownGroups, network.subnets) : undefined,
    ]);
    const findings = [
        imageFinding(spec.image, fargate.architecture, image),
        ...networkFindings(net),
        ...(groups ? securityGroupFindings(groups) : []),
        ...(groups && !spec.tls ? tlsOffGroupFindings(groups) : []),
        ...quotaFindings(demand, onDemand, spot, fargate.region),
    ];
    // Refusals are thrown (assertPreflight); notes are worth a warning; the rest is detail.
    for (const f of findings)
        if (f.status !== "refused")
            options.logger?.[f.status === "note" ? "warn" : "debug"](`preflight ${f.check}: ${f.message}`);
    return {
        findings,
        refused: findings.filter((f) => f.status === "refused"),
        subnets: network.subnets,
        assignPublicIp,
        vpcId: net.subnets[0]?.vpcId ?? "",
    };
}
/** Throws a {@link PreflightError} listing every refusal of the report. */
function assertPreflight(report) {
    if (report.refused.length > 0)
        throw new errors/* PreflightError */.wG(report.refused);
}
//# sourceMappingURL=fargate-preflight.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-up.js



























/**
 * Starts a cluster on ECS Fargate. Preflight (image, network, quotas; read-only) and the roles (reused) first;
 * then at once the ECS cluster, the log group, the security group, and the TLS secret followed by the three
 * task definitions (registered once per cluster); then the scheduler task. As soon as its ENI has a private IP
 * (seconds after RunTask, long before it runs) the workers are launched in RunTask batches of ≤ 10 paced at
 * Fargate's launch limit, each carrying the scheduler's address in its command override: no worker can start
 * before the address exists, whenever ECS reads its secrets. Then one poll loop waits for every task. On failure
 * or abort every created resource is removed and the cause is thrown.
 */
async function upFargateCluster(spec, fargate, options) {
    const { ecs, ec2, logs, secrets } = options.clients;
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const signal = options.signal;
    const start = (0,cluster_start/* clusterStart */.L)(spec, logger, options);
    const { clock, createdAt, expiresAt, checkAbort, tlsDir } = start;
    const progress = (message) => {
        logger.info(message);
        options.onProgress?.({ phase: "starting", message });
    };
    let resources = {
        spec: fargate,
        ecsCluster: fargate.ecsCluster ?? spec.clusterId,
        createdEcsCluster: false,
        createdSecurityGroupId: undefined,
        securityGroups: fargate.securityGroups ?? [],
        subnets: fargate.subnets ?? [],
        assignPublicIp: fargate.assignPublicIp ?? false,
        logGroup: undefined,
        tlsSecretArn: undefined,
        taskDefinitionArns: [],
        executionRoleArn: fargate.executionRoleArn ?? "",
        taskRoleArn: fargate.taskRoleArn ?? "",
        schedulerTaskArn: undefined,
        workerTaskArns: [],
    };
    let creating = false;
    // Saved state is a record of what exists: nothing is reported before the first resource of the cluster is made.
    const update = (change) => {
        resources = { ...resources, ...change };
        if (creating)
            options.onResources?.(resources);
    };
    try {
        if (fargate.outputUri && !spec.tls)
            throw new errors/* ClusterConfigError */.N5("output-uri", "needs TLS (the default): a job signs its outputs' manifest with a key that reaches it only through the cluster's TLS secret; turn tls back on or drop output-uri");
        // Read-only checks first: a refusal leaves nothing behind, not even the shared roles.
        const report = await preflightFargate(spec, fargate, { clients: options.clients, logger, ...options.preflight });
        options.onPreflight?.(report);
        assertPreflight(report);
        checkAbort();
        const roles = await ensureRoles(options.clients, fargate, logger);
        update({ executionRoleArn: roles.executionRoleArn, taskRoleArn: roles.taskRoleArn });
        // The managed task role's static outputs policy (setup-roles --output-uri) is read, never written: a user's own task role is theirs.
        if (fargate.outputUri && !fargate.taskRoleArn)
            await checkOutputAccess(options.clients.iam, fargate.outputUri, spec.clusterId, roles.taskRoleArn.split(":")[1] || "aws");
        // Preflight found the subnets (given, or the default VPC's), checked they exist in one VPC, and chose public IPs.
        const network = { subnets: [...report.subnets], vpcId: report.vpcId };
        update({ subnets: network.subnets, assignPublicIp: report.assignPublicIp });
        const readiness = options.readiness ?? cluster/* DEFAULT_READINESS */.j.fargate;
        if (readiness === "registered")
            checkRegisteredReadiness(fargate, report.assignPublicIp);
        checkAbort();
        // Roles are shared and kept, lookups create nothing: only from here on is there anything to remove.
        creating = true;
        const tls = spec.tls ? await (0,internal_tls/* createClusterTls */.MC)(spec.clusterId, spec.maxLifetime, start.startedAt) : undefined;
        const clientTlsFiles = tls ? await (0,internal_tls/* writeTlsFiles */.MR)((0,external_node_path_.join)(tlsDir, "tls", "client"), tls.client) : undefined;
        // This attempt's outputs: a fresh prefix and a signing key that only this cluster's secret and this machine hold.
        const outputSigning = fargate.outputUri ? await newOutputSigning(fargate.outputUri, spec.clusterId, tlsDir) : undefined;
        if (outputSigning)
            update({ outputs: outputSigning.outputs });
        const secretFields = { ...(outputSigning ? { [fargate_plan/* OUTPUT_KEY_FIELD */.D8]: outputSigning.keyHex } : {}) };
        // The plan is made once, here, where only what up creates is still unknown: its markers get the real values as they appear.
        const plan = (0,fargate_plan/* planFargateCluster */.Kp)(spec, fargate, {
            ecsCluster: fargate.ecsCluster ?? fargate_names/* fargateNames */.P.ecsCluster(spec.clusterId),
            executionRoleArn: roles.executionRoleArn,
            taskRoleArn: roles.taskRoleArn,
            subnets: network.subnets,
            securityGroups: fargate.securityGroups ?? [fargate_plan/* PLAN_REFS */.rJ.securityGroupId],
            assignPublicIp: report.assignPublicIp,
            tlsSecretArn: spec.tls ? fargate_plan/* PLAN_REFS */.rJ.tlsSecretArn : undefined,
            createdAt,
            expiresAt,
            vpcId: network.vpcId,
            ...(outputSigning ? { outputToken: outputSigning.outputs.token } : {}),
        });
        options.onPlan?.(plan);
        const refs = {};
        // Independent creations run at once: everything before the first RunTask adds to time to ready.
        await settleAll([
            async () => {
                if (!plan.createCluster)
                    return;
                const created = await ecs.send(new client_ecs_dist_cjs/* CreateClusterCommand */.oK8(plan.createCluster));
                update({ ecsCluster: created.cluster?.clusterArn ?? spec.clusterId, createdEcsCluster: true });
                logger.debug(`created ECS cluster ${spec.clusterId}`);
            },
            async () => {
                await logs.send(new dist_cjs/* CreateLogGroupCommand */.BOU({ logGroupName: plan.logGroup.name, tags: plan.logGroup.tags })).catch((error) => {
                    if (awsErrorName(error) !== "ResourceAlreadyExistsException")
                        throw error;
                });
                update({ logGroup: plan.logGroup.name });
                await logs.send(new dist_cjs/* PutRetentionPolicyCommand */.h5R({ logGroupName: plan.logGroup.name, retentionInDays: plan.logGroup.retentionInDays }));
            },
            async () => {
                if (!plan.securityGroup)
                    return;
                refs.securityGroupId = await createSecurityGroup(ec2, plan.securityGroup, logger, (groupId) => update({ createdSecurityGroupId: groupId, securityGroups: [groupId] }));
                logger.debug(`created security group ${refs.securityGroupId}`);
            },
            async (stepSignal) => {
                // The task definitions name the TLS secret: it comes first on this branch, then all three at once.
                if (tls && plan.tlsSecret) {
                    const secret = await secrets.send(new client_secrets_manager_dist_cjs/* CreateSecretCommand */._f({
                        Name: plan.tlsSecret.name,
                        Description: plan.tlsSecret.description,
                        SecretString: JSON.stringify({ ca: tls.member.ca, cert: tls.member.cert, key: tls.member.key, ...secretFields }),
                        Tags: plan.tlsSecret.tags,
                    }));
                    if (!secret.ARN)
                        throw new errors/* CoreError */.am("CreateSecret returned no ARN");
                    refs.tlsSecretArn = secret.ARN;
                    update({ tlsSecretArn: secret.ARN });
                }
                checkAbort();
                // One after another, as the plan lists them (RegisterTaskDefinition refills at 1 per second: facts.md).
                const arns = [];
                for (const role of ["scheduler", "worker", "job"]) {
                    const registered = await retryWhile("RegisterTaskDefinition", () => ecs.send(new client_ecs_dist_cjs/* RegisterTaskDefinitionCommand */.$Hl((0,fargate_plan/* bindPlan */.Dd)(plan.taskDefinitions[role], refs))), isIamPropagationError, { limitSeconds: 120, logger, signal: stepSignal, clock });
                    arns.push(registered.taskDefinition?.taskDefinitionArn ?? "");
                    update({ taskDefinitionArns: [...arns] });
                }
            },
        ], signal);
        checkAbort();
        // One launch bucket for the scheduler and every worker: Fargate counts them together.
        const pacer = launchPacer(FARGATE_LAUNCH_LIMIT, clock);
        const [scheduler] = await runTasks(ecs, [(0,fargate_plan/* bindPlan */.Dd)(plan.schedulerRun, refs)], { logger, signal, clock, pacer });
        update({ schedulerTaskArn: scheduler?.taskArn });
        const scheme = spec.tls ? "tls" : "tcp";
        const fallback = workerFallback(plan.workerFallback === "on-demand");
        const launchWorkers = async (stepSignal) => {
            const workerInputs = (0,fargate_plan/* bindPlan */.Dd)(plan.workerRuns, refs);
            progress(`launching ${spec.workers} workers in ${workerInputs.length} RunTask call(s)${fargate.spotWorkers ? " on Fargate Spot" : ""}`);
            const workers = await runTasks(ecs, workerInputs, { logger, signal: stepSignal, clock, pacer, ...fallback });
            update({ workerTaskArns: workers.map((t) => t.taskArn ?? "") });
        };
        // The address only: the TLS files stay in the cluster's secret, read by ECS from the task definitions.
        const schedulerTask = await waitForSchedulerIp(options.clients, resources, { ...options, signal, clock, progress });
        refs.schedulerAddress = `${scheme}://${privateIp(schedulerTask) ?? ""}:${dask_commands/* SCHEDULER_PORT */.Q9}`;
        progress(`scheduler at ${refs.schedulerAddress}`);
        await launchWorkers(signal);
        const schedulerAddress = refs.schedulerAddress;
        await waitForTasks(options.clients, resources, spec.workers, { ...options, clock, progress });
        const eni = networkInterfaceId(schedulerTask);
        const reachableFromOutside = Boolean(fargate.clientCidr || fargate.allowPublicIngress);
        const publicAddress = resources.assignPublicIp && reachableFromOutside && eni ? await publicIp(ec2, eni) : undefined;
        // A client outside the VPC reaches the scheduler only on its public IP and only when ingress was opened for it.
        const clientHost = publicAddress;
        const handle = {
            backend: "fargate",
            clusterId: spec.clusterId,
            spec,
            schedulerAddress,
            clientSchedulerAddress: clientHost ? `${scheme}://${clientHost}:${dask_commands/* SCHEDULER_PORT */.Q9}` : undefined,
            dashboardUrl: clientHost && fargate.openDashboard ? `http://${clientHost}:${dask_commands/* DASHBOARD_PORT */.r2}` : undefined,
            clientTlsFiles,
            memberTlsFiles: undefined,
            tlsDir,
            createdAt,
            expiresAt,
            fargate: resources,
        };
        if (readiness === "registered") {
            const url = handle.dashboardUrl;
            if (!url)
                throw new errors/* CoreError */.am("readiness registered: the scheduler's task has no public IP address to read its dashboard from");
            await (0,wait/* pollUntil */.g)({
                waitingFor: `${spec.workers} workers to register at the scheduler`,
                timeoutSeconds: options.readyTimeoutSeconds ?? 600,
                signal,
                clock,
                onProgress: progress,
                check: async () => {
                    const n = await (0,scheduler_http/* countWorkers */.R)(url);
                    return n !== undefined && n >= spec.workers
                        ? { done: true, value: undefined }
                        : { done: false, seen: `${n ?? 0}/${spec.workers} workers registered` };
                },
            });
        }
        return handle;
    }
    catch (error) {
        const failure = await start.failed(error, creating ? () => downFargateCluster({ clusterId: spec.clusterId, resources }, { clients: options.clients, logger, clock, tlsDir }) : undefined, `dask-fargate down --cluster-id ${spec.clusterId} or the reaper`);
        if (awsErrorName(error) === "CredentialsProviderError") {
            throw new errors/* CoreError */.am("no AWS credentials were found: use aws-actions/configure-aws-credentials in a workflow, or AWS_PROFILE / AWS_ACCESS_KEY_ID on a laptop", { cause: error });
        }
        throw failure;
    }
}
/**
 * A random attempt token (the outputs' prefix `<prefix>/<cluster-id>/<token>/`) and a 32-byte signing key, written
 * hex to a 0600 file in the cluster's local directory (removed by teardown, like the client TLS key).
 */
async function newOutputSigning(outputUri, clusterId, tlsDir) {
    const location = (0,job_outputs/* parseOutputUri */.V6)(outputUri);
    const token = (0,external_node_crypto_.randomBytes)(12).toString("hex");
    const keyHex = (0,external_node_crypto_.randomBytes)(32).toString("hex");
    const dir = (0,external_node_path_.join)(tlsDir, "outputs");
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    await (0,promises_.chmod)(dir, 0o700);
    const keyFile = (0,external_node_path_.join)(dir, "signing-key");
    await (0,promises_.writeFile)(keyFile, keyHex, { mode: 0o600 });
    return { keyHex, outputs: { bucket: location.bucket, runPrefix: (0,job_outputs/* outputRunPrefix */.Pr)(location, clusterId, token), token, keyFile } };
}
/**
 * `registered` readiness reads the worker count from the scheduler's dashboard, so the dashboard must be reachable
 * from here: refused before anything is created otherwise, saying which settings open it.
 */
function checkRegisteredReadiness(fargate, assignPublicIp) {
    const missing = [
        ...(fargate.clientCidr || fargate.allowPublicIngress ? [] : ["client-cidr (this machine's address)"]),
        ...(fargate.openDashboard ? [] : ["open-dashboard"]),
        ...(assignPublicIp ? [] : ["public IPs (assign-public-ip, or subnets with a route to an internet gateway)"]),
    ];
    if (missing.length > 0)
        throw new errors/* ClusterConfigError */.N5("readiness", `registered readiness reads the workers from the scheduler's dashboard, which is not reachable from here without ${missing.join(", ")}; set them or use readiness running (a job in the cluster waits for its workers itself)`);
}
/**
 * Runs independent steps at once and waits for all of them, failed or not, before throwing the first failure:
 * a teardown must not start while another step is still creating something it would then miss. A failure
 * aborts the other steps' signal, so a step waiting on something that will not come stops at once.
 */
async function settleAll(steps, parent) {
    const sibling = new AbortController();
    const signal = parent ? AbortSignal.any([parent, sibling.signal]) : sibling.signal;
    let first;
    await Promise.allSettled(steps.map((step) => step(signal).catch((error) => {
        first ??= { error };
        sibling.abort();
    })));
    if (first)
        throw first.error;
}
//# sourceMappingURL=fargate-up.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-backend.js









/** The Fargate backend's verbs that call AWS; `createBackend` loads this module (and the AWS SDK) on the first of them. */
function fargateEngineVerbs(input, injected) {
    let clients = injected;
    const aws = () => {
        clients ??= createAwsClients({ region: input.region });
        return clients;
    };
    return {
        preflight: async (spec, options) => preflightFargate(spec, (0,fargate_spec/* resolveFargateSpec */.q8)(input, spec), { clients: aws(), logger: options.logger }),
        up: async (spec, options) => upFargateCluster(spec, (0,fargate_spec/* resolveFargateSpec */.q8)(input, spec), {
            clients: aws(),
            logger: options.logger,
            tlsDir: options.tlsDir,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.readiness ? { readiness: options.readiness } : {}),
            onResources: (fargate) => options.onPartial?.({ backend: "fargate", fargate }),
            ...(options.onPreflight ? { onPreflight: options.onPreflight } : {}),
        }),
        runJob: (handle, job, options) => runFargateJob(handle, job, { clients: aws(), logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) }),
        // A job on the runner meets a stopped worker as a Dask error; the tasks' stop reasons are in `logs` and teardown.
        watchMembers: async () => ({ stopped: [], stop: () => { } }),
        scale: (handle, workers, options) => scaleFargateCluster(handle, workers, { clients: aws(), logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) }),
        down: (target, options) => downFargateCluster({
            clusterId: target.clusterId,
            resources: target.handle?.fargate ?? (target.partial?.backend === "fargate" ? target.partial.fargate : undefined),
        }, { clients: aws(), logger: options.logger, tlsDir: target.tlsDir, repository: target.repository }),
        reap: (options) => reapFargateClusters({
            clients: aws(),
            logger: options.logger,
            dryRun: options.dryRun,
            repository: options.repository,
            ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
        }),
        logs: (clusterId, options) => fargateClusterLogs(aws(), clusterId, options),
    };
}
//# sourceMappingURL=fargate-backend.js.map

/***/ }),

/***/ 82927:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ backoffDelay)
/* harmony export */ });
/**
 * The one delay rule of every retry and poll in this package: exponential backoff, capped, with optional
 * jitter. A small module rather than p-retry or exponential-backoff: those sleep with their own timers and
 * draw their own random numbers, while every wait here sleeps through the injected {@link Clock} (so tests
 * run in milliseconds) and draws jitter from an injectable source (so tests see fixed delays).
 */
/** The delay before retry number `attempt` (0 for the first retry): `firstMs × 2^attempt`, capped at `maxMs`, then jittered. */
function backoffDelay(attempt, backoff) {
    const nominal = Math.min(backoff.firstMs * 2 ** attempt, backoff.maxMs);
    if (backoff.jitter === "none")
        return nominal;
    return Math.round(nominal * (0.5 + (backoff.random ?? Math.random)()));
}
//# sourceMappingURL=backoff.js.map

/***/ }),

/***/ 12460:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ clusterStart)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(88246);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(62626);




function clusterStart(spec, logger, options) {
    const clock = options.clock ?? _wait_js__WEBPACK_IMPORTED_MODULE_3__/* .systemClock */ .m;
    const startedAt = new Date(clock.now());
    const cancelled = (cause) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc(`start of cluster ${spec.clusterId} was cancelled`, cause === undefined ? undefined : { cause });
    return {
        clock,
        startedAt,
        createdAt: startedAt.toISOString(),
        expiresAt: new Date(startedAt.getTime() + spec.maxLifetime * 1000).toISOString(),
        tlsDir: options.tlsDir ?? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_0__.tmpdir)(), "dask-fargate", spec.clusterId),
        checkAbort: () => {
            if (options.signal?.aborted)
                throw cancelled();
        },
        failed: async (error, cleanup, finishHint) => {
            if (cleanup === undefined)
                return options.signal?.aborted && !(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc) ? cancelled(error) : error;
            logger.warn(`start of cluster ${spec.clusterId} failed (${String(error?.message ?? error).split("\n")[0]}); removing what was created`);
            await cleanup().catch((cleanupError) => logger.warn(`the cleanup of ${spec.clusterId} failed too (${cleanupError.message}); finish it with ${finishHint}`));
            return options.signal?.aborted && !(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc) ? cancelled(error) : error;
        },
    };
}
//# sourceMappingURL=cluster-start.js.map

/***/ }),

/***/ 76530:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MC: () => (/* binding */ createClusterTls),
/* harmony export */   MR: () => (/* binding */ writeTlsFiles),
/* harmony export */   Nq: () => (/* binding */ readTlsFiles)
/* harmony export */ });
/* harmony import */ var reflect_metadata__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(89521);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(26691);
/* harmony import */ var _dask_commands_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(53145);
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first (its README).






const { subtle } = node_crypto__WEBPACK_IMPORTED_MODULE_1__.webcrypto;
const EC_P256 = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING = { name: "ECDSA", hash: "SHA-256" };
/**
 * Makes a CA for one cluster and signs a member and a client certificate with it (ECDSA P-256, SHA-256).
 * The CA's private key is never extractable and is dropped when this returns, so no further certificate
 * can ever be signed: only this cluster's members and this controller's clients can talk to each other.
 * Dask checks the chain both ways (mutual TLS) and not host names, so the certificates name no addresses.
 *
 * P-256 rather than RSA 2048: its key pairs take well under a millisecond where three RSA key pairs took
 * a third of a second of CPU, on the path of every start; OpenSSL has accepted it in TLS since 1.0.
 * The certificates carry key identifiers, so verifiers in strict mode (`X509_V_FLAG_X509_STRICT`, which
 * Python 3.13's `ssl.create_default_context` turns on) accept the chain. The certificates are built and
 * signed by `@peculiar/x509` with Node's WebCrypto: about 15 ms a cluster (the first call in a process about 50 ms more).
 */
async function createClusterTls(clusterId, lifetimeSeconds, now = new Date()) {
    const notAfter = new Date(now.getTime() + (lifetimeSeconds + 3600) * 1000);
    const notBefore = new Date(now.getTime() - 300_000); // tolerate clocks a few minutes behind
    const [caKeys, memberKeys, clientKeys] = await Promise.all([
        subtle.generateKey(EC_P256, false, ["sign", "verify"]),
        subtle.generateKey(EC_P256, true, ["sign", "verify"]),
        subtle.generateKey(EC_P256, true, ["sign", "verify"]),
    ]);
    const caName = commonName(`dask-fargate-action ${clusterId} CA`);
    const caKeyId = keyIdentifier(caKeys.publicKey);
    const signedByCa = { notBefore, notAfter, signingAlgorithm: SIGNING, signingKey: caKeys.privateKey, issuer: caName };
    const ca = await _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .X509CertificateGenerator */ .Jy.create({
        ...signedByCa,
        serialNumber: serialNumber(),
        subject: caName,
        publicKey: caKeys.publicKey,
        extensions: [
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .BasicConstraintsExtension */ .WA(true, 0, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .KeyUsagesExtension */ .hy(_peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .KeyUsageFlags */ .Ob.keyCertSign | _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .KeyUsageFlags */ .Ob.cRLSign, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .SubjectKeyIdentifierExtension */ .QE(caKeyId, false),
        ],
    });
    const caPem = pem(ca.toString("pem"));
    const identity = async (role, keys) => {
        const extensions = [
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .BasicConstraintsExtension */ .WA(false, undefined, false),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .KeyUsagesExtension */ .hy(_peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .KeyUsageFlags */ .Ob.digitalSignature, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .ExtendedKeyUsageExtension */ .j6([_peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .ExtendedKeyUsage */ .CD.serverAuth, _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .ExtendedKeyUsage */ .CD.clientAuth], false),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .SubjectKeyIdentifierExtension */ .QE(keyIdentifier(keys.publicKey), false),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .AuthorityKeyIdentifierExtension */ .Z$(caKeyId, false),
        ];
        const cert = await _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .X509CertificateGenerator */ .Jy.create({
            ...signedByCa,
            serialNumber: serialNumber(),
            subject: commonName(`dask-fargate-action ${clusterId} ${role}`),
            publicKey: keys.publicKey,
            extensions,
        });
        const key = node_crypto__WEBPACK_IMPORTED_MODULE_1__.KeyObject.from(keys.privateKey).export({ type: "pkcs8", format: "pem" });
        return { ca: caPem, cert: pem(cert.toString("pem")), key: String(key) };
    };
    const [member, client] = await Promise.all([identity("member", memberKeys), identity("client", clientKeys)]);
    return { member, client };
}
/** Reads an identity back from files written by {@link writeTlsFiles}. */
async function readTlsFiles(files) {
    const [ca, cert, key] = await Promise.all([(0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(files.ca, "utf8"), (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(files.cert, "utf8"), (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(files.key, "utf8")]);
    return { ca, cert, key };
}
/** Writes an identity to `dir` under the same file names as in every container (TLS_FILES), mode 0600 (directory 0700), and returns the paths. */
async function writeTlsFiles(dir, identity) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dir, { recursive: true, mode: 0o700 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.chmod)(dir, 0o700);
    const paths = { ca: (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, _dask_commands_js__WEBPACK_IMPORTED_MODULE_5__/* .TLS_FILES */ .qJ.ca), cert: (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, _dask_commands_js__WEBPACK_IMPORTED_MODULE_5__/* .TLS_FILES */ .qJ.cert), key: (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, _dask_commands_js__WEBPACK_IMPORTED_MODULE_5__/* .TLS_FILES */ .qJ.key) };
    await Promise.all([
        (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(paths.ca, identity.ca, { mode: 0o600 }),
        (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(paths.cert, identity.cert, { mode: 0o600 }),
        (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(paths.key, identity.key, { mode: 0o600 }),
    ]);
    return paths;
}
/** A positive 16-byte serial number, random (RFC 5280 §4.1.2.2 allows up to 20 octets). */
function serialNumber() {
    return `01${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomBytes)(15).toString("hex")}`;
}
/** A key identifier, as hex: SHA-256 of the DER SubjectPublicKeyInfo (RFC 7093 §2, method 4). */
function keyIdentifier(publicKey) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)("sha256")
        .update(node_crypto__WEBPACK_IMPORTED_MODULE_1__.KeyObject.from(publicKey).export({ type: "spki", format: "der" }))
        .digest("hex");
}
/** A name of one common name, a UTF8String (RFC 5280 §4.1.2.6). */
function commonName(value) {
    return new _peculiar_x509__WEBPACK_IMPORTED_MODULE_4__/* .Name */ .SX([{ CN: [{ utf8String: value }] }]);
}
/** PEM ending with a newline, as OpenSSL writes it. */
function pem(text) {
    return text.endsWith("\n") ? text : `${text}\n`;
}
//# sourceMappingURL=tls.js.map

/***/ }),

/***/ 62626:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ pollUntil),
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88246);
/* harmony import */ var _backoff_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(82927);


const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc("cancelled"));
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc("cancelled"));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
/** Polls until `check` is done, the deadline passes (WaitTimeoutError) or the signal aborts (CancelledError). */
async function pollUntil(options) {
    const clock = options.clock ?? systemClock;
    const deadline = clock.now() + options.timeoutSeconds * 1000;
    const backoff = { firstMs: options.delayMs ?? 250, maxMs: options.maxDelayMs ?? 2000, jitter: "none" };
    let lastSeen = "nothing yet";
    let woken = false;
    let delay;
    options.wakeUps?.(() => {
        woken = true;
        delay?.abort();
    });
    for (let attempt = 0;; attempt++) {
        if (options.signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc(`cancelled while waiting for ${options.waitingFor}`);
        const result = await options.check();
        if (result.done)
            return result.value;
        if (result.seen !== lastSeen)
            options.onProgress?.(result.seen);
        lastSeen = result.seen;
        if (clock.now() >= deadline)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .WaitTimeoutError */ .Do(options.waitingFor, options.timeoutSeconds, lastSeen);
        if (!woken) {
            const ms = Math.min((0,_backoff_js__WEBPACK_IMPORTED_MODULE_1__/* .backoffDelay */ .E)(attempt, backoff), Math.max(0, deadline - clock.now()));
            if (!options.wakeUps)
                await clock.sleep(ms, options.signal);
            else {
                delay = new AbortController();
                const signal = options.signal ? AbortSignal.any([options.signal, delay.signal]) : delay.signal;
                await clock.sleep(ms, signal).catch((error) => {
                    // Ended by a wake-up: look now. Ended by the caller's signal: the loop's first line reports it.
                    if (!woken && !options.signal?.aborted)
                        throw error;
                });
                delay = undefined;
            }
        }
        woken = false;
    }
}
//# sourceMappingURL=wait.js.map

/***/ })

};
