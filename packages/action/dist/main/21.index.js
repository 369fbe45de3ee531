export const id = 21;
export const ids = [21];
export const modules = {

/***/ 1021:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dispatch: () => (/* binding */ dispatch)
});

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(91208);
// EXTERNAL MODULE: ../core/dist/docker/docker-plan.js
var docker_plan = __webpack_require__(8962);
// EXTERNAL MODULE: ../core/dist/errors.js
var errors = __webpack_require__(88246);
// EXTERNAL MODULE: ../core/dist/fargate/fargate-plan.js + 1 modules
var fargate_plan = __webpack_require__(16641);
// EXTERNAL MODULE: ../core/dist/fargate/fargate-spec.js + 2 modules
var fargate_spec = __webpack_require__(93866);
// EXTERNAL MODULE: ../core/dist/internal/cost-limits.js
var cost_limits = __webpack_require__(86935);
;// CONCATENATED MODULE: ../core/dist/backend.js





/**
 * The backend called `name`: the local Docker Engine or ECS Fargate. `validate` and `plan` are pure; the first verb
 * that reaches the engine loads it with `import()` (dockerode for docker, the AWS SDK clients for fargate), so a
 * Docker run never loads the AWS SDK, a Fargate run never loads dockerode, and a dry run loads neither.
 */
function createBackend(name, settings = {}) {
    if (name === "docker") {
        return lazyBackend({
            name: "docker",
            validate: () => { },
            plan: (spec) => (0,docker_plan/* planDockerCluster */.M)(spec, { createdAt: "<start time>", expiresAt: "<start time + max-lifetime>" }),
            // Nothing to check before a Docker start: `plan` gets its undefined without loading dockerode.
            preflight: async () => undefined,
        }, async () => (await Promise.all(/* import() */[__webpack_require__.e(639), __webpack_require__.e(533)]).then(__webpack_require__.bind(__webpack_require__, 533))).dockerEngineVerbs(settings));
    }
    const input = settings.fargate;
    if (!input)
        throw new errors/* ClusterConfigError */.N5("region", "the fargate backend needs a region (--region, or AWS_REGION)");
    const placeholders = (spec) => ({
        ecsCluster: input.ecsCluster ?? `<created: ${spec.clusterId}>`,
        executionRoleArn: input.executionRoleArn ?? "<managed: dask-fargate-action-execution>",
        taskRoleArn: input.taskRoleArn ?? "<managed: dask-fargate-action-task>",
        subnets: input.subnets ?? ["<default VPC subnets>"],
        securityGroups: input.securityGroups ?? [fargate_plan/* PLAN_REFS */.rJ.securityGroupId],
        assignPublicIp: input.assignPublicIp ?? !input.subnets,
        tlsSecretArn: spec.tls ? fargate_plan/* PLAN_REFS */.rJ.tlsSecretArn : undefined,
        createdAt: "<start time>",
        expiresAt: "<start time + max-lifetime>",
    });
    return lazyBackend({
        name: "fargate",
        validate: (spec) => {
            (0,fargate_spec/* resolveFargateSpec */.q8)(input, spec);
        },
        plan: (spec) => (0,fargate_plan/* planFargateCluster */.Kp)(spec, (0,fargate_spec/* resolveFargateSpec */.q8)(input, spec), placeholders(spec)),
    }, async () => (await Promise.all(/* import() */[__webpack_require__.e(149), __webpack_require__.e(639), __webpack_require__.e(171), __webpack_require__.e(559)]).then(__webpack_require__.bind(__webpack_require__, 60559))).fargateEngineVerbs(input, settings.clients));
}
/**
 * A backend whose engine verbs wait for `load` (once; a failed load is tried again on the next call). Every verb
 * is async, so a bad spec or a refused scale rejects its promise like every other failure, never throws from the call.
 */
function lazyBackend(light, load) {
    let loading;
    const engine = () => {
        loading ??= load().catch((error) => {
            loading = undefined;
            throw error;
        });
        return loading;
    };
    return {
        name: light.name,
        validate: light.validate,
        plan: light.plan,
        preflight: light.preflight ?? (async (spec, options) => (await engine()).preflight(spec, options)),
        up: async (spec, options) => (await engine()).up(spec, options),
        runJob: async (handle, job, options) => (await engine()).runJob(handle, job, options),
        watchMembers: async (handle, options) => (await engine()).watchMembers(handle, options),
        scale: async (handle, workers, options) => {
            checkScale(handle, workers);
            return (await engine()).scale(handle, workers, options);
        },
        down: async (target, options) => (await engine()).down(target, options),
        reap: async (options) => (await engine()).reap(options),
        logs: async (clusterId, options) => (await engine()).logs(clusterId, options),
    };
}
/** A scaled cluster stays inside the cost limits it was started with (records from older versions have no opt-out). */
function checkScale(handle, workers) {
    (0,cost_limits/* checkCostLimits */.i)({ ...handle.spec, workers, allowUnboundedCost: handle.spec.allowUnboundedCost ?? false });
}
//# sourceMappingURL=backend.js.map
// EXTERNAL MODULE: ../core/dist/runner-job.js
var runner_job = __webpack_require__(14589);
;// CONCATENATED MODULE: ../core/dist/cluster-job.js

/**
 * Runs a job on a cluster of any backend, the one place that tells the two kinds apart: a job in the cluster
 * is the backend's (a container, an ECS task); a job on the runner is a process here, the same on every
 * backend, with the backend only watching its members meanwhile (those that stop are in `stoppedMembers`).
 */
async function runClusterJob(backend, handle, job, options) {
    if (job.runsOn === "cluster")
        return backend.runJob(handle, job, options);
    const watch = await backend.watchMembers(handle, options);
    try {
        const result = await (0,runner_job/* runJobOnRunner */.wO)(handle, job, options.signal);
        return { ...result, stoppedMembers: [...watch.stopped] };
    }
    finally {
        watch.stop();
    }
}
//# sourceMappingURL=cluster-job.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-cost.js
/**
 * AWS Fargate on-demand prices for Linux in us-east-1, in USD. Source: the AWS Fargate pricing page
 * (aws.amazon.com/fargate/pricing), as recorded in the project's facts on 2026-11-01. Other regions
 * differ by a few percent; Spot is up to 70% cheaper and varies.
 */
const FARGATE_PRICES = {
    X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
    ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
    publicIpv4Hour: 0.005,
    source: "AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01",
};
/** What one hour of the cluster's tasks (scheduler, workers, the job task) and public addresses costs on demand. */
function usdPerHour(spec, architecture, publicIps, options) {
    const price = FARGATE_PRICES[architecture];
    const task = (vcpu, mib) => vcpu * price.vcpuHour + (mib / 1024) * price.gbHour;
    const jobTasks = options.jobTask ? 1 : 0;
    return ((1 + jobTasks) * task(spec.schedulerCpu, spec.schedulerMemory) +
        spec.workers * task(spec.workerCpu, spec.workerMemory) +
        publicIps * FARGATE_PRICES.publicIpv4Hour);
}
const shapeOf = (spec, options) => `1 scheduler + ${spec.workers} workers${options.jobTask ? " + 1 job task" : ""}`;
/**
 * The hourly price of the requested shape, and the most the cluster can cost before its hard lifetime ends
 * it: shown by `plan` and before every Fargate start, so a typo in a size is seen before it is billed.
 */
function hourlyFargateCost(spec, architecture, publicIps, spot, options = {}) {
    const usd = usdPerHour(spec, architecture, publicIps, options);
    const maxLifetimeUsd = usd * (spec.maxLifetime / 3600);
    const bound = spot ? " (upper bound: Spot workers priced on demand)" : "";
    return {
        usd,
        maxLifetimeUsd,
        text: `about $${usd.toFixed(2)} per hour${bound}; at most $${maxLifetimeUsd.toFixed(2)} before the ${formatHours(spec.maxLifetime)} max-lifetime ends it`,
        method: `${shapeOf(spec, options)}${publicIps > 0 ? ` + ${publicIps} public IPv4 addresses` : ""} at ${FARGATE_PRICES.source}`,
    };
}
/**
 * Estimates what a cluster cost: Fargate bills each task per second from image pull to stop, with a
 * one-minute minimum; every task is counted for the cluster's whole life (an upper bound), plus the
 * public IPv4 addresses. Spot workers are priced on demand, so the estimate is an upper bound then too.
 */
function estimateFargateCost(spec, architecture, seconds, publicIps, spot, options = {}) {
    const billed = Math.max(60, Math.ceil(seconds)) / 3600;
    const usd = usdPerHour(spec, architecture, publicIps, options) * billed;
    const text = `$${usd.toFixed(4)}${spot ? " (upper bound: Spot workers priced on demand)" : ""}`;
    return { usd, text, method: `${shapeOf(spec, options)} × ${Math.ceil(seconds)} s (min. 60 s) at ${FARGATE_PRICES.source}` };
}
function formatHours(seconds) {
    const hours = seconds / 3600;
    return Number.isInteger(hours) ? `${hours} h` : `${Math.round(seconds / 60)} min`;
}
//# sourceMappingURL=fargate-cost.js.map
// EXTERNAL MODULE: ../core/dist/logger.js
var logger = __webpack_require__(4353);
;// CONCATENATED MODULE: ../core/dist/phase-timer.js
/** Measures named phases (the CLI and the action report them) and formats them as "up 12.3 s, job 40.1 s". */
class PhaseTimer {
    phases = [];
    async time(name, work) {
        const started = performance.now();
        try {
            return await work();
        }
        finally {
            this.phases.push([name, performance.now() - started]);
        }
    }
    toJSON() {
        return Object.fromEntries(this.phases.map(([n, ms]) => [n, Math.round(ms)]));
    }
    toString() {
        return this.phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(", ");
    }
}
//# sourceMappingURL=phase-timer.js.map
// EXTERNAL MODULE: ../core/dist/scheduler-http.js
var scheduler_http = __webpack_require__(29641);
;// CONCATENATED MODULE: ../core/dist/backend-entry.js
/**
 * @packageDocumentation
 * `@dask-fargate-action/core/backend`: the seam and what a run around it needs (running a job on either side,
 * phase times, cost estimates, counting a cluster's workers) without loading any engine. `createBackend` loads
 * dockerode or the AWS SDK clients with `import()` on the first verb that reaches its engine, so the CLI's and the
 * pipeline's Docker path never loads the AWS SDK (test/light-entries.test.ts checks both). Validators and errors
 * are in `@dask-fargate-action/core/validate`; the backends' verbs by name only in core's index.
 */






//# sourceMappingURL=backend-entry.js.map
// EXTERNAL MODULE: ../../node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(36474);
;// CONCATENATED MODULE: ../image/dist/build-context-archive.js

/**
 * Packs a build context into an in-memory tar. Entries are sorted and carry fixed owners, modes and
 * times, so the same files always give the same bytes.
 */
async function archiveBuildContext(files) {
    const paths = [...files.keys()].sort();
    return archiveContextEntries(paths.map((path) => ({ path, type: "file", mode: 0o644, content: files.get(path) ?? Buffer.alloc(0) })));
}
/**
 * Packs context entries (files with their permission bits, directories, symbolic links as links) into an
 * in-memory tar, in the given order, with owner root and a fixed time: the same entries give the same bytes,
 * and the engine's COPY keeps the permission bits as the Docker CLI sends them.
 */
async function archiveContextEntries(entries) {
    const archive = (0,tar_stream.pack)();
    const chunks = [];
    archive.on("data", (chunk) => chunks.push(chunk));
    const done = new Promise((resolve, reject) => {
        archive.on("end", resolve);
        archive.on("error", reject);
    });
    const fixed = { mtime: new Date(0), uid: 0, gid: 0, uname: "", gname: "" };
    for (const entry of entries) {
        if (entry.type === "file")
            archive.entry({ ...fixed, name: entry.path, size: entry.content.length, mode: entry.mode }, entry.content);
        else if (entry.type === "directory")
            archive.entry({ ...fixed, name: entry.path, type: "directory", mode: entry.mode });
        else
            archive.entry({ ...fixed, name: entry.path, type: "symlink", linkname: entry.target, mode: 0o777 });
    }
    archive.finalize();
    await done;
    return Buffer.concat(chunks);
}
//# sourceMappingURL=build-context-archive.js.map
;// CONCATENATED MODULE: ../image/dist/builder.js
/** BuildKit came to the Engine API with Docker 18.09 (API 1.39), on Linux engines only. */
const BUILDKIT_MIN_API = [1, 39];
/**
 * Which builder the engine offers: BuildKit on a Linux engine with API 1.39 or later, otherwise the legacy builder
 * with a notice saying what that costs (no RUN --mount, COPY --chmod or parallel stages).
 */
async function detectBuilder(docker) {
    const version = (await docker.version());
    const [major = 0, minor = 0] = (version.ApiVersion ?? "0.0").split(".").map(Number);
    const recent = major > BUILDKIT_MIN_API[0] || (major === BUILDKIT_MIN_API[0] && minor >= BUILDKIT_MIN_API[1]);
    if (recent && (version.Os ?? "linux") === "linux")
        return { builder: "buildkit" };
    return {
        builder: "legacy",
        notice: `the Docker Engine (${version.Version ?? "unknown version"}, API ${version.ApiVersion ?? "?"}, ${version.Os ?? "?"}) has no BuildKit; building with the legacy builder, ` +
            "which does not know RUN --mount, COPY --chmod or parallel stages; use Docker 18.09 or later on Linux for BuildKit",
    };
}
//# sourceMappingURL=builder.js.map
;// CONCATENATED MODULE: ../image/dist/buildkit-progress.js
/**
 * Turns BuildKit's trace messages into the lines the legacy builder's output gives today: each Dockerfile step
 * once when it starts (`[stage 2/3] RUN …`), `CACHED [stage 2/3] RUN …` for a step taken from the cache, the
 * step's output as debug lines, builder warnings as warnings. The builder's own bookkeeping (`[internal] …`,
 * context copy, export) goes to debug. Keeps the last `tailSize` output lines of every step, so a failure
 * names its step and shows what that step printed last.
 */
class BuildkitProgress {
    logger;
    tailSize;
    names = new Map();
    reported = new Map();
    tails = new Map();
    partial = new Map();
    failed;
    lastStep;
    constructor(logger, tailSize = 20) {
        this.logger = logger;
        this.tailSize = tailSize;
    }
    /** The first step that reported an error, if any. */
    get failure() {
        return this.failed;
    }
    /** The last Dockerfile step that started (for an error the trace did not attach to a step). */
    get step() {
        return this.lastStep;
    }
    /** Shows one decoded trace message. */
    add(trace) {
        for (const vertex of trace.vertexes) {
            if (vertex.name)
                this.names.set(vertex.digest, vertex.name);
            const name = this.names.get(vertex.digest) ?? vertex.digest;
            const step = isDockerfileStep(name);
            const was = this.reported.get(vertex.digest);
            if (vertex.cached && was !== "cached") {
                this.reported.set(vertex.digest, "cached");
                this.show(step, `CACHED ${name}`);
            }
            else if (!vertex.cached && vertex.started && was === undefined) {
                this.reported.set(vertex.digest, "started");
                if (step)
                    this.lastStep = name;
                this.show(step, name);
            }
            if (vertex.error && !this.failed) {
                this.flush(vertex.digest);
                this.failed = { step: name, error: vertex.error, tail: [...(this.tails.get(vertex.digest) ?? [])] };
            }
        }
        for (const log of trace.logs) {
            const text = (this.partial.get(log.vertex) ?? "") + log.text.replace(/\r/g, "\n");
            const lines = text.split("\n");
            this.partial.set(log.vertex, lines.pop() ?? "");
            for (const line of lines)
                this.line(log.vertex, line);
        }
        for (const warning of trace.warnings)
            this.logger.warn(`${this.names.get(warning.vertex) ?? "build"}: ${warning.text}`);
    }
    show(step, text) {
        if (step)
            this.logger.info(text);
        else
            this.logger.debug(text);
    }
    /** The step whose output is `vertex` printed its last line (no newline at the end). */
    flush(vertex) {
        const rest = this.partial.get(vertex);
        if (rest)
            this.line(vertex, rest);
        this.partial.delete(vertex);
    }
    line(vertex, raw) {
        const text = raw.trimEnd();
        if (text === "")
            return;
        const tail = this.tails.get(vertex) ?? [];
        tail.push(text);
        if (tail.length > this.tailSize)
            tail.shift();
        this.tails.set(vertex, tail);
        this.logger.debug(text);
    }
}
/** A Dockerfile instruction (`[stage 1/3] RUN …`, `[2/4] COPY …`), not the builder's own bookkeeping. */
function isDockerfileStep(name) {
    return /^\[(?!internal\])[^\]]*\d+\/\d+\] /.test(name);
}
//# sourceMappingURL=buildkit-progress.js.map
// EXTERNAL MODULE: ../../node_modules/protobufjs/index.js
var protobufjs = __webpack_require__(52092);
;// CONCATENATED MODULE: ../image/dist/buildkit-trace.js

/**
 * The part of BuildKit's `StatusResponse` (moby/buildkit api/services/control/control.proto, package
 * moby.buildkit.v1) that the Docker Engine sends, base64-encoded, as the `aux` of each `moby.buildkit.trace`
 * message of a `POST /build?version=2` stream. Field numbers are control.proto's; fields we do not show
 * (progress groups, source ranges of warnings) are left out and skipped by the decoder.
 */
const SCHEMA = {
    nested: {
        Timestamp: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
        StatusResponse: {
            fields: {
                vertexes: { rule: "repeated", type: "Vertex", id: 1 },
                statuses: { rule: "repeated", type: "VertexStatus", id: 2 },
                logs: { rule: "repeated", type: "VertexLog", id: 3 },
                warnings: { rule: "repeated", type: "VertexWarning", id: 4 },
            },
        },
        Vertex: {
            fields: {
                digest: { type: "string", id: 1 },
                inputs: { rule: "repeated", type: "string", id: 2 },
                name: { type: "string", id: 3 },
                cached: { type: "bool", id: 4 },
                started: { type: "Timestamp", id: 5 },
                completed: { type: "Timestamp", id: 6 },
                error: { type: "string", id: 7 },
            },
        },
        VertexStatus: {
            fields: {
                ID: { type: "string", id: 1 },
                vertex: { type: "string", id: 2 },
                name: { type: "string", id: 3 },
                current: { type: "int64", id: 4 },
                total: { type: "int64", id: 5 },
            },
        },
        VertexLog: {
            fields: {
                vertex: { type: "string", id: 1 },
                timestamp: { type: "Timestamp", id: 2 },
                stream: { type: "int64", id: 3 },
                msg: { type: "bytes", id: 4 },
            },
        },
        VertexWarning: {
            fields: {
                vertex: { type: "string", id: 1 },
                level: { type: "int64", id: 2 },
                short: { type: "bytes", id: 3 },
                detail: { rule: "repeated", type: "bytes", id: 4 },
                url: { type: "string", id: 5 },
            },
        },
    },
};
const StatusResponseType = protobufjs.Root.fromJSON(SCHEMA).lookupType("StatusResponse");
/** Decodes the base64 `aux` of a `moby.buildkit.trace` message. Throws on bytes that are not a StatusResponse. */
function decodeBuildkitTrace(aux) {
    const message = StatusResponseType.toObject(StatusResponseType.decode(Buffer.from(aux, "base64")), {
        longs: Number,
        defaults: true,
        arrays: true,
    });
    return {
        vertexes: message.vertexes.map((v) => ({
            digest: v.digest,
            name: v.name,
            cached: v.cached,
            started: v.started != null,
            completed: v.completed != null,
            error: v.error,
        })),
        logs: message.logs.map((l) => ({ vertex: l.vertex, stream: l.stream, text: Buffer.from(l.msg).toString("utf8") })),
        warnings: message.warnings.map((w) => ({
            vertex: w.vertex,
            text: [Buffer.from(w.short).toString("utf8"), ...w.detail.map((d) => Buffer.from(d).toString("utf8"))].filter((t) => t !== "").join(": "),
        })),
    };
}
/** Encodes a trace (for tests and fakes of the engine's stream), the inverse of {@link decodeBuildkitTrace}. */
function encodeBuildkitTrace(trace) {
    const now = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
    const payload = {
        vertexes: (trace.vertexes ?? []).map((v) => ({
            digest: v.digest ?? "",
            name: v.name ?? "",
            cached: v.cached ?? false,
            ...(v.started ? { started: now } : {}),
            ...(v.completed ? { completed: now } : {}),
            error: v.error ?? "",
        })),
        logs: (trace.logs ?? []).map((l) => ({ vertex: l.vertex, stream: l.stream, timestamp: now, msg: Buffer.from(l.text, "utf8") })),
        warnings: (trace.warnings ?? []).map((w) => ({ vertex: w.vertex, short: Buffer.from(w.text, "utf8") })),
    };
    return Buffer.from(StatusResponseType.encode(StatusResponseType.fromObject(payload)).finish()).toString("base64");
}
//# sourceMappingURL=buildkit-trace.js.map
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(80481);
;// CONCATENATED MODULE: ../image/dist/docker-stream.js

/**
 * Reads a newline-delimited JSON progress stream to its end and calls `onMessage` for each message.
 * Unlike dockerode's followProgress, a message that carries `error` is not success: the first one is
 * returned so the caller can fail with it.
 */
async function readEngineStream(stream, onMessage) {
    let firstError;
    const handle = (line) => {
        if (line.trim() === "")
            return;
        let message;
        try {
            message = JSON.parse(line);
        }
        catch {
            message = { stream: line };
        }
        if ((message.error || message.errorDetail?.message) && !firstError)
            firstError = message;
        onMessage(message);
    };
    // node:readline, not a hand split: it decodes UTF-8 across chunk boundaries (a build step's output cut in
    // the middle of a character) and gives the last line even without a newline.
    for await (const line of (0,external_node_readline_.createInterface)({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }))
        handle(line);
    return firstError;
}
/** The error text of a message, preferring errorDetail. */
function engineErrorText(message) {
    return (message.errorDetail?.message ?? message.error ?? "unknown error").trim();
}
//# sourceMappingURL=docker-stream.js.map
;// CONCATENATED MODULE: ../image/dist/url-credentials.js
/**
 * Credentials written inside URLs: `scheme://user:password@host`, `scheme://token@host`, and
 * anaconda.org's token channels `https://conda.anaconda.org/t/<token>/<channel>`, and secret query parameters (`?token=…`)
 * (https://www.anaconda.com/docs/tools/anaconda-org/admin-guide/tokens). Anything the environment file holds
 * is copied into the build context and the image, so such URLs are refused; and every message
 * this package prints passes through {@link redactUrlCredentials}, so a refused secret is not echoed.
 */
/** `scheme://userinfo@`: everything between `://` and the `@` before the host. */
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@\s]+)@/g;
/** anaconda.org token channels: `://host/t/<token>/`. */
const CONDA_TOKEN = /(:\/\/[^/?#\s]+\/t\/)([^/?#\s]+)/g;
/**
 * Query parameters that carry a secret: tokens, keys, passwords and presigned-URL signatures
 * (S3's `X-Amz-Signature`/`X-Amz-Credential`, Azure's `sig`; https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
const SECRET_QUERY = /([?&](?:[A-Za-z0-9_.-]*token|access[_-]?key|api[_-]?key|apikey|key|password|passwd|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)([^&#\s"']+)/gi;
/** The conventional SSH user of git hosts (`git+ssh://git@github.com/…`): a name, not a secret. */
const PUBLIC_USERS = new Set(["git"]);
/** True when the text holds a URL with a user name, password or token in it. */
function hasUrlCredentials(text) {
    for (const match of text.matchAll(USERINFO))
        if (!PUBLIC_USERS.has(match[2] ?? ""))
            return true;
    return new RegExp(CONDA_TOKEN.source).test(text) || new RegExp(SECRET_QUERY.source, "i").test(text);
}
/** Replaces the user name, password or token of every URL in the text with `***`. */
function redactUrlCredentials(text) {
    return text
        .replace(USERINFO, (whole, scheme, userinfo) => (PUBLIC_USERS.has(userinfo) ? whole : `${scheme}***@`))
        .replace(CONDA_TOKEN, (_, prefix) => `${prefix}***`)
        .replace(SECRET_QUERY, (_, prefix) => `${prefix}***`);
}
/** The fix shared by every refusal of credentials in a file. */
const CREDENTIALS_FIX = "remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. " +
    "Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), " +
    "or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)";
//# sourceMappingURL=url-credentials.js.map
;// CONCATENATED MODULE: ../image/dist/errors.js
/**
 * Typed errors of the image package. Each carries the data a user needs to act on it, and an
 * `isInstance` check that works across duplicate copies of this module (e.g. inside a bundle).
 */

const BRANDS = Symbol.for("dask-fargate-action.image.error.brands");
/** The `brand` of a class and of each of its ancestors: what {@link hasBrand} looks for. */
function brandsOf(errorClass) {
    const brands = [];
    for (let c = errorClass; c && typeof c.brand === "string"; c = Object.getPrototypeOf(c)) {
        if (!brands.includes(c.brand))
            brands.push(c.brand);
    }
    return brands;
}
/** True when `error` was made by the class branded `brand` or a subclass, even by another copy of this module. */
function hasBrand(error, brand) {
    if (typeof error !== "object" || error === null)
        return false;
    const brands = error[BRANDS];
    return Array.isArray(brands) && brands.includes(brand);
}
/**
 * Base class of every error this package throws on purpose. Credentials inside URLs are redacted
 * from every message (`https://***@host`), so an error never prints the secret it refuses. Each class has
 * its own `brand`, so `X.isInstance(e)` means "e is an X" (a subclass counts, a sibling does not), across
 * bundle copies: `RegistryError.isInstance(aBuildError)` is false.
 */
class ImageError extends Error {
    static brand = "ImageError";
    [BRANDS] = brandsOf(this.constructor);
    name = "ImageError";
    constructor(message, options) {
        super(message === undefined ? undefined : redactUrlCredentials(message), options);
    }
    /** True for any error of this package, even from another copy of the module. */
    static isInstance(error) {
        return hasBrand(error, ImageError.brand);
    }
}
/**
 * A problem in an environment file: what is wrong, where, and how to fix it.
 * The message reads `file:line:column: problem` followed by the fix on its own line.
 */
class EnvironmentFileError extends ImageError {
    name = "EnvironmentFileError";
    file;
    line;
    column;
    problem;
    fix;
    constructor(position, problem, fix) {
        super(`${position.file}:${position.line}:${position.column}: ${problem}\n  fix: ${fix}`);
        this.file = position.file;
        this.line = position.line;
        this.column = position.column;
        this.problem = redactUrlCredentials(problem);
        this.fix = redactUrlCredentials(fix);
    }
    static brand = "EnvironmentFileError";
    static isInstance(error) {
        return hasBrand(error, EnvironmentFileError.brand);
    }
}
/** An option given to the image functions is not valid (not a file problem). */
class ImageConfigError extends ImageError {
    static brand = "ImageConfigError";
    static isInstance(error) {
        return hasBrand(error, ImageConfigError.brand);
    }
    name = "ImageConfigError";
    option;
    constructor(option, message) {
        super(`${option}: ${message}`);
        this.option = option;
    }
}
/** The Docker Engine reported an error during a build. */
class BuildError extends ImageError {
    static brand = "BuildError";
    static isInstance(error) {
        return hasBrand(error, BuildError.brand);
    }
    name = "BuildError";
    /** The Dockerfile step that failed, e.g. `Step 4/11 : RUN micromamba install ...`. */
    step;
    /** The last lines the build printed before the error. */
    lastLines;
    constructor(detail, step, lastLines, options) {
        const where = step ? ` at "${step}"` : "";
        const tail = lastLines.length > 0 ? `\nlast output:\n${lastLines.map((l) => `  | ${l}`).join("\n")}` : "";
        super(`image build failed${where}: ${detail}${tail}`, options);
        this.step = step;
        this.lastLines = lastLines.map(redactUrlCredentials);
    }
}
/** A registry refused or failed a request (authentication, push, manifest lookup). */
class RegistryError extends ImageError {
    static brand = "RegistryError";
    static isInstance(error) {
        return hasBrand(error, RegistryError.brand);
    }
    name = "RegistryError";
    registry;
    status;
    constructor(registry, message, status, options) {
        super(`registry ${registry}: ${message}`, options);
        this.registry = registry;
        this.status = status;
    }
}
//# sourceMappingURL=errors.js.map
;// CONCATENATED MODULE: ../image/dist/logger.js
/** A logger that drops everything. */
const silentLogger = {
    info: () => { },
    warn: () => { },
    debug: () => { },
};
/** A logger that writes to the process's stderr with a level prefix. */
const consoleLogger = {
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    debug: (m) => process.stderr.write(`  ${m}\n`),
};
//# sourceMappingURL=logger.js.map
;// CONCATENATED MODULE: ../image/dist/build-image.js








/**
 * Builds a rendered context through the Docker Engine API with an in-memory tar. Progress goes to
 * the logger line by line. A build whose stream carries an error fails with a {@link BuildError}
 * naming the failing step and the last lines of output.
 */
async function buildImage(options) {
    checkBuildArgValues(options.buildArgs);
    const logger = options.logger ?? silentLogger;
    const tailSize = options.tailLines ?? 20;
    const context = options.context;
    const own = "kind" in context && context.kind === "dockerfile" ? context : undefined;
    let builder = options.builder;
    if (!builder) {
        const detected = await detectBuilder(options.docker);
        if (detected.notice)
            logger.warn(detected.notice);
        builder = detected.builder;
    }
    const tar = own ? await archiveContextEntries(own.entries) : await archiveBuildContext(context.files);
    const buildargs = { ...(options.buildArgs ?? {}) };
    if (builder === "buildkit" && options.inlineCache)
        buildargs["BUILDKIT_INLINE_CACHE"] = "1";
    let stream;
    try {
        stream = await options.docker.buildImage(tar, {
            t: options.tags[0],
            platform: context.platform,
            buildargs,
            // A generated Dockerfile holds its labels, so that the rendered text alone describes the image; a user's
            // Dockerfile is not changed, and gets them through the API.
            ...(own ? { dockerfile: own.dockerfilePath, labels: { ...own.labels } } : {}),
            ...(options.target ? { target: options.target } : {}),
            ...(options.cacheFrom && options.cacheFrom.length > 0 ? { cachefrom: [...options.cacheFrom] } : {}),
            // BuildKit: dockerode opens a session next to the build that answers the builder's registry logins.
            ...(builder === "buildkit" ? { version: "2" } : {}),
            ...(builder === "buildkit" && options.login
                ? { authconfig: { username: options.login.username, password: options.login.password, serveraddress: options.login.registry } }
                : {}),
            rm: true,
            forcerm: true,
            pull: false,
        });
    }
    catch (error) {
        throw new BuildError(`the Docker Engine refused the build (${error.message})`, undefined, [], { cause: error });
    }
    const { imageId, failure, step, tail } = builder === "buildkit" ? await readBuildkitStream(stream, logger, tailSize) : await readLegacyStream(stream, logger, tailSize);
    if (failure)
        throw new BuildError(failure, step, [...tail]);
    if (!imageId)
        throw new BuildError("the engine ended the build without reporting an image id", step, [...tail]);
    const image = options.docker.getImage(imageId);
    for (const tag of options.tags.slice(1)) {
        const { repo, tag: t } = splitTag(tag);
        await image.tag({ repo, tag: t });
    }
    return { imageId: imageId.startsWith("sha256:") ? imageId : `sha256:${imageId}`, builder };
}
/** BuildKit: `moby.buildkit.trace` messages carry the steps and their output; `moby.image.id` the image. */
async function readBuildkitStream(stream, logger, tailSize) {
    const progress = new BuildkitProgress(logger, tailSize);
    let imageId;
    const failure = await readEngineStream(stream, (message) => {
        if (message.id === "moby.buildkit.trace" && typeof message.aux === "string")
            progress.add(decodeBuildkitTrace(message.aux));
        else if (message.id === "moby.image.id" && typeof message.aux === "object")
            imageId = message.aux.ID;
        else if (message.stream)
            logger.debug(message.stream.trimEnd());
    });
    const failed = progress.failure;
    if (failure)
        return { imageId, failure: engineErrorText(failure), step: failed?.step ?? progress.step, tail: failed?.tail ?? [] };
    return { imageId, failure: undefined, step: undefined, tail: [] };
}
/** The legacy builder: `Step n/m : …` lines, the output between them, `Successfully built <id>`. */
async function readLegacyStream(stream, logger, tailSize) {
    let step;
    let imageId;
    const tail = [];
    const failure = await readEngineStream(stream, (message) => {
        if (typeof message.aux === "object" && message.aux.ID)
            imageId = message.aux.ID;
        for (const line of (message.stream ?? "").split("\n")) {
            const text = line.replace(/\r/g, "").trimEnd();
            if (text === "")
                continue;
            if (/^Step \d+\/\d+ : /.test(text)) {
                step = text;
                tail.length = 0;
                logger.info(text);
            }
            else {
                tail.push(text);
                if (tail.length > tailSize)
                    tail.shift();
                logger.debug(text);
            }
            const built = /^Successfully built ([0-9a-f]+)$/.exec(text);
            if (built?.[1] && !imageId)
                imageId = built[1];
        }
    });
    return { imageId, failure: failure ? engineErrorText(failure) : undefined, step, tail };
}
/**
 * Refuses build-arg values that hold credentials in a URL (e.g. `PIP_INDEX_URL=https://user:token@…`).
 * The Docker Engine's builder writes every build arg in scope into the history entry of each RUN
 * (`docker history` shows `|1 PIP_INDEX_URL=… /bin/sh -c …`), so such a value would ship with the image.
 */
function checkBuildArgValues(buildArgs) {
    for (const [name, value] of Object.entries(buildArgs ?? {})) {
        if (!hasUrlCredentials(value))
            continue;
        throw new ImageConfigError("build-args", `the value of ${name} ("${redactUrlCredentials(value)}") has credentials in its URL, and the engine records build-arg values in the image history ` +
            "(docker history shows them), so they would ship with the image; use an index or mirror whose URL needs no credentials");
    }
}
/** Splits `name:tag` at the tag's colon (not a registry port's). */
function splitTag(reference) {
    const slash = reference.lastIndexOf("/");
    const colon = reference.lastIndexOf(":");
    if (colon > slash)
        return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
    return { repo: reference, tag: "latest" };
}
//# sourceMappingURL=build-image.js.map
// EXTERNAL MODULE: ../../node_modules/@conda-org/rattler/dist/rattler.bundler.mjs
var rattler_bundler = __webpack_require__(42672);
;// CONCATENATED MODULE: ../image/dist/conda-match-spec.js

const CHANNEL = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$|^(https?|file):\/\/\S+$/;
const NAME_AND_REST = /^([A-Za-z0-9_.-]+)(.*)$/;
const BUILD = /^[A-Za-z0-9_.*+!]+$/;
const BRACKET_KEYS = new Set(["version", "build", "build_number", "channel", "subdir", "md5", "sha256", "license"]);
/**
 * Parses and validates one conda match spec (`channel::name`, `=`, `==`, `>=,<`, `|`, build strings,
 * `[key=value]`). Version parts are checked by rattler, the conda ecosystem's own parser.
 * Returns the dependency, or the problem when the text cannot be a package spec.
 */
function parseCondaMatchSpec(text) {
    const source = text.trim();
    if (source === "")
        return { problem: "empty package spec", fix: "remove the empty entry or name a package" };
    if (/^(git\+|https?:\/\/|file:)/.test(source) || source.includes("://")) {
        return {
            problem: `"${source}" is a URL, not a conda package`,
            fix: "move it under the `- pip:` list of dependencies, or name a conda package",
        };
    }
    let rest = source;
    let brackets = "";
    const open = rest.indexOf("[");
    if (open >= 0) {
        if (!rest.endsWith("]"))
            return { problem: `"${source}" has an unclosed "["`, fix: 'write it as name[key="value"]' };
        brackets = rest.slice(open + 1, -1);
        rest = rest.slice(0, open);
    }
    let channel;
    const sep = rest.indexOf("::");
    if (sep >= 0) {
        channel = rest.slice(0, sep).trim();
        rest = rest.slice(sep + 2);
        if (!CHANNEL.test(channel))
            return { problem: `"${channel}" is not a channel name`, fix: "write channel::package, e.g. conda-forge::numpy" };
    }
    const match = NAME_AND_REST.exec(rest.trim());
    if (!match?.[1] || !(0,rattler_bundler/* isPackageName */.kb)(match[1])) {
        return { problem: `"${source}" does not start with a package name`, fix: "package names use letters, digits, '_', '-' and '.', e.g. numpy=1.26" };
    }
    const name = match[1].toLowerCase();
    const parsed = splitVersionAndBuild((match[2] ?? "").trim());
    if ("problem" in parsed)
        return { problem: `"${source}": ${parsed.problem}`, fix: parsed.fix };
    let { version, build } = parsed;
    const bracketParts = [];
    if (brackets !== "") {
        for (const item of brackets.split(",")) {
            const [rawKey, ...rawValue] = item.split("=");
            const key = (rawKey ?? "").trim();
            const value = rawValue
                .join("=")
                .trim()
                .replace(/^['"]|['"]$/g, "");
            if (!BRACKET_KEYS.has(key) || value === "") {
                return { problem: `"${source}" has an unknown or empty bracket key "${key}"`, fix: `use one of ${[...BRACKET_KEYS].join(", ")} as [key="value"]` };
            }
            if (key === "version") {
                if (version !== undefined)
                    return { problem: `"${source}" gives the version twice`, fix: "keep either the version after the name or [version=...]" };
                const problem = checkVersion(value);
                if (problem)
                    return { problem: `"${source}": ${problem}`, fix: 'write a conda version spec, e.g. [version=">=1.2,<2"]' };
                version = value;
            }
            else if (key === "build") {
                if (build !== undefined)
                    return { problem: `"${source}" gives the build twice`, fix: "keep either =version=build or [build=...]" };
                build = value;
            }
            else {
                bracketParts.push(`${key}="${value}"`);
            }
        }
    }
    const versionText = version === undefined ? "" : /^[<>!=~]/.test(version) ? version : `=${version}`;
    const buildText = build === undefined ? "" : version === undefined ? `=*=${build}` : `=${build}`;
    const bracketText = bracketParts.length > 0 ? `[${bracketParts.sort().join(",")}]` : "";
    const normalised = `${channel ? `${channel}::` : ""}${name}${versionText}${buildText}${bracketText}`;
    return { source, channel, name, version: version === undefined ? undefined : versionText, build, normalised };
}
function splitVersionAndBuild(text) {
    // Spaces around ',', '|' and after operators carry no meaning: ">= 1.2, <2" is ">=1.2,<2".
    const rest = text.replace(/\s*([,|])\s*/g, "$1").replace(/([<>=!~]=?)\s+/g, "$1");
    if (rest === "")
        return { version: undefined, build: undefined };
    let version;
    let build;
    if (/^\s|^[0-9*]/.test(rest) || rest.includes(" ")) {
        // Space form: "numpy 1.26 py311_0" (version, then an optional build string).
        const parts = rest.trim().split(/\s+/);
        if (parts.length > 2)
            return { problem: "too many space-separated parts", fix: "write name version [build], e.g. numpy 1.26.* py311*" };
        version = parts[0] ?? "";
        build = parts[1];
        // In the space form a plain version is exact ("numpy 1.26" is numpy==1.26), unlike the fuzzy "numpy=1.26".
        if (/^[0-9][0-9A-Za-z_.+!]*$/.test(version))
            version = `==${version}`;
    }
    else if (rest.startsWith("=") && !rest.startsWith("==")) {
        // Fuzzy form: "=1.2" or "=1.2=build".
        const [v, b, extra] = rest.slice(1).split("=");
        if (extra !== undefined)
            return { problem: "too many '=' parts", fix: "write name=version=build" };
        version = v ?? "";
        build = b;
        if (version === "")
            return { problem: "'=' is not followed by a version", fix: "write name=1.2" };
    }
    else if (/^[<>!~=]/.test(rest)) {
        version = rest;
    }
    else {
        return { problem: `unexpected "${rest}" after the package name`, fix: "write name=1.2, name>=1.2,<2 or name 1.2 build" };
    }
    if (build !== undefined && !BUILD.test(build)) {
        return { problem: `"${build}" is not a build string`, fix: "build strings use letters, digits, '_', '.', '+', '!' and '*'" };
    }
    const problem = checkVersion(version);
    if (problem)
        return { problem, fix: "write a conda version spec such as 1.2, 1.2.*, >=1.2,<2 or 1.2|1.3" };
    return { version, build };
}
function checkVersion(version) {
    if (version === "*")
        return undefined;
    try {
        new rattler_bundler/* VersionSpec */.GO(version).free();
        return undefined;
    }
    catch {
        return `"${version}" is not a valid conda version spec`;
    }
}
//# sourceMappingURL=conda-match-spec.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ../image/dist/content-hash.js

/** Length of the hash prefix used in tags: 16 hex digits = 64 bits, ample to avoid collisions per repository. */
const TAG_HASH_LENGTH = 16;
/**
 * sha256 over a canonical JSON of the inputs, with files listed in sorted order by their own sha256.
 * The same inputs always give the same hash, whatever order they were built in.
 */
function computeContentHash(inputs) {
    const files = [...inputs.files.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, content]) => [path, (0,external_node_crypto_.createHash)("sha256").update(content).digest("hex")]);
    const canonical = JSON.stringify({
        generator: inputs.generator,
        baseImage: inputs.baseImage,
        platform: inputs.platform,
        installer: inputs.installer,
        buildArgNames: [...inputs.buildArgNames].sort(),
        labels: [...inputs.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        variables: [...inputs.variables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        sourceFile: inputs.sourceFile,
        files,
    });
    return (0,external_node_crypto_.createHash)("sha256").update(canonical).digest("hex");
}
/** The tag of an environment's image: `env-` and the first 16 hex digits of its content hash. */
function contentTag(contentHash) {
    return `env-${contentHash.slice(0, TAG_HASH_LENGTH)}`;
}
//# sourceMappingURL=content-hash.js.map
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ../../node_modules/@balena/dockerignore/ignore.js
var ignore = __webpack_require__(50114);
;// CONCATENATED MODULE: ../image/dist/dockerfile-context.js




// A CommonJS module whose types declare an ES default export; it sets `module.exports.default` to itself, so this
// works both under Node's ESM import and in a bundle.
const dockerignore = ignore["default"];
/**
 * Directories never sent, whatever `.dockerignore` says. `.git` changes with every commit (its objects and
 * index), so sending it would give every commit a new content tag; and actions/checkout keeps a token in
 * `.git/config`, which a `COPY . .` would put into the image.
 */
const NEVER_SENT = new Set([".git"]);
/**
 * Reads `<context>/.dockerignore` with Docker's rules (`@balena/dockerignore`, a port of moby's
 * dockerignore and fileutils matching: `*` stays within one path component, a pattern matches a path or any
 * of its parents, later `!` patterns re-include). Undefined when the context has none.
 */
async function readIgnoreRules(contextDir) {
    const file = (0,external_node_path_.join)(contextDir, ".dockerignore");
    let text;
    try {
        text = await (0,promises_.readFile)(file, "utf8");
    }
    catch (error) {
        if (error.code === "ENOENT")
            return undefined;
        throw new ImageConfigError("context", `cannot read ${file} (${error.code ?? String(error)}); make it readable`);
    }
    return ignoreRulesFromText(file, text);
}
/** {@link readIgnoreRules} for a text already read. */
function ignoreRulesFromText(file, text) {
    const patterns = text
        .split(/\r?\n/)
        .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
        .filter((p) => p.text !== "" && !p.text.startsWith("#"));
    // ignorecase false: Linux file names are case-sensitive, as dockerode's own context packer sets it.
    const matcher = dockerignore({ ignorecase: false }).add(patterns.map((p) => p.text));
    return { file, patterns, ignores: (path) => matcher.ignores(path), hasExceptions: patterns.some((p) => p.text.startsWith("!")) };
}
/** The last pattern that excludes `path` on its own (the one a user has to counter), for messages. */
function excludingPattern(rules, path) {
    return rules.patterns.filter((p) => !p.text.startsWith("!") && dockerignore({ ignorecase: false }).add(p.text).ignores(path)).at(-1);
}
/**
 * Walks a context directory as the Docker CLI packs it (moby's `archive.TarWithOptions` with the
 * `.dockerignore` patterns as excludes): sorted, relative `/`-separated paths; excluded files are left out;
 * an excluded directory is skipped whole unless some `!` pattern may re-include something below it, in which
 * case it is walked but not sent itself. Symbolic links are sent as links, never followed, so a link cannot
 * bring files from outside the context. Sockets and FIFOs are skipped. `.git` is never sent ({@link NEVER_SENT}).
 */
async function walkContext(contextDir, rules) {
    const entries = [];
    const visit = async (relativeDir) => {
        const absolute = relativeDir === "" ? contextDir : (0,external_node_path_.join)(contextDir, relativeDir);
        const children = (await (0,promises_.readdir)(absolute, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const child of children) {
            if (NEVER_SENT.has(child.name))
                continue;
            const path = relativeDir === "" ? child.name : `${relativeDir}/${child.name}`;
            const excluded = rules?.ignores(path) ?? false;
            const full = (0,external_node_path_.join)(contextDir, path);
            if (child.isDirectory()) {
                if (excluded && !rules?.hasExceptions)
                    continue;
                if (!excluded)
                    entries.push({ path, type: "directory", mode: (await (0,promises_.stat)(full)).mode & 0o7777 });
                await visit(path);
            }
            else if (excluded) {
                // Left out, like every file a .dockerignore pattern matches.
            }
            else if (child.isSymbolicLink()) {
                entries.push({ path, type: "symlink", target: await (0,promises_.readlink)(full) });
            }
            else if (child.isFile()) {
                const [info, content] = await Promise.all([(0,promises_.stat)(full), (0,promises_.readFile)(full)]);
                entries.push({ path, type: "file", mode: info.mode & 0o7777, content });
            }
        }
    };
    try {
        await visit("");
    }
    catch (error) {
        const { code, path } = error;
        if (ImageConfigError.isInstance(error))
            throw error;
        throw new ImageConfigError("context", `cannot read ${path ?? contextDir} (${code ?? String(error)}); the engine would refuse the build as well: make it readable, or exclude it in ${(0,external_node_path_.join)(contextDir, ".dockerignore")}`);
    }
    return entries;
}
//# sourceMappingURL=dockerfile-context.js.map
;// CONCATENATED MODULE: ../image/dist/image-reference.js

// The distribution reference grammar (github.com/distribution/reference, reference.go).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOMAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
/** The longest `registry/repository` the distribution grammar allows. */
const NAME_MAX = 255;
const LINE_BREAK_NAMES = { "\n": "a line break (\\n)", "\r": "a line break (\\r)", "\t": "a tab", " ": "a space" };
/**
 * Parses an image reference following the distribution reference grammar: `[host[:port]/]path[:tag][@digest]`;
 * `option` names the input in errors. The text must be exactly a reference: whitespace or control
 * characters anywhere are refused (it is written into a Dockerfile's FROM line, where a line break
 * would start a new instruction), and the registry part must be a host name, IPv4 or [IPv6] address
 * with an optional port.
 */
function parseImageReference(text, option) {
    const fail = (why) => {
        throw new ImageConfigError(option, `${JSON.stringify(text)} is not an image reference: ${why}; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask`);
    };
    if (text === "")
        fail("it is empty");
    const bad = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.exec(text);
    if (bad) {
        const char = bad[0];
        const name = LINE_BREAK_NAMES[char] ?? `the character U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
        fail(`it contains ${name} at character ${bad.index + 1}; an image reference has no whitespace or control characters`);
    }
    let rest = text;
    let digest;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            fail(`"${digest}" is not a sha256 digest`);
    }
    let tag;
    const slash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > slash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            fail(`"${tag}" is not a valid tag`);
    }
    if (rest.length > NAME_MAX)
        fail(`the name is ${rest.length} characters long; at most ${NAME_MAX} are allowed`);
    const parts = rest.split("/");
    let registry = "docker.io";
    const first = parts[0] ?? "";
    // As Docker does: the first part is a registry when it has a '.' or ':' or is localhost.
    if (parts.length > 1 && (first.includes(".") || first.includes(":") || first.startsWith("[") || first === "localhost")) {
        if (!isRegistryHost(first))
            fail(`the registry "${first}" is not a host or host:port (letters, digits, '-' and '.', e.g. ghcr.io or localhost:5000)`);
        registry = first;
        parts.shift();
    }
    if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p)))
        fail("repository names use lower-case letters, digits and separators");
    if (registry === "docker.io" && parts.length === 1)
        parts.unshift("library");
    return { registry, repository: parts.join("/"), tag, digest };
}
/** `host[:port]` where host is a domain name, an IPv4 address or a bracketed IPv6 address, and port is 1–65535. */
function isRegistryHost(text) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::([0-9]{1,5}))?$/.exec(text);
    const host = match?.[1] ?? "";
    const port = match?.[2];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        return false;
    return DOMAIN_NAME.test(host) || IPV6.test(host);
}
/** Formats `registry/repository` the way the Docker Engine names local images. */
function repositoryName(ref) {
    if (ref.registry === "docker.io")
        return ref.repository.replace(/^library\//, "");
    return `${ref.registry}/${ref.repository}`;
}
/** Formats a full reference back to text. */
function formatImageReference(ref) {
    return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
//# sourceMappingURL=image-reference.js.map
// EXTERNAL MODULE: ../../node_modules/yaml/dist/index.js
var dist = __webpack_require__(33483);
;// CONCATENATED MODULE: ../image/dist/context-layout.js
/** Where generated files sit in the build context and in the image during the build. */
const CONTEXT_FILES = {
    dockerfile: "Dockerfile",
    condaEnvironment: "conda-environment.yml",
    condaExplicit: "conda-explicit.txt",
    requirements: "requirements.txt",
    localDir: "local",
};
/** Directory inside the image where the build puts generated files; each RUN that reads it removes it (render-dockerfile.ts). */
const BUILD_DIR = "/tmp/dask-fargate-build";
//# sourceMappingURL=context-layout.js.map
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ../image/dist/image-record.js


/** Where a generated image keeps its record (the image's label `io.dask-fargate-action.record` names it too). */
const RECORD_PATHS = {
    micromamba: "/opt/conda/share/dask-fargate-action/packages.json",
    pip: "/usr/share/dask-fargate-action/packages.json",
};
/**
 * The fixed Python program that writes a record: importlib.metadata (Python 3.8+) sees conda's and pip's Python
 * packages alike, so one program serves both installers. No user text: it is written into a RUN line as is.
 */
const RECORD_PROGRAM = "import importlib.metadata as m, json, platform, re; " +
    "d = {re.sub(r'[-_.]+', '-', x.metadata['Name']).lower(): x.version for x in m.distributions() if x.metadata['Name']}; " +
    "print(json.dumps({'python': platform.python_version(), 'packages': dict(sorted(d.items()))}, indent=1))";
/** The versions the CLI prints and the action shows: the ones a Dask training depends on. */
const KEY_PACKAGES = ["dask", "distributed", "xgboost", "scikit-learn"];
/** `python 3.11.2, dask 2022.12.1, …` with `-` for what is not installed. */
function formatKeyVersions(record) {
    return [`python ${record.python}`, ...KEY_PACKAGES.map((name) => `${name} ${record.packages[name] ?? "-"}`)].join(", ");
}
/**
 * What changed between two records, one line each: `dask 2024.12.0 → 2024.12.1`, `name 1.0 (added)`,
 * `name 1.0 (removed)`; Python and the key packages first, then the others by name.
 */
function diffRecords(before, after) {
    const lines = [];
    if (before.python !== after.python)
        lines.push(`python ${before.python} → ${after.python}`);
    const names = [...new Set([...Object.keys(before.packages), ...Object.keys(after.packages)])].sort((a, b) => {
        const rank = (n) => {
            const i = KEY_PACKAGES.indexOf(n);
            return i < 0 ? KEY_PACKAGES.length : i;
        };
        return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
    });
    for (const name of names) {
        const [was, now] = [before.packages[name], after.packages[name]];
        if (was === now)
            continue;
        lines.push(was === undefined ? `${name} ${now} (added)` : now === undefined ? `${name} ${was} (removed)` : `${name} ${was} → ${now}`);
    }
    return lines;
}
/** `changes since IMAGE: a → b, …` (or `none in the package record`), as the CLI and the action show it. */
function changesText(changes) {
    return `changes since ${changes.since}: ${changes.lines.length > 0 ? changes.lines.join(", ") : "none in the package record"}`;
}
/** Parses the JSON a record program printed; undefined when it is not a record. */
function parseImageRecord(text) {
    try {
        const value = JSON.parse(text);
        if (typeof value.python !== "string" || typeof value.packages !== "object" || value.packages === null)
            return undefined;
        const packages = Object.fromEntries(Object.entries(value.packages).filter((e) => typeof e[1] === "string"));
        return { python: value.python, packages };
    }
    catch {
        return undefined;
    }
}
/**
 * Reads the record of a local image. A generated image carries it at the path its record label names; it is
 * copied out of a created, never started container. An image without one (your own Dockerfile, an image built
 * before records) gets the same program run once with Python as the entrypoint, so the image's own entrypoint
 * script does not run. Undefined when the image has no Python.
 */
async function readImageRecord(docker, image, recordLabel) {
    const info = await docker.getImage(image).inspect();
    const path = info.Config?.Labels?.[recordLabel];
    if (path) {
        const container = await docker.createContainer({ Image: image, Entrypoint: ["/bin/true"], Cmd: [] });
        try {
            const archive = (await container.getArchive({ path }));
            const text = await firstFileOf(archive);
            const record = text === undefined ? undefined : parseImageRecord(text);
            if (record)
                return record;
        }
        finally {
            await container.remove({ force: true });
        }
    }
    const container = await docker.createContainer({
        Image: image,
        Entrypoint: ["sh", "-c", 'exec "$(command -v python3 || command -v python)" -c "$0"', RECORD_PROGRAM],
        Cmd: [],
        HostConfig: { NetworkMode: "none" },
    });
    try {
        await container.start();
        const { StatusCode } = (await container.wait());
        if (StatusCode !== 0)
            return undefined;
        const logs = (await container.logs({ stdout: true, stderr: false }));
        return parseImageRecord(await stdoutOf(docker, logs));
    }
    finally {
        await container.remove({ force: true });
    }
}
async function firstFileOf(archive) {
    const reader = (0,tar_stream.extract)();
    let text;
    reader.on("entry", (header, stream, next) => {
        const chunks = [];
        stream.on("data", (c) => chunks.push(c));
        stream.on("end", () => {
            if (text === undefined && header.type === "file")
                text = Buffer.concat(chunks).toString("utf8");
            next();
        });
        stream.resume();
    });
    await new Promise((resolve, reject) => {
        reader.on("finish", resolve);
        reader.on("error", reject);
        archive.pipe(reader);
    });
    return text;
}
/** The stdout of a container log (8-byte frame headers when non-TTY), split by the engine client's own `demuxStream`. */
async function stdoutOf(docker, logs) {
    const stdout = new external_node_stream_.PassThrough();
    const text = new Promise((resolve) => {
        const chunks = [];
        stdout.on("data", (c) => chunks.push(c));
        stdout.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    const source = external_node_stream_.Readable.from([logs]);
    await new Promise((resolve, reject) => {
        source.on("end", resolve);
        source.on("error", reject);
        docker.modem.demuxStream(source, stdout, new external_node_stream_.PassThrough().resume());
    });
    stdout.end();
    return text;
}
//# sourceMappingURL=image-record.js.map
;// CONCATENATED MODULE: ../image/dist/platform.js

/** The conda subdir for each platform (conda calls 64-bit ARM `linux-aarch64`). */
const CONDA_SUBDIR = {
    "linux/amd64": "linux-64",
    "linux/arm64": "linux-aarch64",
};
/** Checks a platform string given by a user. */
function parsePlatform(value, option = "platform") {
    if (value === "linux/amd64" || value === "linux/arm64")
        return value;
    throw new ImageConfigError(option, `"${value}" is not supported; use linux/amd64 (Fargate X86_64) or linux/arm64 (Fargate ARM64)`);
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ../image/dist/version.js
/** The generator's version; it is part of every content hash, so a new generator rebuilds images. Kept equal to package.json by a test. */
const GENERATOR_VERSION = "0.1.0";
/** The generator's name as written into image labels. */
const GENERATOR_NAME = "dask-fargate-action/image";
//# sourceMappingURL=version.js.map
;// CONCATENATED MODULE: ../image/dist/render-dockerfile.js








/** The default base: the micromamba image, pinned by tag (a digest is accepted as well). */
const DEFAULT_BASE_IMAGE = "mambaorg/micromamba:2.0.5";
/** Label keys this package writes. */
const LABELS = {
    contentHash: "io.dask-fargate-action.content-hash",
    generator: "io.dask-fargate-action.generator",
    sourceFile: "io.dask-fargate-action.source-file",
    daskVersion: "io.dask-fargate-action.dask-version",
    distributedVersion: "io.dask-fargate-action.distributed-version",
    pythonVersion: "io.dask-fargate-action.python-version",
    /** Where the image keeps its record of installed packages (image-record.ts). */
    record: "io.dask-fargate-action.record",
    /** On a record companion (record-companion.ts): the digest of the image whose record it holds. */
    recordOf: "io.dask-fargate-action.record-of",
    baseName: "org.opencontainers.image.base.name",
};
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
/**
 * Renders the Dockerfile and build context for an environment. Pure and deterministic: the same
 * inputs give byte-identical output. User text reaches the build only inside generated files that
 * are COPY'd (conda-environment.yml, requirements.txt) or as escaped ENV/LABEL values; RUN lines
 * hold only fixed text.
 */
function renderBuildContext(spec, options = {}) {
    const baseImage = options.baseImage ?? DEFAULT_BASE_IMAGE;
    const base = parseImageReference(baseImage, "base-image");
    if (!base.tag && !base.digest)
        throw new ImageConfigError("base-image", `"${baseImage}" is not pinned; add a tag or a digest, e.g. ${DEFAULT_BASE_IMAGE}`);
    const installer = options.installer ?? (/(^|\/)micromamba$/.test(base.repository) ? "micromamba" : "pip");
    const platform = options.platform ?? "linux/amd64";
    const buildArgNames = [...(options.buildArgNames ?? [])].sort();
    for (const name of buildArgNames) {
        if (!ARG_NAME.test(name))
            throw new ImageConfigError("build-args", `"${name}" is not a valid build-arg name; use letters, digits and '_'`);
    }
    const userLabels = Object.entries(options.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [key, value] of userLabels) {
        if (!LABEL_KEY.test(key))
            throw new ImageConfigError("labels", `"${key}" is not a valid label key; use lower-case reverse-DNS such as com.example.team`);
        if (/[\n\r\0]/.test(value))
            throw new ImageConfigError("labels", `the value of "${key}" contains a line break`);
    }
    if (installer === "pip" && spec.kind !== "requirements") {
        throw new ImageConfigError("base-image", `"${baseImage}" has no conda, so it can only install a pip requirements file, not ${spec.sourceFile}; use a micromamba base image (e.g. ${DEFAULT_BASE_IMAGE}) or a requirements.txt`);
    }
    const notices = [...spec.notices];
    const needsGit = spec.pip.some((r) => r.kind === "vcs");
    const files = new Map();
    if (installer === "micromamba") {
        if (spec.kind === "explicit-lockfile") {
            files.set(CONTEXT_FILES.condaExplicit, Buffer.from(`@EXPLICIT\n${spec.explicit.map((p) => p.url).join("\n")}\n`));
            if (!spec.explicit.some((p) => p.name === "tini"))
                notices.push(`${spec.sourceFile}: the lockfile has no tini, so the image has no init process; run it with an init (ECS initProcessEnabled, docker --init)`);
        }
        else {
            if (spec.channels.length === 0)
                notices.push(`${spec.sourceFile}: no channels are listed; using conda-forge`);
            files.set(CONTEXT_FILES.condaEnvironment, Buffer.from(condaEnvironmentFile(spec, CONDA_SUBDIR[platform], needsGit)));
        }
    }
    if (spec.pip.length > 0) {
        files.set(CONTEXT_FILES.requirements, Buffer.from(`${spec.pip.map((r) => r.normalised).join("\n")}\n`));
    }
    for (const file of spec.localFiles)
        files.set(file.contextPath, file.content);
    const generator = `${GENERATOR_NAME} ${GENERATOR_VERSION}`;
    const labels = {
        ...Object.fromEntries(userLabels),
        [LABELS.generator]: generator,
        [LABELS.sourceFile]: spec.sourceFile,
        [LABELS.daskVersion]: spec.daskVersion,
        [LABELS.distributedVersion]: spec.distributedVersion,
        [LABELS.baseName]: baseImage,
        [LABELS.record]: RECORD_PATHS[installer],
    };
    if (spec.pythonVersion)
        labels[LABELS.pythonVersion] = spec.pythonVersion;
    const parts = { spec, baseImage, installer, platform, buildArgNames, needsGit, hasLocal: spec.localFiles.length > 0, generator };
    // The Dockerfile is hashed too (before its content-hash label exists): a change in how images are
    // built, such as a fix to a RUN line, gives new tags instead of reusing images built the old way.
    const recipe = Buffer.from(dockerfileText({ ...parts, labels }));
    const contentHash = computeContentHash({
        generator,
        baseImage,
        platform,
        installer,
        buildArgNames,
        labels: userLabels,
        variables: spec.variables,
        sourceFile: spec.sourceFile,
        files: new Map([...files, [CONTEXT_FILES.dockerfile, recipe]]),
    });
    labels[LABELS.contentHash] = contentHash;
    const dockerfile = dockerfileText({ ...parts, labels });
    files.set(CONTEXT_FILES.dockerfile, Buffer.from(dockerfile));
    return { dockerfile, files, contentHash, tag: contentTag(contentHash), baseImage, installer, platform, labels, notices };
}
function condaEnvironmentFile(spec, subdir, needsGit) {
    const dependencies = spec.conda.map((d) => d.normalised);
    const names = new Set(spec.conda.map((d) => d.name));
    // The micromamba base environment is empty: a pip-only file still needs Python and pip from conda.
    const extra = [...(spec.kind === "requirements" ? ["python", "pip"] : []), "tini", ...(needsGit ? ["git"] : [])].filter((name) => !names.has(name));
    const doc = {
        channels: spec.channels.length > 0 ? [...spec.channels] : ["conda-forge"],
        dependencies: [...dependencies, ...extra].sort(),
    };
    return `# Generated by ${GENERATOR_NAME} ${GENERATOR_VERSION} from ${spec.sourceFile} for ${subdir}. Do not edit.\n${(0,dist/* stringify */.As)(doc)}`;
}
function dockerfileText(p) {
    const lines = [
        `# Generated by ${p.generator} from ${quoteComment(p.spec.sourceFile)}. Do not edit: change the environment file instead.`,
        `FROM ${p.baseImage}`,
    ];
    const args = p.buildArgNames.map((name) => `ARG ${name}`);
    const pipFlags = "--no-cache-dir --disable-pip-version-check --no-warn-script-location";
    const requirements = `${BUILD_DIR}/${CONTEXT_FILES.requirements}`;
    // Each RUN that reads the build directory removes it as its last command, so no layer after the
    // install holds it. The COPY layers below it still carry these files: that is why the environment
    // file may hold no credentials (see url-credentials.ts). COPY --chown makes the directory the
    // user's, so micromamba's non-root user can remove it.
    const removeBuildDir = `    && rm -rf ${BUILD_DIR}`;
    if (p.installer === "micromamba") {
        const chown = "--chown=$MAMBA_USER:$MAMBA_USER";
        // Runs every RUN below inside the activated base environment (micromamba image convention).
        lines.push("ARG MAMBA_DOCKERFILE_ACTIVATE=1", ...args);
        const condaFile = p.spec.kind === "explicit-lockfile" ? CONTEXT_FILES.condaExplicit : CONTEXT_FILES.condaEnvironment;
        lines.push(`COPY ${chown} ${condaFile} ${BUILD_DIR}/${condaFile}`, `RUN micromamba install --yes --name base --platform ${CONDA_SUBDIR[p.platform]} --file ${BUILD_DIR}/${condaFile} \\`, "    && micromamba clean --all --yes \\", removeBuildDir);
        if (p.spec.pip.length > 0) {
            lines.push(`COPY ${chown} ${CONTEXT_FILES.requirements} ${requirements}`);
            if (p.hasLocal)
                lines.push(`COPY ${chown} ${CONTEXT_FILES.localDir} ${BUILD_DIR}/${CONTEXT_FILES.localDir}`);
            lines.push(`RUN python -m pip install ${pipFlags} --requirement ${requirements} \\`, removeBuildDir);
        }
    }
    else {
        const system = ["tini", ...(p.needsGit ? ["git"] : [])];
        lines.push("USER root", ...args, 
        // Installs tini (and git) only when the base lacks them, so offline bases that ship them build offline.
        `RUN ${system.map((tool) => `command -v ${tool} >/dev/null`).join(" && ")} \\`, `    || (apt-get update && apt-get install --yes --no-install-recommends ${system.join(" ")} && rm -rf /var/lib/apt/lists/*)`, "RUN id -u dask >/dev/null 2>&1 || useradd --create-home --uid 1000 --user-group --shell /bin/sh dask", `COPY ${CONTEXT_FILES.requirements} ${requirements}`);
        if (p.hasLocal)
            lines.push(`COPY ${CONTEXT_FILES.localDir} ${BUILD_DIR}/${CONTEXT_FILES.localDir}`);
        // The image has one purpose, so pip may install into the system Python (PEP 668's guard is for shared systems).
        lines.push(`RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install ${pipFlags} --requirement ${requirements} \\`, removeBuildDir);
    }
    // The record of what was installed, written by a fixed program after the installs (image-record.ts).
    const record = RECORD_PATHS[p.installer];
    const python = p.installer === "micromamba" ? "python" : "python3";
    lines.push(`RUN mkdir -p ${record.slice(0, record.lastIndexOf("/"))} && ${python} -c "${RECORD_PROGRAM}" > ${record}`);
    for (const [name, value] of p.spec.variables)
        lines.push(`ENV ${name}=${quote(value)}`);
    for (const [key, value] of Object.entries(p.labels).sort(([a], [b]) => (a < b ? -1 : 1)))
        lines.push(`LABEL ${key}=${quote(value)}`);
    if (p.installer === "micromamba") {
        const init = p.spec.kind === "explicit-lockfile" && !p.spec.explicit.some((x) => x.name === "tini") ? [] : ["tini", "-g", "--"];
        lines.push(`ENTRYPOINT ${JSON.stringify(["/usr/local/bin/_entrypoint.sh", ...init])}`, 'CMD ["python"]');
    }
    else {
        lines.push("USER dask", "WORKDIR /home/dask", `ENTRYPOINT ${JSON.stringify(["tini", "-g", "--"])}`, 'CMD ["python3"]');
    }
    return `${lines.join("\n")}\n`;
}
/** Double-quotes a value for ENV and LABEL; `$` is escaped so the builder does not expand it. */
function quote(value) {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$/g, "\\$")}"`;
}
function quoteComment(text) {
    return text.replace(/[\r\n]/g, " ");
}
//# sourceMappingURL=render-dockerfile.js.map
;// CONCATENATED MODULE: ../image/dist/session-mounts.js

/**
 * Refuses `RUN --mount=type=secret` and `RUN --mount=type=ssh` before a build: BuildKit serves them through a
 * session the client opens next to the build (the Docker CLI's `--secret`/`--ssh`), and a build through the
 * Engine API's `POST /build` has none, so the builder would fail late with "invalid mountinput".
 */
function checkSessionMounts(dockerfile, file) {
    const lines = dockerfile.split(/\r?\n/);
    for (const [index, line] of lines.entries()) {
        if (/^\s*#/.test(line))
            continue;
        for (const match of line.matchAll(/--mount=(\S+)/g)) {
            const type = /(?:^|,)type=([a-z]+)/.exec(match[1] ?? "")?.[1];
            if (type !== "secret" && type !== "ssh")
                continue;
            const fix = type === "secret"
                ? "put what the step needs into the build context before the build (e.g. download private wheels into a directory the Dockerfile COPYs or bind-mounts), or use an index that needs no credentials"
                : "clone or vendor what the step fetches over SSH into the build context before the build, and COPY or bind-mount it";
            throw new ImageConfigError("dockerfile", `${file}:${index + 1}: RUN --mount=type=${type} needs a BuildKit session, which builds through the Docker Engine API do not open; ${fix}`);
        }
    }
}
//# sourceMappingURL=session-mounts.js.map
;// CONCATENATED MODULE: ../image/dist/dockerfile-project.js










/** The tag prefix of images built from a user's Dockerfile (environment files give `env-`). */
const DOCKERFILE_TAG_PREFIX = "dockerfile-";
/** The context name of a Dockerfile that lies outside its context (the Docker CLI adds such a file too, under a random name). */
const OUTSIDE_DOCKERFILE_NAME = ".dockerfile.dask-fargate";
/**
 * Reads a Dockerfile and its build context and computes the content hash. Refuses, before anything is
 * built: a missing Dockerfile or context, either of them outside the workspace, and a `.dockerignore`
 * that excludes the Dockerfile. Every `FROM` not pinned by digest gets a notice.
 */
async function loadDockerfileProject(options) {
    const workspace = await realDirectory(options.workspace ?? process.cwd(), "workspace");
    const dockerfileReal = await realFile(options.dockerfile, workspace);
    const contextGiven = options.context ?? (0,external_node_path_.dirname)(options.dockerfile);
    const contextDir = await realContext(contextGiven, options.context !== undefined, workspace);
    const sourceFile = toPosix((0,external_node_path_.relative)(workspace, dockerfileReal));
    const insideContext = isInside(contextDir, dockerfileReal);
    const dockerfilePath = insideContext ? toPosix((0,external_node_path_.relative)(contextDir, dockerfileReal)) : OUTSIDE_DOCKERFILE_NAME;
    const rules = await readIgnoreRules(contextDir);
    if (rules && insideContext && rules.ignores(dockerfilePath)) {
        const pattern = excludingPattern(rules, dockerfilePath);
        throw new ImageConfigError("dockerfile", `${rules.file}${pattern ? `:${pattern.line}` : ""} excludes the Dockerfile "${dockerfilePath}" from the build context` +
            `${pattern ? ` (pattern "${pattern.text}")` : ""}; the Dockerfile must be part of what is sent and hashed. ` +
            `Fix: add the line "!${dockerfilePath}" after that pattern in .dockerignore`);
    }
    const text = await (0,promises_.readFile)(dockerfileReal);
    const walked = await walkContext(contextDir, rules);
    const entries = insideContext
        ? walked
        : [...walked, { path: OUTSIDE_DOCKERFILE_NAME, type: "file", mode: 0o644, content: text }].sort((a, b) => compare(a.path, b.path));
    const platform = options.platform ?? "linux/amd64";
    const buildArgs = Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => compare(a, b));
    const userLabels = Object.entries(options.labels ?? {}).sort(([a], [b]) => compare(a, b));
    const generator = `${GENERATOR_NAME}@${GENERATOR_VERSION}`;
    const target = options.target;
    const contentHash = hashDockerfileProject({
        generator,
        dockerfilePath,
        sourceFile,
        platform,
        buildArgs,
        labels: userLabels,
        entries,
        // Only when given, so the content tags of Dockerfiles built without a target stay what they were.
        ...(target !== undefined ? { target } : {}),
    });
    const dockerfile = text.toString("utf8");
    checkSessionMounts(dockerfile, sourceFile);
    const { baseImages, notices, stages } = inspectFromLines(dockerfile, sourceFile, options.buildArgs ?? {});
    if (target !== undefined && !stages.includes(target.toLowerCase())) {
        throw new ImageConfigError("target", `${sourceFile} has no stage "${target}"; ${stages.length > 0 ? `its stages are ${stages.join(", ")}` : "it names no stage (FROM … AS <name>)"}; give one of them or remove target`);
    }
    return {
        kind: "dockerfile",
        dockerfile,
        dockerfilePath,
        sourceFile,
        contextDir,
        entries,
        contentHash,
        tag: `${DOCKERFILE_TAG_PREFIX}${contentHash.slice(0, TAG_HASH_LENGTH)}`,
        platform,
        labels: Object.fromEntries([...userLabels, [LABELS.contentHash, contentHash], [LABELS.generator, generator], [LABELS.sourceFile, sourceFile]]),
        baseImages,
        notices,
        ...(target !== undefined ? { target } : {}),
    };
}
/**
 * sha256 over a canonical JSON: the generator (so a change in how contexts are sent rebuilds), where the
 * Dockerfile is, the platform, build-arg names and values, labels, and every context entry (path, type,
 * permission bits, and the sha256 of a file's bytes or a link's target). Modes count because COPY keeps them.
 */
function hashDockerfileProject(inputs) {
    const entries = inputs.entries.map((entry) => entry.type === "file"
        ? [entry.path, "file", entry.mode.toString(8), (0,external_node_crypto_.createHash)("sha256").update(entry.content).digest("hex")]
        : entry.type === "directory"
            ? [entry.path, "directory", entry.mode.toString(8)]
            : [entry.path, "symlink", entry.target]);
    return (0,external_node_crypto_.createHash)("sha256")
        .update(JSON.stringify({ kind: "dockerfile", ...inputs, entries }))
        .digest("hex");
}
/**
 * The `FROM` lines of a Dockerfile: base images (stage names and `scratch` left out) and a notice for
 * each that is not pinned by digest. Follows the Dockerfile syntax the hash depends on: the `escape`
 * parser directive, line continuations, comment lines, `--platform=` flags, and `$NAME`/`${NAME}` from
 * ARGs declared before the first FROM (overridden by build args).
 */
function inspectFromLines(dockerfile, file, buildArgs) {
    const lines = dockerfile.split(/\r?\n/);
    let escapeChar = "\\";
    for (const line of lines) {
        const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
        if (!directive)
            break;
        if (directive[1]?.toLowerCase() === "escape" && (directive[2] === "`" || directive[2] === "\\"))
            escapeChar = directive[2];
    }
    const args = {};
    const stages = new Set();
    const baseImages = [];
    const notices = [];
    let seenFrom = false;
    for (let index = 0; index < lines.length; index++) {
        const start = index + 1;
        let logical = "";
        let line = lines[index] ?? "";
        if (/^\s*#/.test(line))
            continue;
        // A trailing escape continues the instruction; comment lines inside it are dropped.
        while (line.trimEnd().endsWith(escapeChar) && index + 1 < lines.length) {
            logical += line.trimEnd().slice(0, -1);
            index++;
            line = lines[index] ?? "";
            while (/^\s*#/.test(line) && index + 1 < lines.length) {
                index++;
                line = lines[index] ?? "";
            }
        }
        logical = `${logical}${line}`.trim();
        if (logical === "" || logical.startsWith("#"))
            continue;
        const [keyword = "", ...words] = logical.split(/\s+/);
        const instruction = keyword.toUpperCase();
        if (instruction === "ARG" && !seenFrom) {
            for (const word of words) {
                const [name = "", value] = word.split(/=(.*)/s);
                args[name] = buildArgs[name] ?? unquote(value ?? "");
            }
        }
        if (instruction !== "FROM")
            continue;
        seenFrom = true;
        const operands = words.filter((w) => !w.startsWith("--"));
        const written = operands[0] ?? "";
        if (operands[1]?.toUpperCase() === "AS" && operands[2])
            stages.add(operands[2].toLowerCase());
        const image = written.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced, bare) => {
            const name = braced ?? bare ?? "";
            return buildArgs[name] ?? args[name] ?? "";
        });
        if (image === "" || image.toLowerCase() === "scratch" || (stages.has(image.toLowerCase()) && !/[:@/]/.test(image)))
            continue;
        baseImages.push(image);
        const shown = image === written ? `FROM ${written}` : `FROM ${written} (${image})`;
        let digest;
        try {
            digest = parseImageReference(image, "dockerfile").digest;
        }
        catch {
            notices.push(`${file}:${start}: ${shown} is not an image reference this tool can check; the content tag cannot tell when its base changes`);
            continue;
        }
        if (!digest) {
            notices.push(`${file}:${start}: ${shown} is not pinned by digest: the content tag covers the Dockerfile's text, not what the registry serves under that tag, ` +
                `so a base that moved upstream is not rebuilt (and a rebuild may get another base); pin it, e.g. FROM ${image.split("@")[0]}@sha256:<digest>`);
        }
    }
    return { baseImages, notices, stages: [...stages] };
}
function unquote(value) {
    return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}
async function realDirectory(path, option) {
    try {
        const real = await (0,promises_.realpath)(path);
        if ((await (0,promises_.stat)(real)).isDirectory())
            return real;
    }
    catch {
        // reported below
    }
    throw new ImageConfigError(option, `"${path}" is not a directory; give the repository's checkout directory`);
}
async function realFile(given, workspace) {
    const absolute = (0,external_node_path_.resolve)(given);
    let real;
    try {
        real = await (0,promises_.realpath)(absolute);
    }
    catch {
        throw new ImageConfigError("dockerfile", `"${given}" does not exist (looked for ${absolute}); give the path of your Dockerfile from the repository root, e.g. docker/Dockerfile`);
    }
    if (!isInside(workspace, real)) {
        throw new ImageConfigError("dockerfile", `"${given}" resolves to ${real}, outside the repository ${workspace}; the Dockerfile must be part of the checkout: move it inside ${workspace}`);
    }
    if (!(await (0,promises_.stat)(real)).isFile())
        throw new ImageConfigError("dockerfile", `"${given}" (${real}) is not a file; give the path of the Dockerfile itself`);
    return real;
}
async function realContext(given, explicit, workspace) {
    const option = explicit ? "context" : "dockerfile";
    const absolute = (0,external_node_path_.resolve)(given);
    let real;
    try {
        real = await (0,promises_.realpath)(absolute);
    }
    catch {
        throw new ImageConfigError(option, `the build context "${given}" does not exist (looked for ${absolute}); give a directory of the repository, e.g. "."`);
    }
    if (!isInside(workspace, real)) {
        throw new ImageConfigError(option, `the build context "${given}" resolves to ${real}, outside the repository ${workspace}; everything in the context is sent to the engine ` +
            `and may be copied into the image, so it must be inside the checkout: give a directory inside ${workspace}, e.g. "."`);
    }
    if (!(await (0,promises_.stat)(real)).isDirectory())
        throw new ImageConfigError(option, `the build context "${given}" (${real}) is not a directory; give a directory, e.g. "."`);
    return real;
}
function isInside(root, path) {
    const inside = (0,external_node_path_.relative)(root, path);
    return inside === "" || (inside !== ".." && !inside.startsWith(`..${external_node_path_.sep}`) && !(0,external_node_path_.isAbsolute)(inside));
}
function toPosix(path) {
    return path.split(external_node_path_.sep).join("/");
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
//# sourceMappingURL=dockerfile-project.js.map
// EXTERNAL MODULE: ../../node_modules/dockerode/lib/docker.js
var lib_docker = __webpack_require__(65292);
;// CONCATENATED MODULE: ../image/dist/registry-client.js

/** The manifest media types this client accepts: OCI and Docker, single-platform and multi-platform. */
const MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
/** The base URL of a registry's v2 API. */
function registryBaseUrl(registry, insecure) {
    const host = registry === "docker.io" ? "registry-1.docker.io" : registry;
    const plain = insecure ?? /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(registry);
    return `${plain ? "http" : "https"}://${host}`;
}
/**
 * Asks a registry (v2 API) whether `repository:tag` exists, with Basic or Bearer-token auth as the
 * registry demands. Returns the manifest digest, or undefined when the tag does not exist.
 */
async function findRemoteManifest(ref, tag, options = {}) {
    const doFetch = options.fetch ?? fetch;
    const url = `${registryBaseUrl(ref.registry, options.insecure)}/v2/${ref.repository}/manifests/${tag}`;
    const request = async (authorization) => {
        try {
            return await doFetch(url, { method: "HEAD", headers: { Accept: MANIFEST_TYPES, ...(authorization ? { Authorization: authorization } : {}) } });
        }
        catch (error) {
            throw new RegistryError(ref.registry, `cannot reach ${url} (${error.message})`, undefined, { cause: error });
        }
    };
    let response = await request();
    if (response.status === 401) {
        const challenge = response.headers.get("www-authenticate") ?? "";
        response = await request(await authorizationFor(challenge, ref, url, options, doFetch));
    }
    if (response.status === 404)
        return undefined;
    if (response.status === 401 || response.status === 403) {
        throw new RegistryError(ref.registry, `access to ${ref.repository} was denied (HTTP ${response.status}); check the registry username and password or token`, response.status);
    }
    if (!response.ok)
        throw new RegistryError(ref.registry, `manifest lookup for ${ref.repository}:${tag} answered HTTP ${response.status}`, response.status);
    const digest = response.headers.get("docker-content-digest");
    if (!digest)
        throw new RegistryError(ref.registry, `the registry did not return a digest for ${ref.repository}:${tag}`);
    return digest;
}
async function authorizationFor(challenge, ref, registryUrl, options, doFetch) {
    const login = options.login;
    const basic = login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` : undefined;
    if (/^basic/i.test(challenge)) {
        if (!basic)
            throw new RegistryError(ref.registry, `${ref.repository} needs a login; give registry credentials`, 401);
        return basic;
    }
    if (!/^bearer/i.test(challenge))
        throw new RegistryError(ref.registry, `unsupported authentication challenge "${challenge.split(" ")[0]}"`, 401);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const realm = params.realm;
    if (!realm)
        throw new RegistryError(ref.registry, "the bearer challenge names no token realm", 401);
    let tokenUrl;
    try {
        tokenUrl = new URL(realm);
    }
    catch {
        throw new RegistryError(ref.registry, `the bearer challenge's token realm "${realm}" is not a URL`, 401);
    }
    if (basic)
        refuseCredentialsTo(tokenUrl, registryUrl, ref);
    if (params.service)
        tokenUrl.searchParams.set("service", params.service);
    tokenUrl.searchParams.set("scope", params.scope ?? `repository:${ref.repository}:pull`);
    const answer = await doFetch(tokenUrl.toString(), { headers: basic ? { Authorization: basic } : {} });
    if (answer.status === 401 || answer.status === 403) {
        throw new RegistryError(ref.registry, `the token service refused the login (HTTP ${answer.status}); check the registry username and password or token`, answer.status);
    }
    if (!answer.ok)
        throw new RegistryError(ref.registry, `the token service answered HTTP ${answer.status}`, answer.status);
    const body = (await answer.json());
    const token = body.token ?? body.access_token;
    if (!token)
        throw new RegistryError(ref.registry, "the token service returned no token", answer.status);
    return `Bearer ${token}`;
}
/**
 * Throws unless Basic credentials may go to the token realm a registry named. The realm is whatever the registry's
 * 401 says (the token authentication spec, https://distribution.github.io/distribution/spec/auth/token: the client
 * asks the realm for a token; its JWT page: "the registry client in the Docker Engine only supports Basic
 * Authentication to these token servers"), so
 * a registry, or whoever answers in its place over plain http, could name any server. Basic sends the password
 * readable by anyone on the path (RFC 7617, section 4), so the realm must be https, or plain http only on the very
 * host of a registry that was itself reached over http (a loopback registry in tests, an insecure registry the
 * user chose): then the password already crossed that link.
 */
function refuseCredentialsTo(realm, registryUrl, ref) {
    if (realm.protocol === "https:")
        return;
    const registry = new URL(registryUrl);
    if (realm.protocol === "http:" && registry.protocol === "http:" && realm.hostname === registry.hostname)
        return;
    const shown = `${realm.protocol}//${realm.host}${realm.pathname}`;
    throw new RegistryError(ref.registry, `the registry sent its token realm as ${shown}, and the registry credentials are not sent there: a token realm must be https ` +
        `(or plain http on the registry's own host when the registry itself is reached over http). Check the registry address, ` +
        `or a proxy answering in its place`, 401);
}
/**
 * An authenticated GET on a registry's v2 API (`path` starts with `/v2/`), with Basic or Bearer-token auth as
 * the registry's challenge demands. Redirects (blob storage) are followed; fetch drops the Authorization header
 * when a redirect leaves the registry's origin.
 */
async function registryGet(ref, path, accept, options = {}) {
    const doFetch = options.fetch ?? fetch;
    const url = `${registryBaseUrl(ref.registry, options.insecure)}${path}`;
    const request = async (authorization) => {
        try {
            return await doFetch(url, { headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) } });
        }
        catch (error) {
            throw new RegistryError(ref.registry, `cannot reach ${url} (${error.message})`, undefined, { cause: error });
        }
    };
    const response = await request();
    if (response.status !== 401)
        return response;
    await response.body?.cancel();
    return request(await authorizationFor(response.headers.get("www-authenticate") ?? "", ref, url, options, doFetch));
}
//# sourceMappingURL=registry-client.js.map
;// CONCATENATED MODULE: ../image/dist/image-size.js


/**
 * The pull at a Fargate task's start, modelled as the emulator's realistic preset models it (packages/emulator,
 * lifecycle.ts REALISTIC_TIMING): 16.5 s plus 25 ms per MiB. It comes from AWS's sample task state change event
 * (Amazon ECS developer guide, "Amazon ECS task state change events": `pullStartedAt` 18 s after `createdAt`) and
 * the documented 30–90 s from RunTask to RUNNING with the pull its longest phase ("Task lifecycle"). The emulator's
 * timing-model test keeps its preset inside that range; the two must change together.
 */
const FARGATE_PULL_MODEL = { baseMs: 16_500, msPerMiB: 25 };
/** Above this compressed size a build warns: the pull alone is then about 42 s of every task's start. */
const PULL_WARNING_BYTES = 1024 * 1024 * 1024;
/** The pull time the model gives for `bytes` compressed. */
function estimatePullSeconds(bytes) {
    return Math.round((FARGATE_PULL_MODEL.baseMs + (bytes / 1024 / 1024) * FARGATE_PULL_MODEL.msPerMiB) / 100) / 10;
}
/** One line for logs, the CLI and the summary: `312 MiB compressed in 4 layers; pull at task start on Fargate ≈ 24.3 s`. */
function sizeText(size) {
    return `${(size.compressedBytes / 1024 / 1024).toFixed(0)} MiB compressed in ${size.layers} layers; pull at task start on Fargate ≈ ${size.estimatedPullSeconds} s`;
}
/** The warning above {@link PULL_WARNING_BYTES}, with what makes an image smaller; undefined below. */
function sizeWarning(size) {
    if (size.compressedBytes <= PULL_WARNING_BYTES)
        return undefined;
    return (`the image is ${sizeText(size)}, paid by every task that starts (scheduler, each worker, the job); to shrink it: ` +
        "keep build tools and caches out of the final image (a multi-stage build, RUN --mount=type=cache for pip and conda caches, " +
        "micromamba clean --all --yes), install only what the cluster imports, and start from a slim base. On ECR, a SOCI index " +
        "lets Fargate start before the pull ends (README, Image size and pull time)");
}
/** The size of `reference` (the platform's manifest of an index) from its registry, without pulling it. */
async function remoteImageSize(ref, reference, platform, options = {}) {
    const getJson = async (path) => {
        const response = await registryGet(ref, path, MANIFEST_TYPES, options);
        if (!response.ok)
            throw new RegistryError(ref.registry, `GET ${path} answered HTTP ${response.status}`, response.status);
        return (await response.json());
    };
    let manifest = await getJson(`/v2/${ref.repository}/manifests/${reference}`);
    if (manifest.manifests) {
        const [os, architecture] = platform.split("/");
        const entry = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture);
        if (!entry)
            return undefined;
        manifest = await getJson(`/v2/${ref.repository}/manifests/${entry.digest}`);
    }
    const layers = manifest.layers ?? [];
    const compressedBytes = layers.reduce((sum, l) => sum + (l.size ?? 0), 0) + (manifest.config?.size ?? 0);
    return { compressedBytes, layers: layers.length, estimatedPullSeconds: estimatePullSeconds(compressedBytes) };
}
//# sourceMappingURL=image-size.js.map
;// CONCATENATED MODULE: ../image/dist/did-you-mean.js
/** Returns the closest of `candidates` to `word` when it is a likely typo (edit distance ≤ 3), else undefined. */
function didYouMean(word, candidates) {
    let best;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return bestDistance <= Math.max(1, Math.min(3, Math.floor(word.length / 3))) ? best : undefined;
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}
//# sourceMappingURL=did-you-mean.js.map
;// CONCATENATED MODULE: ../image/dist/conda-environment-file.js



const KNOWN_KEYS = ["name", "channels", "dependencies", "variables", "prefix"];
const EXAMPLE = "dependencies:\n    - python=3.11\n    - dask\n    - pip:\n      - xgboost";
/**
 * Parses a conda `environment.yml` strictly: every problem becomes an {@link EnvironmentFileError}
 * with file, line and column and the change that fixes it. Specs are not validated here (see
 * `validate-environment.ts`); this step only checks the file's shape.
 */
function parseCondaEnvironmentFile(file, text) {
    const lines = new dist/* LineCounter */.HN();
    const at = (offset) => {
        const { line, col } = lines.linePos(offset);
        return { file, line, column: col };
    };
    const fail = (offset, problem, fix) => {
        throw new EnvironmentFileError(at(offset), problem, fix);
    };
    checkBeforeYaml(file, text);
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const yamlError = doc.errors[0];
    if (yamlError) {
        const offset = yamlError.pos[0];
        if (yamlError.code === "DUPLICATE_KEY") {
            const key = text.slice(offset).split(/[:\n]/)[0]?.trim() ?? "";
            fail(offset, `the key "${key}" appears twice in the same mapping`, `keep one "${key}:" and merge the entries of the other into it`);
        }
        fail(offset, `this is not valid YAML (${yamlError.message.split("\n")[0]})`, "check the indentation and quoting on this line; each dependency is a line '  - spec'");
    }
    const root = doc.contents;
    if (root === null || ((0,dist/* isScalar */.jn)(root) && (root.value === null || root.value === ""))) {
        fail(0, "the file holds no environment", `write at least:\n    ${EXAMPLE}`);
    }
    if ((0,dist/* isSeq */.oP)(root)) {
        fail(start(root), "the file is a list, but an environment file is a mapping", `put the list under a key, i.e. start the file with:\n    ${EXAMPLE}`);
    }
    if (!(0,dist/* isMap */.jh)(root)) {
        fail(start(root), "the file is a single value, but an environment file is a mapping", `write:\n    ${EXAMPLE}`);
    }
    const map = root;
    const notices = [];
    let name;
    let channels = [];
    let conda = [];
    let pip = [];
    let variables = [];
    let sawDependencies = false;
    for (const pair of map.items) {
        const keyNode = pair.key;
        const key = (0,dist/* isScalar */.jn)(keyNode) ? String(keyNode.value) : "";
        const keyOffset = start(keyNode);
        const value = pair.value;
        switch (key) {
            case "name":
                name = expectText(value, keyOffset, "name", "name: my-env");
                break;
            case "prefix":
                expectText(value, keyOffset, "prefix", "prefix: /opt/env");
                notices.push(`${file}: "prefix" is ignored: the image installs into its base environment`);
                break;
            case "channels":
                channels = expectTextList(value, keyOffset, "channels", "channels:\n    - conda-forge");
                break;
            case "variables":
                variables = readVariables(value, keyOffset);
                break;
            case "dependencies":
                sawDependencies = true;
                ({ conda, pip } = readDependencies(value, keyOffset));
                break;
            case "pip":
                fail(keyOffset, '"pip:" is at the top level, where conda ignores it', 'move it into the dependencies list as an item: "  - pip:" followed by its requirements indented below it');
                break;
            default: {
                const guess = didYouMean(key, KNOWN_KEYS);
                fail(keyOffset, `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`, guess ? `rename "${key}:" to "${guess}:"` : `use only the keys ${KNOWN_KEYS.join(", ")}`);
            }
        }
    }
    if (!sawDependencies) {
        fail(0, 'the file has no "dependencies:" key, so the environment would be empty', `add:\n    ${EXAMPLE}`);
    }
    return { file, kind: "conda-environment", name, channels, conda, explicit: [], pip, variables, notices };
    function start(node) {
        return node?.range?.[0] ?? 0;
    }
    function sourceOf(node) {
        const [from, to] = node.range ?? [0, 0];
        return text.slice(from, to).trim();
    }
    function positioned(node) {
        const { line, column } = at(start(node));
        return { text: String(node.value), line, column };
    }
    function expectText(value, keyOffset, key, example) {
        if (!(0,dist/* isScalar */.jn)(value) || value.value === null)
            fail(keyOffset, `"${key}" has no value`, `write e.g. ${example}`);
        const scalar = value;
        if (typeof scalar.value !== "string") {
            fail(start(scalar), `"${key}" must be text, but YAML reads ${sourceOf(scalar)} as a ${typeof scalar.value}`, `quote it: ${key}: "${sourceOf(scalar)}"`);
        }
        return scalar.value;
    }
    function expectTextList(value, keyOffset, key, example) {
        if (!(0,dist/* isSeq */.oP)(value))
            fail(value ? start(value) : keyOffset, `"${key}" must be a list`, `write:\n    ${example}`);
        return value.items.map((item) => {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== "string" || item.value.trim() === "") {
                fail(start(item), `this "${key}" entry must be text, but YAML reads it as ${describe(item)}`, `write one name per line, e.g.\n    ${example}`);
            }
            return positioned(item);
        });
    }
    function readVariables(value, keyOffset) {
        if (!(0,dist/* isMap */.jh)(value))
            fail(value ? start(value) : keyOffset, '"variables" must be a mapping of NAME: value', "write:\n    variables:\n      OMP_NUM_THREADS: '1'");
        return value.items.map((pair) => {
            const k = pair.key;
            const v = pair.value;
            const keyText = (0,dist/* isScalar */.jn)(k) ? String(k.value) : "";
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyText)) {
                fail(start(k), `"${keyText}" is not a valid environment variable name`, "use letters, digits and '_', not starting with a digit");
            }
            if (!(0,dist/* isScalar */.jn)(v) || v.value === null || typeof v.value === "object") {
                fail(v ? start(v) : start(k), `variable "${keyText}" needs a single value`, `write ${keyText}: "value"`);
            }
            // Numbers and booleans keep the text the user wrote ("1.10" stays "1.10", not 1.1).
            const raw = typeof v.value === "string" ? String(v.value) : sourceOf(v);
            if (/[\n\r\0]/.test(raw))
                fail(start(v), `variable "${keyText}" contains a line break`, "write the value on one line");
            const { line, column } = at(start(k));
            return { key: keyText, text: raw, line, column };
        });
    }
    function readDependencies(value, keyOffset) {
        if (value === null || ((0,dist/* isScalar */.jn)(value) && value.value === null)) {
            fail(keyOffset, '"dependencies" is empty', `list the packages:\n    ${EXAMPLE}`);
        }
        if (!(0,dist/* isSeq */.oP)(value)) {
            fail(start(value), '"dependencies" must be a list of package specs', `write each spec as "  - spec":\n    ${EXAMPLE}`);
        }
        const condaItems = [];
        let pipItems;
        for (const item of value.items) {
            if ((0,dist/* isScalar */.jn)(item) && typeof item.value === "string") {
                condaItems.push(positioned(item));
            }
            else if ((0,dist/* isScalar */.jn)(item) && typeof item.value === "number") {
                fail(start(item), `YAML reads ${sourceOf(item)} as the number ${item.value}, not a package spec`, `write the package and quote the version, e.g. - "python=${sourceOf(item)}"`);
            }
            else if ((0,dist/* isMap */.jh)(item)) {
                const first = item.items[0];
                const itemKey = first && (0,dist/* isScalar */.jn)(first.key) ? String(first.key.value) : "";
                const itemValue = first?.value;
                if (itemKey === "pip" && item.items.length === 1) {
                    if (pipItems)
                        fail(start(item), 'there is a second "- pip:" entry', "merge both pip lists into one");
                    pipItems = readPip(itemValue, start(item));
                }
                else if ((0,dist/* isScalar */.jn)(itemValue) && typeof itemValue.value === "number") {
                    fail(start(item), `"${sourceOf(item)}" is a mapping, and YAML reads its version as the number ${itemValue.value}`, `write it as a spec: - "${itemKey}=${sourceOf(itemValue)}"`);
                }
                else {
                    fail(start(item), `"${sourceOf(item).split("\n")[0]}" is a mapping, not a package spec`, `write "- ${itemKey}=<version>" for a conda package, or "- pip:" with a list below it`);
                }
            }
            else {
                fail(start(item), `this dependency is ${describe(item)}, not a package spec`, "write one spec per item, e.g. - numpy=1.26");
            }
        }
        return { conda: condaItems, pip: pipItems ?? [] };
    }
    function readPip(value, itemOffset) {
        if (!(0,dist/* isSeq */.oP)(value)) {
            fail(value ? start(value) : itemOffset, '"- pip:" must be followed by a list of requirements indented below it', "write:\n    - pip:\n      - xgboost>=2.0");
        }
        return value.items.map((item) => {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== "string") {
                const reads = (0,dist/* isScalar */.jn)(item) && typeof item.value === "number" ? `the number ${item.value}` : describe(item);
                fail(start(item), `this pip requirement is ${reads}, not text`, `quote it, e.g. - "pkg==${(0,dist/* isScalar */.jn)(item) ? sourceOf(item) : "1.0"}"`);
            }
            return positioned(item);
        });
    }
}
function describe(node) {
    if (node === null)
        return "empty";
    if ((0,dist/* isMap */.jh)(node))
        return "a mapping";
    if ((0,dist/* isSeq */.oP)(node))
        return "a list";
    if ((0,dist/* isScalar */.jn)(node))
        return node.value === null ? "empty" : `a ${typeof node.value}`;
    return "not text";
}
/** Shape checks that give better messages than a YAML parser error for common mistakes. */
function checkBeforeYaml(file, text) {
    const lines = text.split(/\r?\n/);
    const significant = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== "" && !l.trim().startsWith("#"));
    if (significant.length === 0) {
        throw new EnvironmentFileError({ file, line: 1, column: 1 }, "the file is empty", `write at least:\n    ${EXAMPLE}`);
    }
    for (const [i, l] of lines.entries()) {
        const tab = /^[ ]*\t/.exec(l);
        if (tab) {
            throw new EnvironmentFileError({ file, line: i + 1, column: tab[0].length }, "a tab is used for indentation, which YAML forbids", "indent with spaces (two per level)");
        }
    }
    const first = significant[0];
    const second = significant[1];
    if (first && !/^\s*-\s/.test(first.l) && !/^[^#]*:(\s|$)/.test(first.l) && second && /^\s+-\s/.test(second.l)) {
        // The tutorial's snippet: a bare "python=3.8.3" line followed by an indented list.
        const spec = first.l.trim();
        throw new EnvironmentFileError({ file, line: first.i + 1, column: first.l.indexOf(spec) + 1 }, `"${spec}" stands where a key belongs: the list below it has no "dependencies:" key`, `replace line ${first.i + 1} with these two lines:\n    dependencies:\n      - ${spec}`);
    }
}
//# sourceMappingURL=conda-environment-file.js.map
;// CONCATENATED MODULE: ../image/dist/explicit-lockfile.js

/** True when the text is an explicit conda lockfile (`conda list --explicit`, conda-lock's `--kind explicit`). */
function isExplicitLockfile(text) {
    return /^@EXPLICIT\s*$/m.test(text);
}
/**
 * Parses an explicit conda lockfile: comments, the `@EXPLICIT` marker, then one package URL per line
 * (optionally followed by `#md5` or `#sha256`). Installing it never re-solves.
 */
function parseExplicitLockfile(file, text) {
    const explicit = [];
    let sawMarker = false;
    for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
        const line = rawLine.trim();
        if (line === "" || line.startsWith("#"))
            continue;
        const position = { file, line: index + 1, column: rawLine.indexOf(line) + 1 };
        if (line === "@EXPLICIT") {
            sawMarker = true;
            continue;
        }
        if (!sawMarker) {
            throw new EnvironmentFileError(position, `"${line}" comes before the @EXPLICIT line`, "an explicit lockfile lists package URLs only after its @EXPLICIT line; regenerate it with `conda list --explicit --md5` or conda-lock");
        }
        explicit.push({ text: line, line: position.line, column: position.column });
    }
    if (explicit.length === 0) {
        throw new EnvironmentFileError({ file, line: 1, column: 1 }, "the lockfile lists no packages after @EXPLICIT", "regenerate it with `conda list --explicit --md5` from a working environment");
    }
    return { file, kind: "explicit-lockfile", name: undefined, channels: [], conda: [], explicit, pip: [], variables: [], notices: [] };
}
//# sourceMappingURL=explicit-lockfile.js.map
;// CONCATENATED MODULE: ../image/dist/local-files.js



/** Directories never copied from a local project: build noise, and `.git`, which can hold credentials. */
const SKIPPED_DIRECTORIES = new Set([".git", "__pycache__", ".venv", "node_modules", ".mypy_cache", ".pytest_cache"]);
/**
 * Reads a local wheel or project directory for the build context. Every path is resolved with
 * `realpath` first, and the result (and every file and link inside a directory) must stay inside
 * `root`, the environment file's real directory, and outside skipped directories such as `.git`:
 * a symbolic link must not carry files from elsewhere on the machine into the image.
 * Returns the files, or the problem when something resolves outside or cannot be read.
 */
async function readLocalRequirement(root, written, localPath) {
    const requirement = `the local requirement "${written}"`;
    try {
        return await readChecked(root, requirement, localPath);
    }
    catch (error) {
        const { code, path } = error;
        return {
            problem: `${requirement} cannot be read: ${code ?? String(error)}${path ? ` on "${path}"` : ""}`,
            fix: "make the wheel or project readable by the user that runs the build",
        };
    }
}
async function readChecked(root, requirement, localPath) {
    let real;
    try {
        real = await (0,promises_.realpath)((0,external_node_path_.join)(root, localPath));
    }
    catch {
        return missing(requirement, (0,external_node_path_.join)(root, localPath));
    }
    const place = placeOf(root, real);
    if (place === OUTSIDE) {
        // The written path has no ".." (the parser refuses it), so only a symbolic link can lead out.
        return {
            problem: `${requirement} resolves to "${real}" through a symbolic link, outside the environment file's directory "${root}"`,
            fix: `put a real copy of the wheel or project inside ${root} (not a link to it), or remove the requirement`,
        };
    }
    if (place)
        return { problem: `${requirement} resolves to "${real}", ${skippedText(place)}`, fix: `list the wheel or project directory itself, outside ${place}` };
    const info = await (0,promises_.stat)(real);
    if (info.isFile())
        return [{ contextPath: `${CONTEXT_FILES.localDir}/${localPath}`, content: await (0,promises_.readFile)(real) }];
    if (!info.isDirectory())
        return missing(requirement, real);
    const walk = { root, requirement, projectName: localPath.split("/").pop() ?? localPath, project: real, files: [] };
    const problem = await readDirectory(walk, { real, contextPath: localPath, ancestors: [real] });
    if (problem)
        return problem;
    return walk.files.length > 0 ? walk.files : missing(requirement, real);
}
/**
 * Copies a directory's regular files, sorted, into `walk.files`. A symbolic link is followed only when its
 * target stays inside the root (and outside skipped directories) and does not lead back into a
 * directory being walked; any other link is a problem naming the link. Sockets and FIFOs are skipped.
 */
async function readDirectory(walk, directory) {
    const { real: realDir, contextPath, ancestors } = directory;
    const entries = (await (0,promises_.readdir)(realDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
        if (SKIPPED_DIRECTORIES.has(entry.name))
            continue;
        const path = (0,external_node_path_.join)(realDir, entry.name);
        const inContext = `${contextPath}/${entry.name}`;
        let real = path;
        if (entry.isSymbolicLink()) {
            const link = (0,external_node_path_.relative)(walk.project, path).split(external_node_path_.sep).join("/");
            const linkProblem = (what, fix = `remove the link from ${walk.projectName}, or replace it with a real copy of what it points to`) => ({
                problem: `${walk.requirement} contains "${link}", a symbolic link to ${what}`,
                fix,
            });
            try {
                real = await (0,promises_.realpath)(path);
            }
            catch {
                return linkProblem(`"${(0,external_node_path_.resolve)(realDir, await (0,promises_.readlink)(path))}", which does not exist`);
            }
            const place = placeOf(walk.root, real);
            if (place === OUTSIDE)
                return linkProblem(`"${real}", outside the environment file's directory "${walk.root}"`);
            if (place)
                return linkProblem(`"${real}", ${skippedText(place)}`);
            // Following a link to a directory that is being walked (or holds one) would never end.
            if (ancestors.some((dir) => dir === real || dir.startsWith(`${real}${external_node_path_.sep}`))) {
                return linkProblem(`"${real}", which contains the link itself (a loop)`, `remove the link from ${walk.projectName}`);
            }
        }
        else if (!entry.isFile() && !entry.isDirectory()) {
            continue;
        }
        const info = await (0,promises_.stat)(real);
        if (info.isFile()) {
            walk.files.push({ contextPath: `${CONTEXT_FILES.localDir}/${inContext}`, content: await (0,promises_.readFile)(real) });
        }
        else if (info.isDirectory()) {
            const problem = await readDirectory(walk, { real, contextPath: inContext, ancestors: [...ancestors, real] });
            if (problem)
                return problem;
        }
    }
    return undefined;
}
const OUTSIDE = Symbol("outside");
/** Undefined when `real` is inside `root` and outside skipped directories; else OUTSIDE or the skipped directory it is in. */
function placeOf(root, real) {
    const inside = (0,external_node_path_.relative)(root, real);
    if (inside === ".." || inside.startsWith(`..${external_node_path_.sep}`) || (0,external_node_path_.isAbsolute)(inside))
        return OUTSIDE;
    return inside.split(external_node_path_.sep).find((part) => SKIPPED_DIRECTORIES.has(part));
}
function skippedText(directory) {
    return `inside ${directory}, which is never copied into a build`;
}
function missing(requirement, path) {
    return { problem: `${requirement} names "${path}", which does not exist or is empty`, fix: `put the wheel or project at ${path}, or remove the requirement` };
}
//# sourceMappingURL=local-files.js.map
;// CONCATENATED MODULE: ../image/dist/requirements-file.js

/**
 * Parses a pip-only `requirements.txt`: one requirement per line, `#` comments, and `\` line
 * continuations. Each requirement keeps its line for error messages; validation happens later.
 * A continued line is joined to the next without a separator, as pip joins them (pip's req_file.py,
 * join_lines), so a URL split over lines is checked (and its credentials found and redacted) whole.
 */
function parseRequirementsFile(file, text) {
    const pip = [];
    const lines = text.split(/\r?\n/);
    let pending;
    for (const [index, rawLine] of lines.entries()) {
        const withoutComment = rawLine.replace(/(^|\s)#.*$/, "");
        const continued = /\\\s*$/.test(withoutComment);
        const part = withoutComment.replace(/\\\s*$/, "").trim();
        const column = rawLine.length - rawLine.trimStart().length + 1;
        if (pending) {
            pending = { ...pending, text: `${pending.text}${withoutComment.replace(/\\\s*$/, "")}`.trim() };
        }
        else if (part !== "") {
            pending = { text: part, line: index + 1, column };
        }
        if (!continued && pending) {
            pip.push(pending);
            pending = undefined;
        }
    }
    if (pending)
        pip.push(pending);
    if (pip.length === 0) {
        throw new EnvironmentFileError({ file, line: 1, column: 1 }, "the file lists no requirements", "write one requirement per line, e.g.\n    dask[distributed]==2024.8.2\n    xgboost>=2.0");
    }
    return { file, kind: "requirements", name: undefined, channels: [], conda: [], explicit: [], pip, variables: [], notices: [] };
}
//# sourceMappingURL=requirements-file.js.map
;// CONCATENATED MODULE: ../image/dist/pip-requirement.js


// PEP 508 names and PEP 440 versions (https://peps.python.org/pep-0508/, https://peps.python.org/pep-0440/).
const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])/;
const EXTRAS = /^\[\s*([A-Za-z0-9._,\s-]*)\]/;
const SPECIFIER = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
const VERSION = /^v?([0-9]+!)?[0-9]+(\.[0-9]+)*((a|b|rc|alpha|beta|c|pre|preview)[._-]?[0-9]*)?([._-]?(post|rev|r)[._-]?[0-9]*)?([._-]?dev[._-]?[0-9]*)?(\+[a-z0-9]+([._-][a-z0-9]+)*)?$/i;
/** Control characters other than tab, and Unicode line separators. */
const CONTROL = /(?!\t)\p{Cc}|[\p{Zl}\p{Zp}]/u;
const LOCAL_PATH = /^(\.{1,2}\/|\/|~)|\.(whl|tar\.gz|zip)$/;
/** Lower-cases a project name and folds runs of `-`, `_` and `.` (PEP 503). */
function normalisePipName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, "-");
}
/**
 * Parses one pip requirement line. Accepted: PEP 508 (`name[extras] specifiers ; marker`,
 * `name @ url`), `https://` archive URLs, `git+https://…@ref`, and local wheels or project
 * directories next to the environment file. Rejected, each with the reason: `-e` (editable
 * installs point at a checkout the image does not have), `-r`/`-c` and other options (the
 * referenced files are not part of the build), `git+git://` and `http://` (unauthenticated
 * transports), `git+ssh://` (no keys exist during the build), credentials inside any URL (they
 * would be kept in the image; the message redacts them), and line breaks (each requirement is one
 * line of the generated requirements.txt, so a line break would smuggle in pip options).
 */
function parsePipRequirement(text) {
    const source = text.trim();
    if (source === "")
        return { problem: "empty pip requirement", fix: "remove the empty entry" };
    if (CONTROL.test(source)) {
        return {
            problem: "this pip requirement contains a line break or another control character, which would split it across lines of the generated requirements.txt",
            fix: "write the requirement on one line",
        };
    }
    // A URL split by whitespace (a requirements `\` continuation onto an indented line, a folded YAML string) still
    // carries its credentials to whoever reads the file: it is checked, and quoted, with the whitespace taken out.
    const unbroken = source.replace(/\s+/g, "");
    if (hasUrlCredentials(source) || hasUrlCredentials(unbroken))
        return { problem: `"${redactUrlCredentials(hasUrlCredentials(source) ? source : unbroken)}" has credentials in its URL`, fix: CREDENTIALS_FIX };
    const option = /^(-e|--editable|-r|--requirement|-c|--constraint|--?[a-z-]+)\b/.exec(source);
    if (option)
        return optionProblem(option[1] ?? "", source);
    if (source.startsWith("git+git://")) {
        return {
            problem: `"${source}" uses the git:// protocol, which is unauthenticated and refused by GitHub since 2022`,
            fix: `write ${source.replace("git+git://", "git+https://")}`,
        };
    }
    if (source.startsWith("git+ssh://") || /^git\+[a-z]+@/.test(source)) {
        return {
            problem: `"${source}" needs SSH keys, which the image build does not have`,
            fix: "use git+https:// (a public repository) or build a wheel and list its path",
        };
    }
    if (/^(git\+)?http:\/\//.test(source)) {
        return { problem: `"${source}" is fetched over plain http`, fix: "use https://" };
    }
    if (source.startsWith("git+https://"))
        return vcsRequirement(source, undefined);
    if (source.startsWith("https://"))
        return urlRequirement(source, undefined);
    if (source.startsWith("file:")) {
        return { problem: `"${source}" is a file: URL`, fix: "write the path relative to the environment file, e.g. ./wheels/pkg.whl" };
    }
    if (LOCAL_PATH.test(source) && !source.includes(" @ "))
        return localRequirement(source);
    return pep508Requirement(source);
}
function optionProblem(option, source) {
    if (option === "-e" || option === "--editable") {
        return { problem: `"${source}" is an editable install`, fix: "images need a real install: drop -e (list the path or URL itself)" };
    }
    if (option === "-r" || option === "--requirement" || option === "-c" || option === "--constraint") {
        return { problem: `"${source}" includes another file, which would not be part of the image build`, fix: "copy its requirements into this list" };
    }
    return {
        problem: `"${source}" is a pip option, not a requirement`,
        fix: "remove it: the file lists requirements only. Another index is set with the build arg PIP_INDEX_URL or PIP_EXTRA_INDEX_URL " +
            "(ensureImage's buildArgs), never with credentials in it: the engine keeps build-arg values in the image history",
    };
}
function pep508Requirement(source) {
    const [body = "", ...markerParts] = source.split(";");
    const marker = markerParts.join(";").trim();
    if (markerParts.length > 0 && !/^[A-Za-z_]+\s*(==|!=|<=|>=|<|>|~=|in|not in)\s*(['"]).*\2/.test(marker) && !/^(['"]).*\1\s*(in|not in|==|!=)/.test(marker)) {
        return { problem: `"${source}" has an invalid environment marker "${marker}"`, fix: `write e.g. pkg ; python_version >= "3.10"` };
    }
    const nameMatch = NAME.exec(body.trim());
    if (!nameMatch?.[0]) {
        return { problem: `"${source}" does not start with a project name`, fix: "write e.g. xgboost>=2.0 or scikit-learn==1.5.2" };
    }
    const rawName = nameMatch[0];
    let rest = body.trim().slice(rawName.length).trim();
    let extras = [];
    const extrasMatch = EXTRAS.exec(rest);
    if (extrasMatch) {
        extras = (extrasMatch[1] ?? "")
            .split(",")
            .map((e) => e.trim().toLowerCase())
            .filter((e) => e !== "");
        rest = rest.slice(extrasMatch[0].length).trim();
    }
    if (rest.startsWith("@"))
        return urlAfterName(source, rest.slice(1).trim(), rawName);
    const name = normalisePipName(rawName);
    let version;
    if (rest !== "") {
        const inner = rest.startsWith("(") && rest.endsWith(")") ? rest.slice(1, -1) : rest;
        const specifiers = inner.split(",").map((s) => s.trim());
        for (const spec of specifiers) {
            const m = SPECIFIER.exec(spec);
            const v = m?.[2] ?? "";
            const wildcardOk = (m?.[1] === "==" || m?.[1] === "!=") && VERSION.test(v.replace(/\.\*$/, ""));
            if (!m && /^=[^=]/.test(spec)) {
                return { problem: `"${source}": "${spec}" uses conda's '=', which pip does not know`, fix: `write ${rawName}=${spec} (pip pins with '==')` };
            }
            if (!m || (!VERSION.test(v) && !wildcardOk)) {
                return { problem: `"${source}": "${spec}" is not a version specifier`, fix: `write e.g. ${rawName}>=1.2,<2 or ${rawName}==1.2.3` };
            }
        }
        version = specifiers.join(",");
    }
    const extrasText = extras.length > 0 ? `[${[...extras].sort().join(",")}]` : "";
    const normalised = `${name}${extrasText}${version ?? ""}${marker ? ` ; ${marker}` : ""}`;
    return { source, kind: "name", name, version, extras, localPath: undefined, normalised };
}
function urlAfterName(source, url, rawName) {
    const name = normalisePipName(rawName);
    if (url.startsWith("git+git://") || url.startsWith("git+ssh://") || /^(git\+)?http:\/\//.test(url)) {
        const problem = parsePipRequirement(url);
        if ("problem" in problem)
            return problem;
    }
    if (url.startsWith("git+https://"))
        return vcsRequirement(url, name, source);
    if (url.startsWith("https://"))
        return urlRequirement(url, name, source);
    return { problem: `"${source}": "${url}" is not an https:// or git+https:// URL`, fix: `write ${rawName} @ https://... or ${rawName} @ git+https://...@ref` };
}
function vcsRequirement(url, name, source = url) {
    if (!isUrl(url.slice(4)))
        return { problem: `"${source}" is not a valid URL`, fix: "write git+https://host/org/repo@ref" };
    const egg = /#egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
    const project = name ?? (egg ? normalisePipName(egg) : undefined);
    const normalised = name ? `${name} @ ${url}` : url;
    return { source, kind: "vcs", name: project, version: undefined, extras: [], localPath: undefined, normalised };
}
function urlRequirement(url, name, source = url) {
    if (!isUrl(url))
        return { problem: `"${source}" is not a valid URL`, fix: "write https://host/path/pkg-1.0-py3-none-any.whl" };
    const normalised = name ? `${name} @ ${url}` : url;
    return { source, kind: "url", name, version: undefined, extras: [], localPath: undefined, normalised };
}
function localRequirement(source) {
    if (source.startsWith("/") || source.startsWith("~")) {
        return {
            problem: `"${source}" is an absolute path, which would not exist on another machine`,
            fix: "put the wheel or project next to the environment file and write a relative path such as ./wheels/pkg.whl",
        };
    }
    const parts = source.replace(/\/+$/, "").split("/");
    if (parts.includes("..")) {
        return {
            problem: `"${source}" leaves the environment file's directory`,
            fix: "keep local wheels and projects in the environment file's directory or below it",
        };
    }
    const localPath = parts.filter((p) => p !== ".").join("/");
    const base = parts[parts.length - 1] ?? source;
    const wheelName = /^([A-Za-z0-9_.]+?)-[0-9]/.exec(base)?.[1];
    return {
        source,
        kind: "local",
        name: wheelName ? normalisePipName(wheelName) : undefined,
        version: undefined,
        extras: [],
        localPath,
        // pip reads paths in a requirements file relative to its working directory, so the path is absolute.
        normalised: `${BUILD_DIR}/${CONTEXT_FILES.localDir}/${localPath}`,
    };
}
function isUrl(text) {
    try {
        const url = new URL(text);
        return url.hostname !== "" && !/\s/.test(text);
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=pip-requirement.js.map
;// CONCATENATED MODULE: ../image/dist/secret-like.js
/**
 * Whether an environment file's variable looks like it holds a secret. Variables become `ENV` lines, kept in the
 * image's config where anyone who can pull the image reads them, so such a variable earns a warning (not a
 * refusal: a name like `KEY_FILE=/run/key.pem` can be harmless). The answer names why, never the value.
 */
/** Name segments (split at `_`) that name a secret; `TOKENIZERS_PARALLELISM` has none of them. */
const SECRET_SEGMENTS = new Set(["TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS"]);
/** Words that name a secret even inside a segment (`DBPASSWORD`, `CLIENTSECRET`). */
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET/;
/** Value shapes of well-known credentials, each with the name the warning gives it. */
const SECRET_VALUES = [
    // AWS access key ids (IAM user guide, "Understanding unique ID prefixes").
    [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, "an AWS access key id"],
    // GitHub tokens (GitHub docs, "About authentication to GitHub": ghp_, gho_, ghu_, ghs_, ghr_, github_pat_).
    [/\bgh[pousr]_[A-Za-z0-9]{30,}/, "a GitHub token"],
    [/\bgithub_pat_[A-Za-z0-9_]{20,}/, "a GitHub token"],
    [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
    [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
    [/\bhf_[A-Za-z0-9]{30,}/, "a Hugging Face token"],
    [/\bsk-[A-Za-z0-9_-]{20,}/, "an API secret key"],
    [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON Web Token"],
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
];
/** Why the variable looks like a secret ("its name", "its value looks like a GitHub token"), or undefined. */
function secretLikeReason(name, value) {
    const upper = name.toUpperCase();
    if (upper.split("_").some((segment) => SECRET_SEGMENTS.has(segment) || SECRET_WORDS.test(segment)))
        return "its name says so";
    for (const [pattern, what] of SECRET_VALUES)
        if (pattern.test(value))
            return `its value looks like ${what}`;
    if (hasRandomLookingRun(value))
        return "its value holds a long random-looking string, like a key or token";
    return undefined;
}
/**
 * A run of at least 32 key-like characters that mixes upper case, lower case and digits with an entropy of at
 * least 4.2 bits per character: random base64 or base62 (a token, a secret key) has about 5; hex digests
 * (at most 4), words, paths and version lists stay below.
 */
function hasRandomLookingRun(value) {
    for (const run of value.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
        if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/[0-9]/.test(run))
            continue;
        if (entropyPerCharacter(run) >= 4.2)
            return true;
    }
    return false;
}
function entropyPerCharacter(text) {
    const counts = new Map();
    for (const c of text)
        counts.set(c, (counts.get(c) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values())
        bits -= (n / text.length) * Math.log2(n / text.length);
    return bits;
}
//# sourceMappingURL=secret-like.js.map
;// CONCATENATED MODULE: ../image/dist/validate-environment.js







const validate_environment_CHANNEL = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$|^(https|file):\/\/\S+$/;
const EXPLICIT_URL = /^(https|file):\/\/\S+\/([a-z0-9_-]+)\/([^/#]+)\.(conda|tar\.bz2)(#([0-9a-f]{32}|[0-9a-f]{64}|sha256:[0-9a-f]{64}))?$/;
/**
 * Validates every entry of a parsed file as what it claims to be (conda match spec, pip requirement,
 * lockfile URL), makes sure dask and distributed are there, and returns the normalised spec.
 * Local files are attached later by the loader.
 */
function validate_environment_validateEnvironment(raw, platform) {
    const notices = [...raw.notices];
    const fail = (entry, problem, fix) => {
        throw new EnvironmentFileError({ file: raw.file, line: entry.line, column: entry.column }, problem, fix);
    };
    const check = (entry, result) => "problem" in result && "fix" in result ? fail(entry, result.problem, result.fix) : result;
    const channels = [];
    for (const entry of raw.channels) {
        const channel = entry.text.trim();
        if (hasUrlCredentials(channel))
            fail(entry, `the channel "${redactUrlCredentials(channel)}" has credentials in its URL`, CREDENTIALS_FIX);
        if (channel.startsWith("http://"))
            fail(entry, `the channel "${channel}" is fetched over plain http, where anyone on the way can change the packages`, "use https://");
        if (!validate_environment_CHANNEL.test(channel))
            fail(entry, `"${channel}" is not a channel name or URL`, "write a channel name such as conda-forge, or an https:// channel URL");
        if (!channels.includes(channel))
            channels.push(channel);
    }
    const conda = new Map();
    for (const entry of raw.conda) {
        const dependency = check(entry, parseCondaMatchSpec(entry.text));
        if (dependency.name === "pip" && entry.text.trim() === "pip:")
            fail(entry, '"pip:" is written as a package', 'write "- pip:" followed by its requirements indented below it');
        const previous = conda.get(dependency.name);
        if (previous)
            fail(entry, `"${dependency.name}" is listed twice ("${previous.source}" and "${dependency.source}")`, "keep one spec per package");
        conda.set(dependency.name, dependency);
    }
    const pip = new Map();
    for (const entry of raw.pip) {
        const requirement = check(entry, parsePipRequirement(entry.text));
        const key = requirement.name ?? requirement.normalised;
        const previous = pip.get(key);
        if (previous)
            fail(entry, `"${key}" is listed twice ("${previous.source}" and "${requirement.source}")`, "keep one requirement per project");
        pip.set(key, requirement);
    }
    const explicit = [];
    const subdir = CONDA_SUBDIR[platform];
    for (const entry of raw.explicit) {
        if (hasUrlCredentials(entry.text))
            fail(entry, `"${redactUrlCredentials(entry.text)}" has credentials in its URL`, CREDENTIALS_FIX);
        if (entry.text.startsWith("http://")) {
            fail(entry, `"${entry.text}" is fetched over plain http, where anyone on the way can change the package`, "lock the environment from https:// channels");
        }
        const m = EXPLICIT_URL.exec(entry.text);
        if (!m)
            fail(entry, `"${entry.text}" is not a conda package URL`, "each line after @EXPLICIT is https://host/channel/<subdir>/<name>-<version>-<build>.conda (or .tar.bz2), optionally #md5");
        const [, , packageSubdir = "", fileBase = ""] = m;
        if (packageSubdir !== "noarch" && packageSubdir !== subdir) {
            fail(entry, `this package is built for ${packageSubdir}, but the image platform ${platform} needs ${subdir} or noarch`, `lock the environment for ${subdir} (e.g. conda-lock -p ${subdir}) or build for the matching platform`);
        }
        const parts = fileBase.split("-");
        const build = parts.pop() ?? "";
        const version = parts.pop() ?? "";
        const name = parts.join("-");
        if (name === "" || version === "")
            fail(entry, `"${fileBase}" is not <name>-<version>-<build>`, "regenerate the lockfile with conda list --explicit");
        explicit.push({ url: entry.text, subdir: packageSubdir, name, version, build });
    }
    const dask = ensureDask(raw, conda, pip, explicit, notices);
    if (raw.kind === "conda-environment" && pip.size > 0 && !conda.has("pip")) {
        conda.set("pip", condaDependency("pip"));
        notices.push(`${raw.file}: added "pip" to the conda dependencies because the file has a pip list`);
    }
    for (const variable of raw.variables) {
        if (hasUrlCredentials(variable.text)) {
            fail(variable, `variable "${variable.key}" has credentials in a URL, and variables become ENV lines that anyone who can pull the image can read`, CREDENTIALS_FIX);
        }
        const reason = secretLikeReason(variable.key, variable.text);
        if (reason) {
            notices.push(`${raw.file}:${variable.line}:${variable.column}: variable "${variable.key}" looks like a secret (${reason}): variables become ENV lines ` +
                "baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: " +
                "the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner");
        }
    }
    const variables = raw.variables.map((v) => [v.key, v.text]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const byNormalised = (a, b) => (a.normalised < b.normalised ? -1 : a.normalised > b.normalised ? 1 : 0);
    return {
        kind: raw.kind,
        sourceFile: raw.file.split(/[\\/]/).pop() ?? raw.file,
        name: raw.name,
        channels,
        conda: [...conda.values()].sort(byNormalised),
        explicit,
        pip: [...pip.values()].sort(byNormalised),
        variables,
        pythonVersion: pythonVersionOf(conda.get("python"), explicit),
        daskVersion: dask.dask,
        distributedVersion: dask.distributed,
        notices,
    };
}
function condaDependency(name) {
    const parsed = parseCondaMatchSpec(name);
    if ("problem" in parsed)
        throw new Error(`internal: ${name} is not a spec`);
    return parsed;
}
/** Finds dask and distributed; adds what is missing (with a notice) or fails for a lockfile, which must not re-solve. */
function ensureDask(raw, conda, pip, explicit, notices) {
    const version = (v) => v ?? "unpinned";
    const pipDask = pip.get("dask");
    const found = {
        dask: conda.get("dask") ?? conda.get("dask-core") ?? pipDask,
        distributed: conda.get("distributed") ??
            pip.get("distributed") ??
            (pipDask?.extras.some((e) => e === "distributed" || e === "complete") ? pipDask : undefined) ??
            (conda.get("dask") ? conda.get("dask") : undefined),
    };
    if (raw.kind === "explicit-lockfile") {
        const pkg = (names) => explicit.find((p) => names.includes(p.name));
        const dask = pkg(["dask-core", "dask"]);
        const distributed = pkg(["distributed"]);
        if (!dask || !distributed) {
            const missing = [!dask && "dask-core", !distributed && "distributed"].filter(Boolean).join(" and ");
            throw new EnvironmentFileError({ file: raw.file, line: 1, column: 1 }, `the lockfile has no ${missing}, and a lockfile is installed exactly as written`, `add ${missing} to the environment the lockfile is made from, then lock it again`);
        }
        return { dask: dask.version, distributed: distributed.version };
    }
    for (const name of ["dask", "distributed"]) {
        if (found[name])
            continue;
        if (raw.kind === "conda-environment")
            conda.set(name, condaDependency(name));
        else
            pip.set(name, { source: name, kind: "name", name, version: undefined, extras: [], localPath: undefined, normalised: name });
        notices.push(`${raw.file}: added "${name}" (unpinned): every image needs dask and distributed; pin it in the file to control its version`);
    }
    return { dask: version(found.dask?.version), distributed: version(found.distributed?.version) };
}
function pythonVersionOf(python, explicit) {
    const text = python?.version ?? explicit.find((p) => p.name === "python")?.version;
    const numbers = text?.replace(/^(==|=|>=|~=)/, "").split(/[,|]/)[0];
    if (!numbers || !/^[0-9]+\.[0-9]+/.test(numbers))
        return undefined;
    try {
        const version = new rattler_bundler/* Version */.Rx(numbers.replace(/\.\*$/, ""));
        const majorMinor = version.asMajorMinor();
        version.free();
        return majorMinor ? `${majorMinor[0]}.${majorMinor[1]}` : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=validate-environment.js.map
;// CONCATENATED MODULE: ../image/dist/load-environment.js








/**
 * Parses environment text by kind: an explicit lockfile when it has an `@EXPLICIT` line, a conda
 * environment for `.yml`/`.yaml`, pip requirements for anything else ending in `.txt`.
 * `file` is used in error messages only.
 */
function parseEnvironmentText(file, text) {
    if (isExplicitLockfile(text))
        return parseExplicitLockfile(file, text);
    if (/\.ya?ml$/i.test(file))
        return parseCondaEnvironmentFile(file, text);
    if (/\.(txt|in)$/i.test(file))
        return parseRequirementsFile(file, text);
    throw new ImageConfigError("environment-file", `cannot tell the kind of "${file}": use a conda environment file (.yml/.yaml), a pip requirements file (.txt) or an explicit conda lockfile (@EXPLICIT)`);
}
/** Validates environment text without touching the file system (local pip paths get no files). */
function parseEnvironment(file, text, platform = "linux/amd64") {
    return { ...validateEnvironment(parseEnvironmentText(file, text), platform), localFiles: [] };
}
/** Reads, parses and validates an environment file, and reads any local wheels or projects it lists. */
async function loadEnvironment(path, platform = "linux/amd64") {
    let text;
    try {
        text = await (0,promises_.readFile)(path, "utf8");
    }
    catch (error) {
        throw new ImageConfigError("environment-file", `cannot read "${path}" (${error.code ?? String(error)}); check the path, relative to the working directory`);
    }
    const spec = validate_environment_validateEnvironment(parseEnvironmentText(path, text), platform);
    const localFiles = [];
    const locals = spec.pip.filter((r) => r.localPath !== undefined);
    // Local paths are checked against the real directory, so a symbolic link cannot lead out of it.
    const root = locals.length > 0 ? await (0,promises_.realpath)((0,external_node_path_.dirname)(path)) : "";
    for (const requirement of locals) {
        const files = await readLocalRequirement(root, requirement.source, requirement.localPath ?? "");
        if ("problem" in files)
            throw new EnvironmentFileError(positionOf(path, text, requirement.source), files.problem, files.fix);
        localFiles.push(...files);
    }
    return { ...spec, sourceFile: (0,external_node_path_.basename)(path), localFiles };
}
/** Where `source` is written in the file (the spec keeps no positions); line 1, column 1 when not found. */
function positionOf(file, text, source) {
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex((l) => l.includes(source));
    const line = lines[index] ?? "";
    return { file, line: Math.max(1, index + 1), column: Math.max(1, line.indexOf(source) + 1) };
}
//# sourceMappingURL=load-environment.js.map
;// CONCATENATED MODULE: ../image/dist/push-image.js




/**
 * Pushes `target:tag` through the Docker Engine. Credentials travel in the X-Registry-Auth header
 * only. An error anywhere in the push stream fails the push; the pushed manifest digest is returned.
 */
async function pushImage(options) {
    const logger = options.logger ?? silentLogger;
    const name = repositoryName(options.target);
    const authconfig = options.login ? { username: options.login.username, password: options.login.password, serveraddress: options.target.registry } : undefined;
    let stream;
    try {
        stream = await options.docker.getImage(`${name}:${options.tag}`).push({ tag: options.tag, ...(authconfig ? { authconfig } : {}) });
    }
    catch (error) {
        throw new RegistryError(options.target.registry, `the Docker Engine refused to push ${name}:${options.tag} (${redact(error.message, options.login)})`, undefined, { cause: error });
    }
    let digest;
    const reported = new Set();
    const failure = await readEngineStream(stream, (message) => {
        if (typeof message.aux === "object" && message.aux.Digest)
            digest = message.aux.Digest;
        const status = message.status ?? "";
        // Layer progress repeats many times a second; report each layer state once.
        const key = `${message.id ?? ""} ${status}`;
        if (status && !message.progress && !reported.has(key)) {
            reported.add(key);
            logger.debug(message.id ? `${message.id}: ${status}` : status);
        }
    });
    if (failure) {
        const text = redact(engineErrorText(failure), options.login);
        const hint = /auth|denied|unauthorized|401|403/i.test(text) ? "; check the registry username and password or token" : "";
        throw new RegistryError(options.target.registry, `push of ${name}:${options.tag} failed: ${text}${hint}`);
    }
    if (!digest)
        throw new RegistryError(options.target.registry, `push of ${name}:${options.tag} reported no digest`);
    logger.info(`pushed ${name}:${options.tag}@${digest}`);
    return digest;
}
/** Removes a password from text that came back from the engine or a registry. */
function redact(text, login) {
    if (!login || login.password === "")
        return text;
    return text.split(login.password).join("***");
}
//# sourceMappingURL=push-image.js.map
;// CONCATENATED MODULE: ../image/dist/record-companion.js





/**
 * The tag of an image's record companion: the content tag and `.record`. The record of an image built from your own
 * Dockerfile can only be read by running Python in it; pushed next to the image as a one-file image of its own, it is
 * read from the registry like a generated image's record (registry-record.ts), without pulling the image.
 */
function recordCompanionTag(tag) {
    return `${tag}${RECORD_COMPANION_SUFFIX}`;
}
/** What {@link recordCompanionTag} appends; such tags are not images of a source, and lookups of previous images skip them. */
const RECORD_COMPANION_SUFFIX = ".record";
/** Where the companion keeps the record file. */
const COMPANION_PATH = "/packages.json";
/**
 * Builds `FROM scratch` + the record file (a few kB, one layer, labelled like a generated image's record) and pushes
 * it as {@link recordCompanionTag}; the local tag is removed after the push. Returns the companion's digest.
 */
async function pushRecordCompanion(options) {
    const logger = options.logger ?? silentLogger;
    const companionTag = recordCompanionTag(options.tag);
    const local = `${repositoryName(options.target)}:${companionTag}`;
    const dockerfile = [
        "FROM scratch",
        `COPY packages.json ${COMPANION_PATH}`,
        `LABEL ${LABELS.record}="${COMPANION_PATH}" ${LABELS.recordOf}="${options.digest}"`,
        "",
    ].join("\n");
    const files = new Map([
        ["Dockerfile", Buffer.from(dockerfile)],
        ["packages.json", Buffer.from(`${JSON.stringify(options.record, null, 1)}\n`)],
    ]);
    // A context as the renderer makes it; only `files` and `platform` are read by buildImage for a generated context.
    const context = { files, platform: options.platform };
    try {
        await buildImage({ docker: options.docker, context, tags: [local], logger: silentLogger, ...(options.builder ? { builder: options.builder } : {}) });
        const digest = await pushImage({ docker: options.docker, target: options.target, tag: companionTag, login: options.login, logger: silentLogger });
        logger.info(`package record pushed as ${local} (read later without pulling the image)`);
        return digest;
    }
    finally {
        await options.docker
            .getImage(local)
            .remove()
            .catch(() => undefined);
    }
}
//# sourceMappingURL=record-companion.js.map
;// CONCATENATED MODULE: ../image/dist/registry-credentials.js

const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
/** True for an ECR registry host such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
function isEcrRegistry(host) {
    return ECR_HOST.test(host);
}
/**
 * Turns credentials into a username and password. For ECR, asks GetAuthorizationToken (the token is
 * `AWS:<password>` in base64 and lasts 12 hours) with the default AWS credential chain; the region
 * comes from the registry host unless given.
 */
async function resolveRegistryLogin(registry, credentials) {
    if (!credentials)
        return undefined;
    if (credentials.kind === "basic")
        return { username: credentials.username, password: credentials.password };
    const region = credentials.region ?? ECR_HOST.exec(registry)?.[3];
    if (!region)
        throw new RegistryError(registry, "ECR credentials were requested, but the registry host names no region; give the region explicitly");
    // The ECR client is loaded only here, for an ECR login: a build or push to any other registry never loads the AWS SDK.
    const { ECRClient, GetAuthorizationTokenCommand } = await __webpack_require__.e(/* import() */ 149).then(__webpack_require__.t.bind(__webpack_require__, 10149, 19));
    const client = credentials.client ?? new ECRClient({ region });
    let token;
    try {
        const answer = await client.send(new GetAuthorizationTokenCommand({}));
        token = answer.authorizationData?.[0]?.authorizationToken;
    }
    catch (error) {
        throw new RegistryError(registry, `ECR GetAuthorizationToken failed (${error.name}: ${error.message}); check the AWS credentials and the ecr:GetAuthorizationToken permission`, undefined, { cause: error });
    }
    if (!token)
        throw new RegistryError(registry, "ECR returned no authorization token");
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0)
        throw new RegistryError(registry, "the ECR authorization token has an unexpected format");
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
//# sourceMappingURL=registry-credentials.js.map
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ../image/dist/registry-record.js






/** How many layers, from the top, are searched for the record: only ENV/LABEL/USER/WORKDIR/ENTRYPOINT/CMD follow its RUN. */
const LAYERS_SEARCHED = 3;
/**
 * Reads the package record of an image that is only in its registry, without pulling it: the manifest (the
 * platform's entry of an index), the config's record label, then the top layers, where the record's RUN put
 * its file. Undefined when the image has no record label or the file is not in the top layers.
 */
async function readRemoteRecord(ref, reference, platform, recordLabel, options = {}) {
    const image = await remoteImage(ref, reference, platform, options);
    const path = image?.labels[recordLabel];
    if (!image || !path)
        return undefined;
    const wanted = path.replace(/^\/+/, "");
    for (const layer of [...image.layers].reverse().slice(0, LAYERS_SEARCHED)) {
        if (layer.mediaType && !/gzip|tar$/.test(layer.mediaType))
            continue;
        const response = await registryGet(ref, `/v2/${ref.repository}/blobs/${layer.digest}`, "*/*", options);
        if (!response.ok)
            throw new RegistryError(ref.registry, `GET layer ${layer.digest} answered HTTP ${response.status}`, response.status);
        const bytes = Buffer.from(await response.arrayBuffer());
        const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? (0,external_node_zlib_.gunzipSync)(bytes) : bytes;
        const text = await fileInTar(tar, wanted);
        if (text !== undefined)
            return parseImageRecord(text);
    }
    return undefined;
}
/**
 * The record of `tag`, without pulling: from the image itself (a generated image keeps it in a top layer), else from
 * its record companion (an image built from your own Dockerfile, pushed with its record by an earlier build).
 * Undefined when neither has one.
 */
async function readRemoteRecordOrCompanion(ref, tag, digest, platform, recordLabel, options = {}) {
    const own = await readRemoteRecord(ref, digest ?? tag, platform, recordLabel, options);
    if (own)
        return { record: own, from: "image" };
    try {
        const companion = await readRemoteRecord(ref, recordCompanionTag(tag), platform, recordLabel, options);
        return companion ? { record: companion, from: "companion" } : undefined;
    }
    catch (error) {
        if (RegistryError.isInstance(error) && error.status === 404)
            return undefined;
        throw error;
    }
}
/** How many other content tags of a repository are looked at to find the previous image of a source. */
const PREVIOUS_CANDIDATES = 30;
/**
 * The newest other image in the repository built from the same source: a content tag of the same kind (`env-` or
 * `dockerfile-`) whose `sourceLabel` equals `source`, by the config's `created` time. At most
 * {@link PREVIOUS_CANDIDATES} tags are read (two small requests each).
 */
async function findPreviousRemoteImage(ref, currentTag, sourceLabel, source, platform, options = {}) {
    const response = await registryGet(ref, `/v2/${ref.repository}/tags/list?n=1000`, "application/json", options);
    if (!response.ok)
        return undefined;
    const prefix = currentTag.slice(0, currentTag.indexOf("-") + 1);
    const tags = ((await response.json()).tags ?? []).filter((t) => t.startsWith(prefix) && t !== currentTag && !t.endsWith(RECORD_COMPANION_SUFFIX));
    let best;
    for (const tag of tags.slice(-PREVIOUS_CANDIDATES)) {
        const image = await remoteImage(ref, tag, platform, options);
        if (!image || image.labels[sourceLabel] !== source)
            continue;
        if (!best || image.created > best.created)
            best = { tag, created: image.created };
    }
    return best?.tag;
}
/** The platform's manifest of `reference` (from an index when it is one) and its config's labels and time. */
async function remoteImage(ref, reference, platform, options) {
    const getJson = async (path, accept) => {
        const response = await registryGet(ref, path, accept, options);
        if (!response.ok)
            throw new RegistryError(ref.registry, `GET ${path} answered HTTP ${response.status}`, response.status);
        return (await response.json());
    };
    let manifest = await getJson(`/v2/${ref.repository}/manifests/${reference}`, MANIFEST_TYPES);
    if (manifest.manifests) {
        const [os, architecture] = platform.split("/");
        const entry = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture);
        if (!entry)
            return undefined;
        manifest = await getJson(`/v2/${ref.repository}/manifests/${entry.digest}`, MANIFEST_TYPES);
    }
    if (!manifest.config)
        return undefined;
    const config = await getJson(`/v2/${ref.repository}/blobs/${manifest.config.digest}`, "*/*");
    return { layers: manifest.layers ?? [], labels: config.config?.Labels ?? {}, created: config.created ?? "" };
}
async function fileInTar(tar, wanted) {
    const reader = (0,tar_stream.extract)();
    let found;
    reader.on("entry", (header, stream, next) => {
        const chunks = [];
        stream.on("data", (c) => chunks.push(c));
        stream.on("end", () => {
            if (header.type === "file" && header.name.replace(/^\.?\/+/, "") === wanted)
                found = Buffer.concat(chunks).toString("utf8");
            next();
        });
        stream.resume();
    });
    await new Promise((resolve, reject) => {
        reader.on("finish", resolve);
        reader.on("error", reject);
        reader.end(tar);
    });
    return found;
}
//# sourceMappingURL=registry-record.js.map
;// CONCATENATED MODULE: ../image/dist/ensure-image.js
















/** The repository used when no `image` is given: the image stays on the local engine. */
const LOCAL_REPOSITORY = "dask-fargate-env";
/**
 * The image job: environment file → validated spec → Dockerfile and content tag (or a user's Dockerfile and
 * context → content tag) → skip when the tag already exists (in the registry when pushing, else on the local
 * engine) → build → push.
 */
async function ensureImage(options) {
    const result = await withSize(options, await ensureImageOnly(options));
    if (!options.record)
        return result;
    const docker = options.docker ?? new lib_docker();
    const logger = options.logger ?? silentLogger;
    const local = await docker
        .getImage(result.image)
        .inspect()
        .catch(() => undefined);
    let record;
    try {
        if (local) {
            record = await readImageRecord(docker, result.image, LABELS.record);
        }
        else if (result.digest && options.image) {
            // Found unchanged in the registry and not pulled: read the record from the registry's top layers.
            const target = parseImageReference(options.image, "image");
            const login = await resolveRegistryLogin(target.registry, options.credentials);
            // An image built from your own Dockerfile keeps no record in its layers: its record companion holds it.
            const found = await readRemoteRecordOrCompanion(target, result.tag, result.digest, parsePlatform(options.platform ?? "linux/amd64"), LABELS.record, {
                login,
                ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
                ...(options.fetch ? { fetch: options.fetch } : {}),
            });
            record = found?.record;
            if (found?.from === "companion")
                logger.info(`package record of ${result.image} read from ${result.image}${RECORD_COMPANION_SUFFIX} without pulling`);
        }
    }
    catch (error) {
        // The image itself is fine; only what it holds could not be shown.
        logger.warn(`the package record of ${result.image} could not be read: ${error.message}`);
        return result;
    }
    if (!record) {
        logger.info(`${result.image} has no package record that could be read`);
        return result;
    }
    logger.info(`${result.image}: ${formatKeyVersions(record)}`);
    if (result.pushed && result.digest && options.image && local && !local.Config?.Labels?.[LABELS.record]) {
        // Read by running Python in the image: push it next to the image, so a runner without the image finds it.
        try {
            const target = parseImageReference(options.image, "image");
            await pushRecordCompanion({
                docker,
                target,
                tag: result.tag,
                digest: result.digest,
                record,
                platform: parsePlatform(options.platform ?? "linux/amd64"),
                login: await resolveRegistryLogin(target.registry, options.credentials),
                ...(options.builder ? { builder: options.builder } : {}),
                logger,
            });
        }
        catch (error) {
            logger.warn(`the package record of ${result.image} could not be pushed next to it: ${error.message}`);
        }
    }
    const source = local?.Config?.Labels?.[LABELS.sourceFile];
    if (result.status !== "built" || !source)
        return { ...result, record };
    try {
        const changes = await changesSincePrevious(options, docker, result, source, record);
        if (changes)
            logger.info(changesText(changes));
        return changes ? { ...result, record, changes } : { ...result, record };
    }
    catch (error) {
        logger.warn(`what changed since the previous image of ${source} could not be read: ${error.message}`);
        return { ...result, record };
    }
}
/** Adds the registry size of a pushed or found image, logged with its pull estimate (a warning above the threshold). */
async function withSize(options, result) {
    if (!result.digest || !options.image)
        return result;
    const logger = options.logger ?? silentLogger;
    try {
        const target = parseImageReference(options.image, "image");
        const size = await remoteImageSize(target, result.digest, parsePlatform(options.platform ?? "linux/amd64"), {
            login: await resolveRegistryLogin(target.registry, options.credentials),
            ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        if (!size)
            return result;
        logger.info(`${result.image}: ${sizeText(size)}`);
        const warning = sizeWarning(size);
        if (warning)
            logger.warn(warning);
        return { ...result, size };
    }
    catch (error) {
        logger.warn(`the size of ${result.image} could not be read from its registry: ${error.message}`);
        return result;
    }
}
/** The newest other image of the same source (registry when pushed, else local engine) compared with this one's record. */
async function changesSincePrevious(options, docker, result, source, record) {
    const name = result.image.slice(0, result.image.length - result.tag.length - 1);
    let previous;
    let before;
    if (result.pushed && options.image) {
        const target = parseImageReference(options.image, "image");
        const requestOptions = {
            login: await resolveRegistryLogin(target.registry, options.credentials),
            ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
        };
        const platform = parsePlatform(options.platform ?? "linux/amd64");
        const tag = await findPreviousRemoteImage(target, result.tag, LABELS.sourceFile, source, platform, requestOptions);
        if (!tag)
            return undefined;
        previous = `${name}:${tag}`;
        before = (await readRemoteRecordOrCompanion(target, tag, undefined, platform, LABELS.record, requestOptions))?.record;
    }
    else {
        const prefix = result.tag.slice(0, result.tag.indexOf("-") + 1);
        const images = await docker.listImages({ filters: { label: [`${LABELS.sourceFile}=${source}`], reference: [name] } });
        const candidates = images
            .flatMap((image) => (image.RepoTags ?? []).map((tag) => ({ tag, created: image.Created })))
            .filter(({ tag }) => tag.startsWith(`${name}:${prefix}`) && tag !== result.image)
            .sort((a, b) => b.created - a.created);
        previous = candidates[0]?.tag;
        if (!previous)
            return undefined;
        before = await readImageRecord(docker, previous, LABELS.record);
    }
    return before ? { since: previous, lines: diffRecords(before, record) } : undefined;
}
async function ensureImageOnly(options) {
    const logger = options.logger ?? silentLogger;
    checkSource(options);
    checkBuildArgValues(options.buildArgs);
    const platform = parsePlatform(options.platform ?? "linux/amd64");
    const target = options.image ? parseImageReference(options.image, "image") : parseImageReference(LOCAL_REPOSITORY, "image");
    const push = options.push ?? options.image !== undefined;
    if (push && !options.image)
        throw new ImageConfigError("image", "pushing needs a repository; set image, e.g. ghcr.io/org/dask");
    const context = await prepareContext(options, platform);
    for (const notice of context.notices)
        logger.warn(notice);
    const name = repositoryName(target);
    const image = `${name}:${context.tag}`;
    const common = { image, tag: context.tag, contentHash: context.contentHash, dockerfile: context.dockerfile, notices: context.notices };
    if ("kind" in context) {
        const files = context.entries.filter((e) => e.type === "file").length;
        logger.info(`Dockerfile ${context.sourceFile} with context ${context.contextDir} (${files} files) → ${image} (content hash ${context.contentHash.slice(0, 12)}…)`);
    }
    else {
        logger.info(`environment ${options.environmentFile} → ${image} (content hash ${context.contentHash.slice(0, 12)}…)`);
    }
    const login = push ? await resolveRegistryLogin(target.registry, options.credentials) : undefined;
    const docker = options.docker ?? new lib_docker();
    if (!options.force) {
        if (push) {
            const started = Date.now();
            const digest = await findRemoteManifest(target, context.tag, {
                login,
                ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
                ...(options.fetch ? { fetch: options.fetch } : {}),
            });
            if (digest) {
                logger.info(`unchanged: ${formatImageReference({ ...target, tag: context.tag })} exists with digest ${digest} (checked in ${Date.now() - started} ms)`);
                return { ...common, status: "unchanged", digest, pushed: false };
            }
        }
        else {
            const local = await docker
                .getImage(image)
                .inspect()
                .catch(() => undefined);
            if (local?.Config?.Labels?.[LABELS.contentHash] === context.contentHash) {
                logger.info(`unchanged: ${image} exists on the local engine`);
                return { ...common, status: "unchanged", digest: undefined, pushed: false };
            }
        }
    }
    const base = "kind" in context ? context.baseImages.join(", ") || "scratch" : context.baseImage;
    logger.info(`building ${image} from ${base} for ${platform}${"kind" in context && context.target ? ` (stage ${context.target})` : ""}`);
    const cacheFrom = options.cacheFrom ?? (push ? await previousImageForCache(options, target, context, platform, logger) : []);
    await buildImage({
        docker,
        context,
        tags: [image],
        logger,
        ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
        ...(options.builder ? { builder: options.builder } : {}),
        ...("kind" in context && context.target ? { target: context.target } : {}),
        cacheFrom,
        // Every pushed image carries its inline cache, so that it can serve as the cache of the next build on a fresh runner.
        inlineCache: push,
        login: login ? { ...login, registry: target.registry } : undefined,
    });
    if (!push)
        return { ...common, status: "built", digest: undefined, pushed: false };
    logger.info(`pushing ${image}`);
    // pushImage redacts the password from every message it passes on.
    const digest = await pushImage({ docker, target, tag: context.tag, login, logger });
    return { ...common, status: "built", digest, pushed: true };
}
/**
 * The newest other image of the same source in the repository, as `repository:tag` for cache-from; none when the
 * registry cannot tell (a failed lookup costs only the cache, never the build).
 */
async function previousImageForCache(options, target, context, platform, logger) {
    const source = context.labels[LABELS.sourceFile];
    if (!source)
        return [];
    try {
        const tag = await findPreviousRemoteImage(target, context.tag, LABELS.sourceFile, source, platform, {
            login: await resolveRegistryLogin(target.registry, options.credentials),
            ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        if (!tag)
            return [];
        const previous = `${repositoryName(target)}:${tag}`;
        logger.info(`cache from ${previous} (the previous image of ${source})`);
        return [previous];
    }
    catch (error) {
        logger.warn(`no cache from the registry: the previous image of ${source} could not be looked up (${error.message})`);
        return [];
    }
}
/** Exactly one source: an environment file or a Dockerfile; the options of the other are refused, not ignored. */
function checkSource(options) {
    if (options.environmentFile !== undefined && options.dockerfile !== undefined) {
        throw new ImageConfigError("dockerfile", "give either environment-file (the image is generated from it) or dockerfile (your own Dockerfile is built as written), not both; remove one of them");
    }
    if (options.context !== undefined && options.dockerfile === undefined) {
        throw new ImageConfigError("context", "context is the build context of a Dockerfile; give dockerfile as well, or remove context");
    }
    if (options.environmentFile === undefined && options.dockerfile === undefined) {
        throw new ImageConfigError("environment-file", "give environment-file (environment.yml, requirements.txt or a lockfile) or dockerfile (your own Dockerfile)");
    }
    if (options.dockerfile !== undefined) {
        for (const [option, value] of [
            ["base-image", options.baseImage],
            ["installer", options.installer],
        ]) {
            if (value !== undefined)
                throw new ImageConfigError(option, `${option} applies to environment files; with dockerfile, the Dockerfile's FROM and RUN lines decide it`);
        }
    }
    else if (options.target !== undefined) {
        throw new ImageConfigError("target", "target names a stage of your own Dockerfile; the image generated from an environment file has one stage: remove target");
    }
}
async function prepareContext(options, platform) {
    if (options.dockerfile !== undefined) {
        return loadDockerfileProject({
            dockerfile: options.dockerfile,
            platform,
            ...(options.context !== undefined ? { context: options.context } : {}),
            ...(options.workspace !== undefined ? { workspace: options.workspace } : {}),
            ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
            ...(options.labels ? { labels: options.labels } : {}),
            ...(options.target !== undefined ? { target: options.target } : {}),
        });
    }
    const spec = await loadEnvironment(options.environmentFile ?? "", platform);
    return renderBuildContext(spec, {
        platform,
        buildArgNames: Object.keys(options.buildArgs ?? {}),
        ...(options.baseImage ? { baseImage: options.baseImage } : {}),
        ...(options.installer ? { installer: options.installer } : {}),
        ...(options.labels ? { labels: options.labels } : {}),
    });
}
//# sourceMappingURL=ensure-image.js.map
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
;// CONCATENATED MODULE: ../image/dist/runner-python.js



const run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
/**
 * The record of a Python on this machine (what a job on the runner will use), from the same fixed program the
 * images run. Undefined when that Python cannot run it (missing, or older than 3.8).
 */
async function localPythonRecord(python = "python3", env = process.env) {
    try {
        const { stdout } = await run(python, ["-c", RECORD_PROGRAM], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
        return parseImageRecord(stdout);
    }
    catch {
        return undefined;
    }
}
/**
 * Why a client on this machine and a cluster from the image may not work together, or undefined when they match:
 * Python major.minor, dask and distributed must be the same (cloudpickle moves code and data between them, and
 * distributed warns only after connecting: https://distributed.dask.org/en/stable/api.html#distributed.Client).
 */
function clientMismatch(image, local) {
    const minor = (version) => version.split(".").slice(0, 2).join(".");
    const differences = [];
    if (minor(image.python) !== minor(local.python))
        differences.push(`python ${local.python} here, ${image.python} in the image`);
    for (const name of ["dask", "distributed"]) {
        const [here, there] = [local.packages[name], image.packages[name]];
        if (here !== there)
            differences.push(`${name} ${here ?? "missing"} here, ${there ?? "missing"} in the image`);
    }
    return differences.length > 0 ? differences.join("; ") : undefined;
}
/**
 * The warning for a job that will run on this machine against a cluster from the image, or undefined when
 * `python` here matches the image (see {@link clientMismatch}). Given before the job starts: distributed itself
 * warns only once the client has connected, and a mismatch can fail later when results are unpickled.
 */
async function runnerJobWarning(image, python = "python3") {
    const here = await localPythonRecord(python);
    if (!here)
        return `the job runs on this machine, but ${python} could not list its packages; the cluster runs Python ${image.python} with dask ${image.packages["dask"] ?? "missing"}`;
    const mismatch = clientMismatch(image, here);
    return mismatch
        ? `the job runs on this machine (${python} on PATH) with other versions than the cluster: ${mismatch}; install the image's versions here, or run the job in the cluster (job-runs-on cluster)`
        : undefined;
}
//# sourceMappingURL=runner-python.js.map
;// CONCATENATED MODULE: ../image/dist/index.js
/**
 * @packageDocumentation
 * Environment file → normalised spec → content hash → Dockerfile and build context → build and push
 * through the Docker Engine API. See the package README for the rules and the tag scheme.
 */


























//# sourceMappingURL=index.js.map
// EXTERNAL MODULE: ../core/dist/validate.js + 5 modules
var validate = __webpack_require__(41317);
;// CONCATENATED MODULE: ../pipeline/dist/image-phase.js



/** True when the request builds an image (an environment file or a Dockerfile is given). */
const buildsImage = (request) => Boolean(request.environmentFile ?? request.dockerfile);
/**
 * Checks the image request against the backend before anything is built or created: Fargate pulls from a
 * registry, so a build for Fargate needs a repository to push to and push left on.
 */
function checkImageRequest(request, backend) {
    if (request.environmentFile && request.dockerfile)
        throw new validate/* ClusterConfigError */.N5("dockerfile", "give either environment-file (the image is generated from it) or dockerfile (your own Dockerfile is built as written), not both; remove one of them");
    if (!buildsImage(request)) {
        if (request.context)
            throw new validate/* ClusterConfigError */.N5("context", "context is the build context of a Dockerfile: give dockerfile too");
        if (request.target)
            throw new validate/* ClusterConfigError */.N5("target", "target is a stage of a Dockerfile: give dockerfile too");
        if (!request.image)
            throw new validate/* ClusterConfigError */.N5("image", "give image (an image with Dask), or environment-file or dockerfile (to build one)");
        return;
    }
    if (backend === "fargate" && (!request.image || request.push === false)) {
        throw new validate/* ClusterConfigError */.N5("image", "Fargate pulls the image from a registry: set image to a repository (e.g. an ECR repository, 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask) and keep push on");
    }
}
/** Builds, reuses or takes the image; pushes when the backend pulls from a registry (see {@link ImageRequest.push}). */
async function resolveImage(request, backend, logger) {
    checkImageRequest(request, backend);
    if (!buildsImage(request)) {
        const image = request.image ?? "";
        const record = request.record === false ? undefined : await localImageRecord(image, logger);
        return { image, digest: undefined, rebuilt: undefined, pushed: false, record, changes: undefined };
    }
    const push = Boolean(request.image) && (request.push ?? backend === "fargate");
    const result = await ensureImage({
        // Both sources as given: the image package refuses both at once (checkImageRequest did already).
        ...(request.environmentFile !== undefined ? { environmentFile: request.environmentFile } : {}),
        ...(request.dockerfile !== undefined
            ? {
                dockerfile: request.dockerfile,
                ...(request.context ? { context: request.context } : {}),
                ...(request.target ? { target: request.target } : {}),
                workspace: request.workspace ?? process.cwd(),
            }
            : {}),
        push,
        force: request.force ?? false,
        record: request.record ?? true,
        logger,
        ...(request.image ? { image: request.image } : {}),
        ...(request.baseImage ? { baseImage: request.baseImage } : {}),
        ...(request.platform ? { platform: request.platform } : {}),
        ...(request.credentials ? { credentials: request.credentials } : {}),
    });
    return {
        image: push && result.digest ? `${result.image}@${result.digest}` : result.image,
        digest: result.digest,
        rebuilt: result.status === "built",
        pushed: push,
        record: result.record,
        changes: result.changes ? changesText(result.changes) : undefined,
        ...(result.size ? { size: sizeText(result.size) } : {}),
    };
}
/**
 * What a given image holds, when it is on this machine's engine (the image of an earlier `build`, or a team's own
 * image): its package record, or what its Python reports. Undefined when it is only in a registry or has no Python.
 */
async function localImageRecord(image, logger) {
    const docker = new lib_docker();
    const present = await docker
        .getImage(image)
        .inspect()
        .then(() => true, () => false);
    if (!present)
        return undefined;
    try {
        const record = await readImageRecord(docker, image, LABELS.record);
        if (record)
            logger.info(`${image}: ${formatKeyVersions(record)}`);
        return record;
    }
    catch (error) {
        logger.warn(`the package record of ${image} could not be read: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
    }
}
//# sourceMappingURL=image-phase.js.map
;// CONCATENATED MODULE: ../pipeline/dist/job-deadline.js

/** The exit code of a job stopped by its time limit: the code `timeout(1)` uses. */
const JOB_TIMEOUT_EXIT_CODE = 124;
/** The exit code of a run interrupted by SIGINT or SIGTERM: 128 + SIGINT, as shells report it. */
const INTERRUPTED_EXIT_CODE = 130;
/** The exit code of a run whose job succeeded but whose output files did not all come back. */
const OUTPUTS_FAILED_EXIT_CODE = 1;
/**
 * The signal a job runs under: aborted by the run's own signal (SIGINT/SIGTERM) or when `job-timeout`
 * seconds have passed. Every backend stops its job on abort (a process group kill, a container kill,
 * StopTask), so one limit serves the runner, Docker and Fargate alike.
 */
function jobDeadline(signal, timeoutSeconds) {
    const limit = new AbortController();
    const timer = timeoutSeconds ? setTimeout(() => limit.abort(new Error(`job-timeout of ${timeoutSeconds} s`)), timeoutSeconds * 1000) : undefined;
    timer?.unref();
    return {
        signal: AbortSignal.any([signal, limit.signal]),
        /** True when the time limit (not an interruption) ended the job. */
        timedOut: () => limit.signal.aborted && !signal.aborted,
        dispose: () => clearTimeout(timer),
    };
}
/** A job time limit from an input or flag: a whole number of seconds, or a duration like `90m` or `2h`. */
function parseJobTimeout(value, field = "job-timeout") {
    if (value === undefined || value.trim() === "")
        return undefined;
    const match = /^(\d+)\s*(s|m|h)?$/.exec(value.trim());
    const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s")] : Number.NaN;
    if (!Number.isSafeInteger(seconds) || seconds <= 0) {
        throw new validate/* ClusterConfigError */.N5(field, `"${value}" is not a positive duration: give seconds (5400) or a number with s, m or h (90m, 2h)`);
    }
    return seconds;
}
//# sourceMappingURL=job-deadline.js.map
;// CONCATENATED MODULE: ../pipeline/dist/output-files.js
/** `12.3 kB`: a file size for people (decimal units). */
function formatBytes(bytes) {
    if (bytes < 1000)
        return `${bytes} B`;
    const units = ["kB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit += 1;
    }
    return `${value.toFixed(1)} ${units[unit]}`;
}
/**
 * The job's output directory: the one asked for, else `fallback` wherever files can come back. A job in a
 * Fargate cluster sends its files through S3, so without `output-uri` there it gets no default (and an
 * explicit `output-dir` is refused up front by the pipeline's validation).
 */
function outputDirFor(backend, settings, runsOn, explicit, fallback) {
    if (explicit !== undefined)
        return explicit;
    if (backend === "fargate" && runsOn === "cluster" && settings.fargate?.outputUri === undefined)
        return undefined;
    return fallback;
}
//# sourceMappingURL=output-files.js.map
;// CONCATENATED MODULE: ../pipeline/dist/registry-login.js

/**
 * The credentials for the image's registry, the same for the CLI and the action: a user name and password
 * when both are given (Docker Hub, GHCR, any v2 registry), else ECR's token through the AWS credentials when
 * the image is in ECR, else none (anonymous, or a registry that needs no login).
 */
function registryCredentialsFor(image, login) {
    if (login.username && login.password)
        return { kind: "basic", username: login.username, password: login.password };
    if (image && isEcrRegistry(parseImageReference(image, "image").registry))
        return { kind: "ecr" };
    return undefined;
}
//# sourceMappingURL=registry-login.js.map
;// CONCATENATED MODULE: ../pipeline/dist/run-cost.js

/**
 * What the requested shape costs per hour on Fargate, shown before every start (public IPv4 counted for every
 * task unless assign-public-ip is false; the job task counted when the job runs in the cluster); undefined on
 * the Docker backend, whose containers cost nothing beyond the machine.
 */
function hourlyCostOf(backend, settings, spec, jobInCluster) {
    const fargate = settings.fargate;
    if (backend !== "fargate" || !fargate)
        return undefined;
    const tasks = spec.workers + 1 + (jobInCluster ? 1 : 0);
    return hourlyFargateCost(spec, fargate.architecture ?? "X86_64", fargate.assignPublicIp === false ? 0 : tasks, fargate.spotWorkers ?? false, {
        jobTask: jobInCluster,
    });
}
/** What a finished run cost: every task for the cluster's whole life (an upper bound), the job task when it ran in the cluster. */
function runCostOf(backend, spec, handle, seconds, jobInCluster) {
    if (backend === "docker")
        return { usd: 0, text: "$0 (local Docker Engine)", method: "containers on this machine cost nothing beyond the machine" };
    const fargate = handle?.fargate?.spec;
    if (!fargate)
        return undefined;
    const publicIps = handle?.fargate?.assignPublicIp ? 1 + spec.workers + (jobInCluster ? 1 : 0) : 0;
    return estimateFargateCost(spec, fargate.architecture, seconds, publicIps, fargate.spotWorkers, { jobTask: jobInCluster });
}
//# sourceMappingURL=run-cost.js.map
;// CONCATENATED MODULE: ../pipeline/dist/run-message.js

/** `"<phase> phase: "`, the prefix every failure message starts with (or, for the job's own exit, ends its first clause with). */
const phasePrefix = (phase) => `${phase} phase: `;
/**
 * Prefixes an error's message with the phase it happened in, once, keeping the error itself (its class, fields and
 * cause): the CLI and the action print the error they are handed, so the phase must be in its message.
 */
function namePhase(error, phase) {
    if (error instanceof Error && !error.message.startsWith(phasePrefix(phase)))
        error.message = `${phasePrefix(phase)}${error.message}`;
    return error;
}
/** The run's outcome in one line: what happened, in which phase, and why (the limit, the stopped member, the error). */
function runMessage(facts) {
    const { stoppedMembers: stopped, outputsProblem } = facts;
    const members = stopped.length > 0
        ? `; ${phasePrefix("job")}stopped while the job ran: ${stopped.map((m) => `${m.member} (${m.reason ?? `exit ${m.exitCode}`})`).join(", ")}`
        : "";
    const outputs = outputsProblem ? `; ${phasePrefix("outputs")}${outputsProblem}` : "";
    switch (facts.ending) {
        case "up":
            return "the cluster is up";
        case "succeeded":
            return `the job succeeded (exit code 0)${members}`;
        case "outputs-failed":
            // The job succeeded but its files did not all come back: that is the part that went wrong, and it fails the run.
            return `${phasePrefix("outputs")}${outputsProblem ?? "not every output file came back"}; the job itself succeeded (exit code 0), the run exits ${facts.exitCode}${members}`;
        case "failed":
            return `the job exited with code ${facts.exitCode} in the job phase${facts.jobReason ? ` (${facts.jobReason})` : ""}${members}${outputs}`;
        case "timed-out":
            return `the job ran longer than job-timeout (${facts.timeoutSeconds} s): it was stopped and the cluster removed; exit code ${JOB_TIMEOUT_EXIT_CODE}${members}${outputs}`;
        case "interrupted": {
            const what = facts.phase === "image"
                ? "nothing was created"
                : facts.phase === "job" || facts.phase === "outputs"
                    ? "the job was stopped and the cluster removed"
                    : "the cluster was removed";
            return `interrupted in the ${facts.phase} phase: ${what}`;
        }
        case "error": {
            const message = facts.error instanceof Error ? facts.error.message : String(facts.error);
            return message.startsWith(phasePrefix(facts.phase)) ? message : `${phasePrefix(facts.phase)}${message}`;
        }
    }
}
//# sourceMappingURL=run-message.js.map
;// CONCATENATED MODULE: ../pipeline/dist/stopped-members.js
const TAIL = 20;
/**
 * Adds each stopped member's last log lines, read before the teardown removes them. A member is a container
 * name on Docker (`dfa-x-worker-1`) and `role task-id` on Fargate, whose log stream ends in the task id.
 */
async function stoppedMembersWithLogs(backend, clusterId, stopped, logger) {
    const logs = await backend.logs(clusterId, { tail: TAIL }).catch((error) => {
        logger.warn(`could not read the stopped members' logs: ${error instanceof Error ? error.message : String(error)}`);
        return [];
    });
    return stopped.map((member) => {
        const id = member.member.split(" ").pop() ?? member.member;
        const log = logs.find((l) => l.member === member.member || l.member.endsWith(`/${id}`));
        return { member: member.member, exitCode: member.exitCode, reason: member.reason, lastLines: log?.lines ?? [] };
    });
}
//# sourceMappingURL=stopped-members.js.map
;// CONCATENATED MODULE: ../pipeline/dist/run-pipeline.js








const JOB_LOG_TAIL = 40;
/**
 * image (build, reuse or given; pushed when the backend pulls from a registry) → up → job → outputs → down.
 * Bad input throws before anything is built or created. After that the run never throws: a failed start or
 * teardown is `ending: "error"` with `error` set, and the cluster is removed whatever happened (job failure,
 * job-timeout, error, SIGINT/SIGTERM), except after a successful `up`, whose cluster the caller removes later.
 */
async function runPipeline(request, hooks) {
    const { logger, signal } = hooks;
    const backend = createBackend(request.backend, request.settings);
    // Validated before the first side effect: the spec with a placeholder image, the backend's settings, the image request.
    const draft = (0,validate/* resolveClusterSpec */.uq)({ ...request.cluster, image: request.image.image ?? "image-set-after-build" });
    backend.validate(draft);
    checkImageRequest(request.image, request.backend);
    if (request.job?.outputDir !== undefined) {
        (0,validate/* checkOutputDir */.Vg)(request.job.outputDir);
        if (request.backend === "fargate" && request.job.runsOn === "cluster")
            (0,validate/* checkFargateJobOutputs */.kb)(request.job.outputDir, request.settings.fargate?.outputUri);
    }
    const jobInCluster = request.job?.runsOn === "cluster";
    // On Fargate the job's command travels in RunTask's overrides, capped by ECS: refuse a too long one now, not after the start.
    if (request.backend === "fargate" && request.job && jobInCluster)
        (0,validate/* checkJobOverrides */.X_)(draft, request.job.command);
    const phase = hooks.phase ?? ((_title, work) => work());
    const timer = new PhaseTimer();
    const jobLogTail = [];
    let image;
    let spec;
    let handle;
    let job;
    let timedOut = false;
    let error;
    let stoppedMembers = [];
    let upStarted;
    // Whether the start created anything: a start that failed before its first resource needs no teardown
    // (and one without credentials could not do it: the first error is the one to report).
    let created = false;
    let preflight = [];
    // The phase under way, so a failure or an interruption says where it happened.
    let current = "image";
    let errorPhase;
    let abortedIn;
    const noteAbort = () => {
        abortedIn ??= current;
    };
    if (signal.aborted)
        noteAbort();
    else
        signal.addEventListener("abort", noteAbort, { once: true });
    const hourlyCost = hourlyCostOf(request.backend, request.settings, draft, jobInCluster);
    try {
        const untrustedLog = hooks.untrustedLog ?? ((work) => work(logger));
        image = await phase("Image", () => timer.time("image", () => untrustedLog((buildLogger) => resolveImage(request.image, request.backend, buildLogger))));
        await hooks.onImage?.(image);
        if (image.record && request.job?.runsOn === "runner") {
            const mismatch = await runnerJobWarning(image.record);
            if (mismatch)
                logger.warn(mismatch);
        }
        const clusterSpec = (0,validate/* resolveClusterSpec */.uq)({ ...request.cluster, clusterId: draft.clusterId, image: image.image });
        spec = clusterSpec;
        const tlsDir = request.tlsDirFor(clusterSpec.clusterId);
        await hooks.onStart?.(clusterSpec, tlsDir);
        current = "up";
        if (request.replaceExisting) {
            await phase("Replace the cluster of an earlier attempt", () => backend.down({ clusterId: clusterSpec.clusterId }, { logger }));
        }
        if (hourlyCost)
            logger.info(`cost: ${hourlyCost.text} (${hourlyCost.method})`);
        upStarted = Date.now();
        const shape = `1 scheduler + ${clusterSpec.workers} workers of ${clusterSpec.workerCpu} vCPU / ${clusterSpec.workerMemory} MiB`;
        const started = await phase(`Start cluster ${clusterSpec.clusterId} (${backend.name}: ${shape})`, () => timer.time("up", () => backend.up(clusterSpec, {
            logger,
            signal,
            tlsDir,
            ...(request.readiness ? { readiness: request.readiness } : {}),
            onPartial: (partial) => {
                created = true;
                hooks.onPartial?.(partial);
            },
            onPreflight: (report) => {
                preflight = report.findings;
            },
        })));
        handle = started;
        await hooks.onReady?.(started);
        const jobRequest = request.job;
        if (!jobRequest)
            return result("up");
        current = "job";
        const deadline = jobDeadline(signal, jobRequest.timeoutSeconds);
        try {
            job = await phase(`Job: ${jobRequest.command}`, () => timer.time("job", () => runClusterJob(backend, started, {
                command: jobRequest.command,
                runsOn: jobRequest.runsOn,
                workdir: jobRequest.workdir,
                ...(jobRequest.inheritEnv ? { inheritEnv: jobRequest.inheritEnv } : {}),
                ...(jobRequest.runAs !== undefined ? { runAs: jobRequest.runAs } : {}),
                ...(jobRequest.outputDir ? { outputDir: jobRequest.outputDir } : {}),
                onOutput: (line, stream) => {
                    jobLogTail.push(line);
                    if (jobLogTail.length > JOB_LOG_TAIL)
                        jobLogTail.shift();
                    hooks.onJobOutput?.(line, stream);
                },
            }, { logger, signal: deadline.signal })));
            timedOut = deadline.timedOut();
        }
        finally {
            deadline.dispose();
        }
        if (job.stoppedMembers.length > 0)
            stoppedMembers = await stoppedMembersWithLogs(backend, clusterSpec.clusterId, job.stoppedMembers, logger);
    }
    catch (caught) {
        error = caught;
        errorPhase = current;
    }
    finally {
        // A started cluster is removed unless `up` succeeded; after a failed start the backend has already cleaned up,
        // and this idempotent pass finishes what its cleanup could not.
        const keep = !request.job && error === undefined && !signal.aborted;
        if (spec && !keep) {
            const clusterId = spec.clusterId;
            const tlsDir = request.tlsDirFor(clusterId);
            try {
                if (created || handle || request.replaceExisting) {
                    if (errorPhase === undefined)
                        current = "down";
                    await phase("Teardown", () => timer.time("down", () => backend.down({ clusterId, handle, tlsDir }, { logger })));
                }
                // Also when nothing was created: the caller forgets the cluster (e.g. the CLI's record written at the start).
                await hooks.onTornDown?.();
            }
            catch (caught) {
                if (error === undefined) {
                    error = caught;
                    errorPhase = "down";
                }
                else
                    logger.warn(`teardown failed too: ${caught instanceof Error ? caught.message : String(caught)}`);
            }
        }
    }
    signal.removeEventListener("abort", noteAbort);
    if (error !== undefined)
        return result(signal.aborted ? "interrupted" : "error");
    // The files that came back to outputDir (on Fargate: uploaded by the job task, then downloaded).
    const outputs = job?.outputs?.files ?? [];
    if (signal.aborted)
        return result("interrupted", outputs);
    if (timedOut)
        return result("timed-out", outputs);
    // A job that succeeded without all its files back fails the run: the next step (an artifact upload, a model
    // registry) would otherwise go on without them.
    if (job?.exitCode === 0 && job.outputs?.problem)
        return result("outputs-failed", outputs);
    return result(job?.exitCode === 0 ? "succeeded" : "failed", outputs);
    function result(ending, outputs = []) {
        const exitCode = ending === "interrupted"
            ? INTERRUPTED_EXIT_CODE
            : ending === "timed-out"
                ? JOB_TIMEOUT_EXIT_CODE
                : ending === "outputs-failed"
                    ? OUTPUTS_FAILED_EXIT_CODE
                    : ending === "succeeded" || ending === "failed"
                        ? (job?.exitCode ?? 1)
                        : undefined;
        const seconds = upStarted === undefined ? 0 : (Date.now() - upStarted) / 1000;
        const outputsProblem = job?.outputs?.problem;
        const failedPhase = ending === "error"
            ? (errorPhase ?? current)
            : ending === "interrupted"
                ? (abortedIn ?? errorPhase ?? current)
                : ending === "failed" || ending === "timed-out"
                    ? "job"
                    : ending === "outputs-failed"
                        ? "outputs"
                        : undefined;
        if (ending === "error")
            namePhase(error, failedPhase ?? current);
        return {
            backend: request.backend,
            clusterId: spec?.clusterId ?? draft.clusterId,
            spec,
            image,
            handle,
            ending,
            exitCode,
            message: runMessage({
                ending,
                exitCode,
                phase: failedPhase ?? current,
                timeoutSeconds: request.job?.timeoutSeconds,
                jobReason: job?.reason,
                stoppedMembers,
                outputsProblem,
                error,
            }),
            failedPhase,
            stoppedMembers,
            jobLogTail: [...jobLogTail],
            outputDir: request.job?.outputDir,
            outputs,
            phasesMs: timer.toJSON(),
            hourlyCost,
            preflight,
            cost: ending !== "up" && spec && upStarted !== undefined ? runCostOf(request.backend, spec, handle, seconds, jobInCluster) : undefined,
            error,
        };
    }
}
//# sourceMappingURL=run-pipeline.js.map
;// CONCATENATED MODULE: ../pipeline/dist/saved-cluster.js

const BACKENDS = ["docker", "fargate"];
/**
 * Parses and checks a saved cluster. The error names `source` (a file, the action's state), what is wrong, and
 * `fix`: how to remove the cluster without the record.
 */
function parseSavedCluster(text, source, fix = "remove it, and remove its cluster by id with dask-fargate down --cluster-id ID (--backend fargate --region R for Fargate)") {
    const refuse = (why) => {
        throw new validate/* ClusterConfigError */.N5("cluster-id", `${source} is not a saved dask-fargate cluster (${why}); ${fix}`);
    };
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        // The parser's own message differs between Node versions and may quote the text; the cause is enough.
        return refuse("not JSON");
    }
    if (!isObject(value))
        return refuse("not a JSON object");
    if (value["version"] !== 1)
        return refuse(`version ${JSON.stringify(value["version"])} is not 1`);
    const clusterId = value["clusterId"];
    if (typeof clusterId !== "string")
        return refuse("clusterId is not a string");
    (0,validate/* assertClusterId */.mT)(clusterId, source);
    if (!BACKENDS.includes(value["backend"]))
        return refuse(`backend ${JSON.stringify(value["backend"])} is not docker or fargate`);
    const settings = value["settings"];
    if (!isObject(settings))
        return refuse("settings is not an object");
    if (value["backend"] === "fargate" && !(isObject(settings["fargate"]) && typeof settings["fargate"]["region"] === "string"))
        return refuse("a fargate cluster's settings name no region");
    for (const key of ["handle", "partial"])
        if (value[key] !== undefined && value[key] !== null && !isObject(value[key]))
            return refuse(`${key} is not an object`);
    const handle = value["handle"];
    if (isObject(handle) && (handle["clusterId"] !== clusterId || handle["backend"] !== value["backend"]))
        return refuse(`its handle is of cluster ${JSON.stringify(handle["clusterId"])} on ${JSON.stringify(handle["backend"])}`);
    const partial = value["partial"];
    if (isObject(partial) && partial["backend"] !== undefined && partial["backend"] !== value["backend"])
        return refuse(`its partial start is on ${JSON.stringify(partial["backend"])}, not ${value["backend"]}`);
    if (value["tlsDir"] !== undefined && typeof value["tlsDir"] !== "string")
        return refuse("tlsDir is not a string");
    if (value["tornDown"] !== undefined && typeof value["tornDown"] !== "boolean")
        return refuse("tornDown is not true or false");
    // Records written before the TLS directory had its own name called it stateDir (the record and its handle).
    const tlsDir = value["tlsDir"] ?? (typeof value["stateDir"] === "string" ? value["stateDir"] : undefined);
    const { stateDir: _old, ...rest } = value;
    return {
        ...rest,
        ...(tlsDir !== undefined ? { tlsDir: tlsDir } : {}),
        handle: handleOf(handle),
        partial: partialOf(partial, value["backend"]),
    };
}
/** A saved handle; one written before the rename names its TLS directory `stateDir`. */
function handleOf(value) {
    if (!isObject(value))
        return undefined;
    if (value["tlsDir"] !== undefined || typeof value["stateDir"] !== "string")
        return value;
    const { stateDir, ...rest } = value;
    return { ...rest, tlsDir: stateDir };
}
/**
 * A saved partial start. Records written before the partial carried its backend held `{ resources, fargate }`
 * (`resources` always empty): they are read as the backend's partial, so a later teardown still finds what they name.
 */
function partialOf(value, backend) {
    if (!isObject(value))
        return undefined;
    if (value["backend"] === "docker" || value["backend"] === "fargate")
        return value;
    if (backend === "fargate" && isObject(value["fargate"]))
        return { backend, fargate: value["fargate"] };
    return backend === "docker" ? { backend } : undefined;
}
/** The text of a saved cluster (parseSavedCluster reads it back). */
function formatSavedCluster(saved) {
    return `${JSON.stringify(saved, null, 2)}\n`;
}
function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
//# sourceMappingURL=saved-cluster.js.map
;// CONCATENATED MODULE: ../pipeline/dist/index.js
/**
 * @packageDocumentation
 * One run of the tool, shared by the CLI and the GitHub Action so they cannot drift: the image (built,
 * reused or given; pushed whenever the backend pulls from a registry) → the cluster → the job → its output
 * files → the teardown, with phase times, the cost estimate and one result object.
 */








//# sourceMappingURL=index.js.map
// EXTERNAL MODULE: ./src/action-io.ts
var action_io = __webpack_require__(63271);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./src/cancellation.ts
var src_cancellation = __webpack_require__(40447);
// EXTERNAL MODULE: ./src/workflow-commands.ts + 1 modules
var workflow_commands = __webpack_require__(66592);
;// CONCATENATED MODULE: ./src/job-log.ts

/**
 * Streams remote output (a job's log) into the Actions log without letting it issue workflow commands
 * (inside a {@link StopCommandsWindow}, each line neutralised). The last lines are kept, as written, for
 * the job summary.
 */
class JobLog {
    keep;
    window;
    tail = [];
    constructor(write, keep = 40) {
        this.keep = keep;
        this.window = new workflow_commands/* StopCommandsWindow */.b(write);
    }
    line(text) {
        this.tail.push(this.window.line(text));
        if (this.tail.length > this.keep)
            this.tail.shift();
    }
    close() {
        this.window.close();
    }
    lastLines() {
        return this.tail;
    }
}

;// CONCATENATED MODULE: ./src/packages-file.ts



/** Writes the image's record for the `packages` output: `{ python, packages: { name: version } }` as JSON; returns its path. */
async function writePackagesFile(record) {
    const path = (0,external_node_path_.join)(process.env["RUNNER_TEMP"] ?? (0,external_node_os_.tmpdir)(), "dask-fargate-packages.json");
    await (0,promises_.writeFile)(path, `${JSON.stringify(record, null, 1)}\n`);
    return path;
}

;// CONCATENATED MODULE: ./src/run-context.ts

/** Reads the run context from the environment the runner sets. */
function runContextFrom(env) {
    return {
        repository: env["GITHUB_REPOSITORY"],
        workflow: env["GITHUB_WORKFLOW"],
        job: env["GITHUB_JOB"],
        runId: env["GITHUB_RUN_ID"],
        runAttempt: env["GITHUB_RUN_ATTEMPT"],
    };
}
/** AWS tag values allow letters, digits, spaces and `_.:/=+-@`; anything else becomes `_`. */
function tagValue(value) {
    return value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, "_").slice(0, 256);
}
/** Labels (Docker) / tags (AWS) that say where a cluster came from. */
function runLabels(context) {
    const labels = {};
    if (context.repository)
        labels["github.repository"] = tagValue(context.repository);
    if (context.workflow)
        labels["github.workflow"] = tagValue(context.workflow);
    if (context.job)
        labels["github.job"] = tagValue(context.job);
    if (context.runId)
        labels["github.run-id"] = context.runId;
    if (context.runAttempt)
        labels["github.run-attempt"] = context.runAttempt;
    return labels;
}
/**
 * The default cluster id: `gh-<run id>-<attempt>-<6 hex of repository/workflow/job>`. The attempt is in it, so a
 * re-run of a workflow gets its own cluster and its own outputs prefix, never the earlier attempt's (whose post
 * step, or the reaper, removes that attempt's cluster). Outside Actions: `dfa-` and random hex.
 */
function defaultClusterId(context) {
    if (!context.runId)
        return `dfa-${(0,external_node_crypto_.randomBytes)(4).toString("hex")}`;
    const origin = (0,external_node_crypto_.createHash)("sha256")
        .update(`${context.repository ?? ""}/${context.workflow ?? ""}/${context.job ?? ""}`)
        .digest("hex")
        .slice(0, 6);
    const attempt = /^\d{1,4}$/.test(context.runAttempt ?? "") ? `${context.runAttempt}-` : "";
    return `gh-${context.runId}-${attempt}${origin}`.toLowerCase().slice(0, 32);
}

;// CONCATENATED MODULE: ./src/summary.ts

/** Escapes text for a Markdown table cell or HTML: no markup, pipes or line breaks get through. */
function escapeCell(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\r?\n/g, " ");
}
/** The job summary as Markdown (written to GITHUB_STEP_SUMMARY). */
function renderSummary(data) {
    const rows = [
        ["command", data.command],
        ["backend", data.backend],
        ...(data.clusterId ? [["cluster", data.clusterId]] : []),
        ...(data.shape ? [["shape", data.shape]] : []),
        ...(data.image
            ? [["image", `${data.image}${data.rebuilt === undefined ? "" : data.rebuilt ? " (rebuilt)" : " (unchanged, reused)"}`]]
            : []),
        ...(data.packages ? [["packages", data.packages]] : []),
        ...(data.changes ? [["changes", data.changes]] : []),
        ...(data.imageSize ? [["image size", data.imageSize]] : []),
        ...Object.entries(data.phasesMs).map(([phase, ms]) => [`time: ${phase}`, `${(ms / 1000).toFixed(1)} s`]),
        ...(data.cost ? [["cost estimate", data.cost.text]] : []),
        ...(data.exitCode !== undefined ? [["job exit code", String(data.exitCode)]] : []),
        ...(data.outcome ? [["outcome", data.outcome]] : []),
        ...(data.preflight ?? []).map((f) => [`preflight: ${f.check}`, f.status === "ok" ? "ok" : `${f.status}: ${f.message}`]),
        ...(data.outputs ?? []).map((file) => [`output: ${file.path}`, formatBytes(file.bytes)]),
    ];
    const lines = ["## dask-fargate-action", "", "| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`)];
    if (data.cost)
        lines.push("", `<sub>${escapeCell(data.cost.method)}</sub>`);
    for (const member of data.stoppedMembers ?? []) {
        lines.push("", `<details><summary>${escapeCell(`${member.member} stopped: ${member.reason ?? `exit ${member.exitCode}`}`)}</summary>`, "", "<pre>", ...member.lastLines.map((l) => escapeCell(l)), "</pre>", "</details>");
    }
    if (data.logTail.length > 0) {
        lines.push("", `<details><summary>last ${data.logTail.length} lines of the job's log</summary>`, "", "<pre>", ...data.logTail.map((l) => escapeCell(l)), "</pre>", "</details>");
    }
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./src/tls-dir.ts



/**
 * Where a cluster's client TLS files live on the runner: `$RUNNER_TEMP/dask-fargate/<cluster-id>`. main and the
 * post step both derive it from the (checked) id; the post step never takes a path from saved state, which a
 * step's state could name anywhere.
 */
function clusterTlsDir(clusterId, env = process.env) {
    return (0,validate/* clusterDirectory */.cT)((0,external_node_path_.join)(env["RUNNER_TEMP"] ?? (0,external_node_os_.tmpdir)(), "dask-fargate"), clusterId);
}

;// CONCATENATED MODULE: ./src/cluster-step.ts














/**
 * `up` and `run`: the run pipeline shared with the CLI (image → cluster → job → outputs → teardown) with the
 * action's side: log groups, outputs, saved state after every created resource (so the post step, or a
 * cancelled run's post step, can always finish the teardown) and the job summary. With `up` the cluster
 * lives until the job ends and the post step removes it. A cancelled step (SIGINT/SIGTERM) fails with exit code
 * 130 and a message naming the phase it was cancelled in and the signal.
 */
async function clusterStep(inputs, step) {
    const { context, state, cancellation } = step;
    const logger = action_io/* actionLogger */.v0;
    const signal = cancellation.signal;
    const before = cancellation.cancelled;
    if (before) {
        // A signal while the modules loaded: nothing is built or started.
        (0,action_io/* setFailed */.C1)((0,src_cancellation/* cancelledOutcome */.yO)(before, { teardown: "not needed", error: undefined }));
        process.exitCode = INTERRUPTED_EXIT_CODE;
        return;
    }
    const clusterId = inputs.clusterId ?? defaultClusterId(context);
    const runner = process.env["RUNNER_TEMP"] ?? (0,external_node_os_.tmpdir)();
    const tlsDirFor = (id) => clusterTlsDir(id);
    const wanted = outputDirFor(inputs.backend, inputs.backendSettings, inputs.jobRunsOn, inputs.outputDir, (0,external_node_path_.join)(runner, "dask-fargate-output", clusterId));
    const outputDir = wanted === undefined ? undefined : (0,external_node_path_.resolve)(wanted);
    const jobLog = new JobLog((line) => core.info(line));
    let packages;
    let spec;
    let forgotten = false;
    const result = await runPipeline({
        backend: inputs.backend,
        settings: inputs.backendSettings,
        cluster: { ...inputs.cluster, clusterId, labels: runLabels(context) },
        image: imageRequestOf(inputs),
        tlsDirFor,
        readiness: inputs.readiness,
        ...(inputs.command === "run"
            ? {
                job: {
                    command: inputs.jobCommand ?? "",
                    runsOn: inputs.jobRunsOn,
                    workdir: inputs.jobWorkdir,
                    inheritEnv: inputs.jobEnv,
                    ...(inputs.jobUser !== undefined ? { runAs: inputs.jobUser } : {}),
                    timeoutSeconds: step.jobTimeoutSeconds,
                    ...(outputDir ? { outputDir } : {}),
                },
            }
            : {}),
        replaceExisting: !inputs.clusterId && Number(context.runAttempt ?? "1") > 1,
    }, {
        logger,
        signal,
        // Each phase in a log group, and named for a cancellation's message.
        phase: (title, work) => cancellation.phase((0,src_cancellation/* stepPhaseOf */.F7)(title), () => (0,action_io/* group */.Os)(title, work)),
        // Build output is not ours: it runs inside a window where workflow commands do nothing.
        untrustedLog: action_io/* withUntrustedLog */.xM,
        onImage: async (image) => {
            packages = await imageOutputs(image);
        },
        onStart: (started, tlsDir) => {
            spec = started;
            state.save({ clusterId: started.clusterId, backend: inputs.backend, settings: inputs.backendSettings, tlsDir, tornDown: false });
            (0,action_io/* setOutput */.uH)("cluster-id", started.clusterId);
        },
        onPartial: (partial) => state.save({ clusterId, partial }),
        onReady: async (handle) => {
            if (handle.clientTlsFiles)
                (0,action_io/* maskSecret */.$l)(await (0,promises_.readFile)(handle.clientTlsFiles.key, "utf8"));
            state.save({ clusterId, handle });
            (0,action_io/* setOutput */.uH)("scheduler-address", handle.clientSchedulerAddress ?? handle.schedulerAddress);
            (0,action_io/* setOutput */.uH)("dashboard-url", handle.dashboardUrl ?? "");
            // A client in a later step of the job (command: up) needs the client TLS files: their paths, never their content.
            if (handle.clientTlsFiles) {
                (0,action_io/* setOutput */.uH)("tls-ca-file", handle.clientTlsFiles.ca);
                (0,action_io/* setOutput */.uH)("tls-cert-file", handle.clientTlsFiles.cert);
                (0,action_io/* setOutput */.uH)("tls-key-file", handle.clientTlsFiles.key);
            }
        },
        onJobOutput: (line) => jobLog.line(line),
        onTornDown: () => {
            forgotten = true;
            state.save({ clusterId, tornDown: true });
        },
    });
    jobLog.close();
    const cancelled = result.ending === "interrupted" ? cancellation.cancelled : undefined;
    // The teardown ran when it was timed; it finished when the pipeline then forgot the cluster (onTornDown).
    const teardown = result.phasesMs["down"] === undefined ? "not needed" : forgotten ? "done" : "failed";
    const outcome = cancelled ? (0,src_cancellation/* cancelledOutcome */.yO)(cancelled, { teardown, error: result.error }) : result.message;
    if (result.ending === "up")
        logger.info(`cluster ${clusterId} is up; the post step removes it when the job ends`);
    if (result.cost)
        (0,action_io/* setOutput */.uH)("cost-estimate", result.cost.text);
    if (result.exitCode !== undefined)
        (0,action_io/* setOutput */.uH)("job-exit-code", result.exitCode);
    if (inputs.command === "run" && outputDir)
        (0,action_io/* setOutput */.uH)("output-dir", outputDir);
    await core.summary.addRaw(summaryOf(inputs, result, outcome, spec, packages, jobLog.lastLines())).write();
    if (result.ending === "error")
        throw result.error;
    if (result.ending === "interrupted" || (result.exitCode !== undefined && result.exitCode !== 0)) {
        (0,action_io/* setFailed */.C1)(outcome);
        process.exitCode = result.exitCode ?? 1;
    }
}
/**
 * The image request of build, up and run. Push is on by default and pushes whenever an image repository is
 * given (`run`/`up` on Fargate refuse a build that is not pushed: Fargate pulls from a registry).
 */
function imageRequestOf(inputs) {
    const credentials = registryCredentialsFor(inputs.image, { username: inputs.registryUsername, password: inputs.registryPassword });
    return {
        image: inputs.image,
        environmentFile: inputs.environmentFile,
        dockerfile: inputs.dockerfile,
        context: inputs.context,
        target: inputs.target,
        // The Dockerfile and its context must stay inside the checkout: everything in the context can reach the image.
        workspace: process.env["GITHUB_WORKSPACE"] ?? process.cwd(),
        baseImage: inputs.baseImage,
        platform: inputs.platform,
        force: inputs.force,
        credentials,
        push: inputs.push && Boolean(inputs.image) && (inputs.command === "build" || inputs.backend === "fargate"),
    };
}
/** The image outputs (image, digest, rebuilt, packages) and the summary's package line. */
async function imageOutputs(image) {
    if (image.rebuilt !== undefined) {
        (0,action_io/* setOutput */.uH)("image", image.image);
        (0,action_io/* setOutput */.uH)("digest", image.digest ?? "");
        (0,action_io/* setOutput */.uH)("rebuilt", image.rebuilt);
    }
    // Built here, found on the engine, or a given image on the engine: what it holds was read back from it.
    if (!image.record)
        return undefined;
    (0,action_io/* setOutput */.uH)("packages", await writePackagesFile(image.record));
    return formatKeyVersions(image.record);
}
function summaryOf(inputs, result, outcome, spec, packages, logTail) {
    const shown = spec ?? safeSpec(inputs);
    return renderSummary({
        command: inputs.command,
        backend: result.backend,
        clusterId: result.clusterId,
        shape: shown
            ? `1 scheduler (${shown.schedulerCpu} vCPU, ${shown.schedulerMemory} MiB) + ${shown.workers} workers (${shown.workerCpu} vCPU, ${shown.workerMemory} MiB, ${shown.workerThreads} threads)`
            : undefined,
        image: result.image?.image ?? inputs.image,
        rebuilt: result.image?.rebuilt,
        packages,
        changes: result.image?.changes,
        imageSize: result.image?.size,
        phasesMs: result.phasesMs,
        // With `up` the cluster lives on after this step, so a cost now would understate it.
        cost: result.cost,
        exitCode: result.exitCode,
        outcome: result.ending === "up" ? undefined : outcome,
        outputs: result.outputs,
        stoppedMembers: result.stoppedMembers,
        preflight: result.preflight,
        logTail,
    });
}
function safeSpec(inputs) {
    try {
        return (0,validate/* resolveClusterSpec */.uq)({ ...inputs.cluster, image: inputs.image ?? "unset" });
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/state.ts


/**
 * Saves and loads the cluster state (the saved-cluster schema the CLI's records use too) through functions
 * shaped like @actions/core's saveState/getState. main saves after each created resource so the post step
 * can tear down; the post step's load checks the schema.
 */
function clusterState(io) {
    let current;
    return {
        save(change) {
            current = {
                ...(current ?? { version: 1, backend: "docker", settings: {}, handle: undefined, partial: undefined, tornDown: false }),
                ...change,
            };
            io.saveState(action_io/* STATE_KEY */.Mq, JSON.stringify(current));
            return current;
        },
        load() {
            const text = io.getState(action_io/* STATE_KEY */.Mq);
            return text
                ? parseSavedCluster(text, `the step's saved state "${action_io/* STATE_KEY */.Mq}"`, "remove the cluster with this action's command: down and its cluster-id, or command: reap")
                : undefined;
        },
    };
}

;// CONCATENATED MODULE: ./src/commands.ts










/**
 * The commands, loaded by main with `import()` once the inputs are valid: this module pulls in the AWS SDK
 * clients, dockerode, the image builder and the run pipeline, which take most of the step's start-up time.
 */
async function dispatch(inputs, cancellation) {
    const signal = cancellation.signal;
    // The one input readInputs leaves to the pipeline's parser (see ActionInputs.jobTimeout), checked before anything runs.
    const jobTimeoutSeconds = parseJobTimeout(inputs.jobTimeout);
    switch (inputs.command) {
        case "build": {
            const built = await cancellation.phase("image", () => (0,action_io/* group */.Os)("Image", () => (0,action_io/* withUntrustedLog */.xM)((logger) => resolveImage(imageRequestOf(inputs), "docker", logger))));
            (0,action_io/* setOutput */.uH)("image", built.image);
            (0,action_io/* setOutput */.uH)("digest", built.digest ?? "");
            (0,action_io/* setOutput */.uH)("rebuilt", built.rebuilt ?? false);
            if (built.record)
                (0,action_io/* setOutput */.uH)("packages", await writePackagesFile(built.record));
            const holds = `${built.record ? `\n\n${escapeCell(formatKeyVersions(built.record))}` : ""}${built.changes ? `\n\n${escapeCell(built.changes)}` : ""}`;
            await core.summary
                .addRaw(`## dask-fargate-action\n\nimage \`${built.image}\`: ${built.rebuilt ? "rebuilt" : "unchanged, nothing was built or pushed"}${holds}\n`)
                .write();
            return;
        }
        case "up":
        case "run":
            return clusterStep(inputs, { context: runContextFrom(process.env), state: clusterState(core), cancellation, jobTimeoutSeconds });
        case "down": {
            const clusterId = inputs.clusterId ?? "";
            // Like reap: only a cluster this repository started (tags are data anyone may set; the running repository is not).
            const repository = runLabels(runContextFrom(process.env))["github.repository"];
            const report = await cancellation.phase("down", () => (0,action_io/* group */.Os)(`Teardown of ${clusterId}${repository ? ` (clusters of ${repository} only)` : ""}`, () => createBackend(inputs.backend, inputs.backendSettings).down({ clusterId, repository }, { logger: action_io/* actionLogger */.v0, signal })));
            (0,action_io/* setOutput */.uH)("cluster-id", clusterId);
            action_io/* actionLogger */.v0.info(`removed ${report.removed.length} resources`);
            return;
        }
        case "reap": {
            const result = await cancellation.phase("reap", () => (0,action_io/* group */.Os)(`Reap expired clusters${inputs.reapRepository ? ` of ${inputs.reapRepository}` : " of every repository"}`, () => createBackend(inputs.backend, inputs.backendSettings).reap({
                logger: action_io/* actionLogger */.v0,
                signal,
                dryRun: inputs.dryRun,
                repository: inputs.reapRepository,
                ...(inputs.olderThanSeconds !== undefined ? { olderThanSeconds: inputs.olderThanSeconds } : {}),
            })));
            await core.summary
                .addRaw(`## dask-fargate-action reap\n\n${inputs.dryRun ? "would reap" : "reaped"}: ${result.reaped.join(", ") || "none"}; kept: ${result.kept.join(", ") || "none"}\n`)
                .write();
            return;
        }
    }
}


/***/ }),

/***/ 8962:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ planDockerCluster),
/* harmony export */   q: () => (/* binding */ dockerWorkerPlan)
/* harmony export */ });
/* harmony import */ var _internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(53145);
/* harmony import */ var _internal_labels_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42628);
/* harmony import */ var _members_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(89401);



/** The worker container with index `index` (scale adds workers past the highest index). */
function dockerWorkerPlan(spec, facts, schedulerAddress, index) {
    return {
        role: "worker",
        name: _members_js__WEBPACK_IMPORTED_MODULE_2__/* .names */ .Dy.worker(spec.clusterId, index),
        command: (0,_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .workerCommand */ .y2)(spec, schedulerAddress, `worker-${index}`),
        cpu: spec.workerCpu,
        memoryMiB: spec.workerMemory,
        environment: spec.environment,
        createdAt: facts.createdAt,
        expiresAt: facts.expiresAt,
    };
}
/** Plans the network and containers of a Docker cluster from the validated spec. Pure: same input, same plan. */
function planDockerCluster(spec, facts) {
    const schedulerAddress = `${spec.tls ? "tls" : "tcp"}://${_members_js__WEBPACK_IMPORTED_MODULE_2__/* .names */ .Dy.scheduler(spec.clusterId)}:${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .SCHEDULER_PORT */ .Q9}`;
    return {
        backend: "docker",
        clusterId: spec.clusterId,
        network: { name: _members_js__WEBPACK_IMPORTED_MODULE_2__/* .names */ .Dy.network(spec.clusterId), driver: "bridge", labels: (0,_internal_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .clusterLabels */ .EC)(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels) },
        scheduler: {
            role: "scheduler",
            name: _members_js__WEBPACK_IMPORTED_MODULE_2__/* .names */ .Dy.scheduler(spec.clusterId),
            command: (0,_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .schedulerCommand */ .hx)(spec),
            cpu: spec.schedulerCpu,
            memoryMiB: spec.schedulerMemory,
            environment: spec.environment,
            createdAt: facts.createdAt,
            expiresAt: facts.expiresAt,
            publish: true,
        },
        workers: Array.from({ length: spec.workers }, (_, index) => dockerWorkerPlan(spec, facts, schedulerAddress, index)),
        schedulerAddress,
        publishedPorts: [_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .SCHEDULER_PORT */ .Q9, _internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .DASHBOARD_PORT */ .r2],
        tls: spec.tls,
    };
}
//# sourceMappingURL=docker-plan.js.map

/***/ }),

/***/ 89401:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dy: () => (/* binding */ names),
/* harmony export */   Mn: () => (/* binding */ streamLines),
/* harmony export */   aR: () => (/* binding */ putTlsFiles),
/* harmony export */   bi: () => (/* binding */ createMember),
/* harmony export */   w$: () => (/* binding */ lastLines)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var tar_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36474);
/* harmony import */ var _internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(53145);
/* harmony import */ var _internal_labels_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(42628);
/* harmony import */ var _internal_output_lines_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(84368);





/** Names of the Docker objects of a cluster. */
const names = {
    network: (clusterId) => clusterId,
    scheduler: (clusterId) => `${clusterId}-scheduler`,
    worker: (clusterId, index) => `${clusterId}-worker-${index}`,
    job: (clusterId, suffix) => `${clusterId}-job-${suffix}`,
};
/** Creates (does not start) a member container on the cluster's network, with CPU and memory limits from the spec. */
async function createMember(docker, spec, options) {
    const ports = [`${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .SCHEDULER_PORT */ .Q9}/tcp`, `${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .DASHBOARD_PORT */ .r2}/tcp`];
    return docker.createContainer({
        name: options.name,
        Image: spec.image,
        Cmd: [...options.command],
        Env: Object.entries(options.environment).map(([k, v]) => `${k}=${v}`),
        Labels: (0,_internal_labels_js__WEBPACK_IMPORTED_MODULE_3__/* .clusterLabels */ .EC)(spec.clusterId, options.createdAt, options.expiresAt, spec.labels, options.role),
        ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
        ...(options.publish ? { ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])) } : {}),
        HostConfig: {
            NetworkMode: names.network(spec.clusterId),
            NanoCpus: Math.round(options.cpu * 1e9),
            Memory: options.memoryMiB * 1024 * 1024,
            MemorySwap: options.memoryMiB * 1024 * 1024,
            ...(options.binds ? { Binds: [...options.binds] } : {}),
            ...(options.tmpfs && Object.keys(options.tmpfs).length > 0 ? { Tmpfs: { ...options.tmpfs } } : {}),
            ...(options.publish ? { PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostIp: "127.0.0.1", HostPort: "" }]])) } : {}),
        },
    });
}
/**
 * Copies TLS files into a created container before it starts, so keys never appear in container
 * metadata (environment, command, labels) or logs. Files are readable inside that container only.
 */
async function putTlsFiles(container, identity) {
    const archive = (0,tar_stream__WEBPACK_IMPORTED_MODULE_1__.pack)();
    const chunks = [];
    archive.on("data", (c) => chunks.push(c));
    const done = new Promise((resolve, reject) => {
        archive.on("end", resolve);
        archive.on("error", reject);
    });
    const dir = _internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .TLS_DIR */ .Qy.replace(/^\/tmp\//, "");
    archive.entry({ name: `${dir}/`, type: "directory", mode: 0o755 });
    // The member runs as the image's user, whose uid is unknown here: the files are world-readable inside this container only.
    archive.entry({ name: `${dir}/${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .TLS_FILES */ .qJ.ca}`, mode: 0o444 }, identity.ca);
    archive.entry({ name: `${dir}/${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .TLS_FILES */ .qJ.cert}`, mode: 0o444 }, identity.cert);
    archive.entry({ name: `${dir}/${_internal_dask_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .TLS_FILES */ .qJ.key}`, mode: 0o444 }, identity.key);
    archive.finalize();
    await done;
    await container.putArchive(Buffer.concat(chunks), { path: "/tmp" });
}
/** The last lines a container printed (stdout and stderr, in the order written), for failure reports and `logs`. */
async function lastLines(container, count = 15) {
    try {
        const raw = (await container.logs({ stdout: true, stderr: true, tail: count }));
        const merged = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
        const lines = [];
        const reading = (0,_internal_output_lines_js__WEBPACK_IMPORTED_MODULE_4__/* .readLines */ .S)(merged, (line) => {
            if (line.trimEnd() !== "")
                lines.push(line.trimEnd());
        });
        await demux(container.modem, node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.from([raw]), merged, merged);
        merged.end();
        await reading;
        return lines;
    }
    catch {
        return [];
    }
}
/** Streams a started or attached container's output line by line. */
async function streamLines(docker, stream, onLine) {
    const stdout = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
    const stderr = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
    const reading = Promise.all([(0,_internal_output_lines_js__WEBPACK_IMPORTED_MODULE_4__/* .readLines */ .S)(stdout, (l) => onLine(l, "stdout")), (0,_internal_output_lines_js__WEBPACK_IMPORTED_MODULE_4__/* .readLines */ .S)(stderr, (l) => onLine(l, "stderr"))]);
    await demux(docker.modem, stream, stdout, stderr);
    stdout.end();
    stderr.end();
    await reading;
}
/**
 * Splits a container's multiplexed output (8-byte frame headers, non-TTY) into its stdout and stderr with the
 * engine client's own `demuxStream` (a TTY container's raw output passes through as stdout); resolves when
 * the source ends, closes or fails.
 */
function demux(modem, stream, stdout, stderr) {
    return new Promise((resolve) => {
        stream.on("end", () => resolve());
        stream.on("close", () => resolve());
        stream.on("error", () => resolve());
        modem.demuxStream(stream, stdout, stderr);
    });
}
//# sourceMappingURL=members.js.map

/***/ }),

/***/ 16641:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  D8: () => (/* binding */ OUTPUT_KEY_FIELD),
  rJ: () => (/* binding */ PLAN_REFS),
  Dd: () => (/* binding */ bindPlan),
  xS: () => (/* binding */ factsOf),
  Kp: () => (/* binding */ planFargateCluster),
  dY: () => (/* binding */ runTaskInput),
  zb: () => (/* binding */ workerRunInputs)
});

// UNUSED EXPORTS: PLANNED_OUTPUT_TOKEN, RUN_TASK_MAX_COUNT, TLS_PREAMBLE, awsTags, containerCommand, ecsTags, ingressPermissions, plannedRequests

// EXTERNAL MODULE: ../core/dist/internal/dask-commands.js
var dask_commands = __webpack_require__(53145);
// EXTERNAL MODULE: ../core/dist/internal/labels.js
var labels = __webpack_require__(42628);
// EXTERNAL MODULE: ../core/dist/job-outputs.js
var job_outputs = __webpack_require__(31301);
// EXTERNAL MODULE: ../core/dist/fargate/fargate-names.js
var fargate_names = __webpack_require__(81451);
;// CONCATENATED MODULE: ../core/dist/fargate/output-uploader.js
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
const UPLOAD_OUTPUTS_PY = String.raw `
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
`;
//# sourceMappingURL=output-uploader.js.map
;// CONCATENATED MODULE: ../core/dist/fargate/fargate-plan.js





/** RunTask starts at most 10 tasks per call (ECS API reference, RunTask `count`). */
const RUN_TASK_MAX_COUNT = 10;
/**
 * Values that exist only once up has created something: the plan holds these markers where they go, and up
 * puts the real values in with {@link bindPlan} as each appears (the security group's id before the task
 * definitions, the secret's ARN before the task definitions, the scheduler's address before the workers).
 */
/** The key of the cluster secret's JSON that holds the output signing key (hex), read only by the job task. */
const OUTPUT_KEY_FIELD = "outputs";
/** Where the attempt token goes in a dry run's plan (a real `up` makes a random one). */
const PLANNED_OUTPUT_TOKEN = "<attempt token>";
const PLAN_REFS = {
    securityGroupId: "<created: security group>",
    tlsSecretArn: "<created: TLS secret>",
    schedulerAddress: "<scheduler address>",
};
/** A copy of `value` (a plan or a part of it) with every marker of `values` replaced by its value, also inside longer strings. */
function bindPlan(value, values) {
    const pairs = Object.entries(values).flatMap(([ref, real]) => (real === undefined ? [] : [[PLAN_REFS[ref], real]]));
    const bind = (v) => {
        if (typeof v === "string")
            return pairs.reduce((text, [marker, real]) => text.split(marker).join(real), v);
        if (Array.isArray(v))
            return v.map(bind);
        if (v && typeof v === "object")
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bind(x)]));
        return v;
    };
    return bind(value);
}
/** The facts of a cluster whose resources exist (scale, jobs, and the up that created them). */
function factsOf(resources, createdAt, expiresAt) {
    return {
        ecsCluster: resources.ecsCluster,
        executionRoleArn: resources.executionRoleArn,
        taskRoleArn: resources.taskRoleArn,
        subnets: resources.subnets,
        securityGroups: resources.securityGroups,
        assignPublicIp: resources.assignPublicIp,
        tlsSecretArn: resources.tlsSecretArn,
        createdAt,
        expiresAt,
    };
}
/** Tags as ECS wants them. */
function ecsTags(tags) {
    return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
/** Tags as EC2, IAM and Secrets Manager want them. */
function awsTags(tags) {
    return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
/**
 * With TLS, the PEM files come from Secrets Manager as environment variables (ECS `secrets`: only the
 * ARN is in the task definition). This shell preamble writes them to files readable by the container's
 * user only, removes them from the environment and execs the Dask command. Fixed text, no user input.
 */
const TLS_PREAMBLE = [
    "umask 077",
    `mkdir -p ${dask_commands/* TLS_DIR */.Qy}`,
    `printf '%s\\n' "$DFA_TLS_CA" > ${dask_commands/* TLS_DIR */.Qy}/${dask_commands/* TLS_FILES */.qJ.ca}`,
    `printf '%s\\n' "$DFA_TLS_CERT" > ${dask_commands/* TLS_DIR */.Qy}/${dask_commands/* TLS_FILES */.qJ.cert}`,
    `printf '%s\\n' "$DFA_TLS_KEY" > ${dask_commands/* TLS_DIR */.Qy}/${dask_commands/* TLS_FILES */.qJ.key}`,
    "unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",
    'exec "$@"',
].join(" && ");
/** A container command, behind the TLS preamble when TLS is on. */
function containerCommand(spec, command) {
    return spec.tls ? ["sh", "-c", TLS_PREAMBLE, "sh", ...command] : [...command];
}
/** Plans every AWS request of a cluster from the validated specs and the facts. Pure: same input, same plan. */
function planFargateCluster(spec, fargate, facts) {
    const tags = (0,labels/* clusterLabels */.EC)(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels);
    const logGroup = fargate_names/* fargateNames */.P.logGroup(spec.clusterId);
    const clientCidrs = [...(fargate.clientCidr ? [fargate.clientCidr] : []), ...(fargate.allowPublicIngress ? ["0.0.0.0/0"] : [])];
    const taskDefinition = (role) => {
        const size = role === "worker" ? fargate.workerSize : fargate.schedulerSize;
        const output = role === "job" && fargate.outputUri ? (0,job_outputs/* parseOutputUri */.V6)(fargate.outputUri) : undefined;
        const command = role === "scheduler"
            ? (0,dask_commands/* schedulerCommand */.hx)(spec)
            : role === "worker"
                ? (0,dask_commands/* workerCommand */.y2)(spec, "scheduler-address-set-per-run")
                : (0,dask_commands/* jobCommand */.pi)(spec, { uploadOutputs: output !== undefined });
        const secrets = [
            ...Object.entries(fargate.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
            ...(facts.tlsSecretArn
                ? [
                    { name: "DFA_TLS_CA", valueFrom: `${facts.tlsSecretArn}:ca::` },
                    { name: "DFA_TLS_CERT", valueFrom: `${facts.tlsSecretArn}:cert::` },
                    { name: "DFA_TLS_KEY", valueFrom: `${facts.tlsSecretArn}:key::` },
                ]
                : []),
            // The key the job's uploader signs its outputs' manifest with: only this cluster's secret holds it.
            ...(facts.tlsSecretArn && output ? [{ name: "DFA_OUTPUT_KEY", valueFrom: `${facts.tlsSecretArn}:${OUTPUT_KEY_FIELD}::` }] : []),
        ];
        return {
            family: fargate_names/* fargateNames */.P.family(spec.clusterId, role),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            cpu: String(size.cpu),
            memory: String(size.memory),
            runtimePlatform: { cpuArchitecture: fargate.architecture, operatingSystemFamily: "LINUX" },
            executionRoleArn: facts.executionRoleArn,
            taskRoleArn: facts.taskRoleArn,
            ...(fargate.ephemeralStorage ? { ephemeralStorage: { sizeInGiB: fargate.ephemeralStorage } } : {}),
            containerDefinitions: [
                {
                    name: fargate_names/* fargateNames */.P.container,
                    image: spec.image,
                    essential: true,
                    // The whole task's memory: one container per task.
                    memory: size.memory,
                    command: containerCommand(spec, command),
                    // With initProcessEnabled, an image whose entrypoint is tini (ours: `tini -g --`) runs it below ECS's init,
                    // where it warns in every log that it is not PID 1; as a child subreaper it has no reason to (tini's README).
                    environment: [
                        { name: "TINI_SUBREAPER", value: "1" },
                        ...Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
                        // The job's uploader and where it puts the files: fixed per cluster, so in the definition, not in each RunTask's overrides.
                        ...(output
                            ? [
                                { name: "DFA_UPLOAD_OUTPUTS", value: UPLOAD_OUTPUTS_PY },
                                { name: "DFA_OUTPUT_BUCKET", value: output.bucket },
                                { name: "DFA_OUTPUT_PREFIX", value: (0,job_outputs/* outputRunPrefix */.Pr)(output, spec.clusterId, facts.outputToken ?? PLANNED_OUTPUT_TOKEN) },
                                { name: "DFA_OUTPUT_CLUSTER", value: spec.clusterId },
                                { name: "DFA_OUTPUT_TOKEN", value: facts.outputToken ?? PLANNED_OUTPUT_TOKEN },
                            ]
                            : []),
                    ],
                    ...(secrets.length > 0 ? { secrets } : {}),
                    ...(role === "scheduler"
                        ? { portMappings: [dask_commands/* SCHEDULER_PORT */.Q9, dask_commands/* DASHBOARD_PORT */.r2].map((containerPort) => ({ containerPort, protocol: "tcp" })) }
                        : {}),
                    // Docker's init reaps zombies and forwards signals whatever the image's entrypoint is.
                    linuxParameters: { initProcessEnabled: true },
                    ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
                    // Time for Dask to close cleanly after SIGTERM (Fargate allows up to 120 s).
                    stopTimeout: 30,
                    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroup, "awslogs-region": fargate.region, "awslogs-stream-prefix": role } },
                },
            ],
            tags: ecsTags({ ...tags, "io.dask-fargate-action.role": role }),
        };
    };
    return {
        backend: "fargate",
        clusterId: spec.clusterId,
        region: fargate.region,
        createCluster: fargate.ecsCluster
            ? undefined
            : {
                clusterName: fargate_names/* fargateNames */.P.ecsCluster(spec.clusterId),
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                tags: ecsTags(tags),
                settings: [{ name: "containerInsights", value: "disabled" }],
            },
        logGroup: { name: logGroup, retentionInDays: fargate.logRetentionDays, tags },
        securityGroup: fargate.securityGroups
            ? undefined
            : {
                name: fargate_names/* fargateNames */.P.securityGroup(spec.clusterId),
                description: `dask-fargate-action cluster ${spec.clusterId}: members reach each other on all TCP ports`,
                vpcId: facts.vpcId ?? "<the subnets' VPC>",
                clientCidrs,
                clientPorts: { from: dask_commands/* SCHEDULER_PORT */.Q9, to: fargate.openDashboard ? dask_commands/* DASHBOARD_PORT */.r2 : dask_commands/* SCHEDULER_PORT */.Q9 },
                tags: awsTags({ ...tags, Name: fargate_names/* fargateNames */.P.securityGroup(spec.clusterId) }),
                ingress: ingressPermissions(PLAN_REFS.securityGroupId, clientCidrs, {
                    from: dask_commands/* SCHEDULER_PORT */.Q9,
                    to: fargate.openDashboard ? dask_commands/* DASHBOARD_PORT */.r2 : dask_commands/* SCHEDULER_PORT */.Q9,
                }),
            },
        tlsSecret: spec.tls
            ? {
                name: fargate_names/* fargateNames */.P.tlsSecret(spec.clusterId),
                description: `dask-fargate-action: TLS files of cluster ${spec.clusterId}; deleted with the cluster`,
                tags: awsTags(tags),
            }
            : undefined,
        taskDefinitions: { scheduler: taskDefinition("scheduler"), worker: taskDefinition("worker"), job: taskDefinition("job") },
        schedulerRun: runTaskInput(spec, fargate, facts, "scheduler", 1, `${spec.clusterId}-scheduler`, undefined, false),
        workerRuns: workerRunInputs(spec, fargate, facts, PLAN_REFS.schedulerAddress, 0, spec.workers, fargate.spotWorkers),
        workerFallback: fargate.spotWorkers ? "on-demand" : "none",
        tags,
    };
}
/**
 * The security group's ingress: all TCP from the group itself (Dask and XGBoost's own ports), and the scheduler
 * port (plus the dashboard's, when asked) from the client CIDRs only.
 */
function ingressPermissions(groupId, clientCidrs, ports) {
    return [
        { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: groupId, Description: "cluster members: Dask and XGBoost" }] },
        ...(clientCidrs.length > 0
            ? [
                {
                    IpProtocol: "tcp",
                    FromPort: ports.from,
                    ToPort: ports.to,
                    IpRanges: clientCidrs.map((CidrIp) => ({
                        CidrIp,
                        Description: ports.to > ports.from ? "Dask client: scheduler and dashboard" : "Dask client: scheduler",
                    })),
                },
            ]
            : []),
    ];
}
/**
 * Every create and update request of the plan, by stage and lane (markers unbound). Not listed: the read-only
 * preflight, the shared roles (reused), and the secret's values (made during up, never planned or printed).
 */
function plannedRequests(plan) {
    const at = (stage, lane) => (operation, input) => ({ operation, input, stage, lane });
    // Stage 1: what the first RunTask needs, made at once.
    const cluster = at(1, "ecs cluster");
    const logs = at(1, "log group");
    const network = at(1, "security group");
    const definitions = at(1, "secret and task definitions");
    // Stage 2: the scheduler. Stage 3: the workers, once the scheduler's IP is known (their commands carry its address).
    const workers = at(3, "workers");
    return [
        ...(plan.createCluster ? [cluster("ecs:CreateCluster", plan.createCluster)] : []),
        logs("logs:CreateLogGroup", { logGroupName: plan.logGroup.name, tags: plan.logGroup.tags }),
        logs("logs:PutRetentionPolicy", { logGroupName: plan.logGroup.name, retentionInDays: plan.logGroup.retentionInDays }),
        ...(plan.securityGroup
            ? [
                network("ec2:CreateSecurityGroup", {
                    GroupName: plan.securityGroup.name,
                    Description: plan.securityGroup.description,
                    VpcId: plan.securityGroup.vpcId,
                    TagSpecifications: [{ ResourceType: "security-group", Tags: plan.securityGroup.tags }],
                }),
                network("ec2:AuthorizeSecurityGroupIngress", { GroupId: PLAN_REFS.securityGroupId, IpPermissions: plan.securityGroup.ingress }),
            ]
            : []),
        ...(plan.tlsSecret
            ? [definitions("secretsmanager:CreateSecret", { Name: plan.tlsSecret.name, Description: plan.tlsSecret.description, Tags: plan.tlsSecret.tags })]
            : []),
        ...["scheduler", "worker", "job"].map((role) => definitions("ecs:RegisterTaskDefinition", plan.taskDefinitions[role])),
        at(2, "scheduler")("ecs:RunTask", plan.schedulerRun),
        ...plan.workerRuns.map((run) => workers("ecs:RunTask", run)),
    ];
}
/** The RunTask request for one batch of tasks of a role. */
function runTaskInput(spec, fargate, facts, role, count, clientToken, command, spot, environment = {}) {
    const env = Object.entries(environment).map(([name, value]) => ({ name, value }));
    return {
        cluster: facts.ecsCluster,
        taskDefinition: fargate_names/* fargateNames */.P.family(spec.clusterId, role),
        count,
        // A retried call with the same token does not start tasks twice (ECS "Ensuring idempotency").
        clientToken,
        startedBy: spec.clusterId,
        ...(spot ? { capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] } : { launchType: "FARGATE" }),
        platformVersion: fargate.platformVersion,
        networkConfiguration: {
            awsvpcConfiguration: {
                subnets: [...facts.subnets],
                securityGroups: [...facts.securityGroups],
                assignPublicIp: facts.assignPublicIp ? "ENABLED" : "DISABLED",
            },
        },
        ...(command || env.length > 0
            ? {
                overrides: {
                    containerOverrides: [
                        {
                            name: fargate_names/* fargateNames */.P.container,
                            ...(command ? { command: containerCommand(spec, command) } : {}),
                            ...(env.length > 0 ? { environment: env } : {}),
                        },
                    ],
                },
            }
            : {}),
        tags: ecsTags({ ...(0,labels/* clusterLabels */.EC)(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels), "io.dask-fargate-action.role": role }),
        propagateTags: "TASK_DEFINITION",
        enableECSManagedTags: true,
    };
}
/**
 * Worker RunTask requests for workers `from`..`from+count-1`: batches of at most 10, each with its own
 * client token and the scheduler's address in its command override (the TLS files stay in the cluster's secret).
 */
function workerRunInputs(spec, fargate, facts, schedulerAddress, from, count, spot) {
    const batches = [];
    for (let start = from; start < from + count; start += RUN_TASK_MAX_COUNT) {
        const size = Math.min(RUN_TASK_MAX_COUNT, from + count - start);
        // No --name: the tasks of a batch share one command, and Dask names each worker by its unique address.
        const command = (0,dask_commands/* workerCommand */.y2)(spec, schedulerAddress);
        batches.push(runTaskInput(spec, fargate, facts, "worker", size, `${spec.clusterId}-w${start}-${size}${spot ? "-spot" : ""}`, command, spot));
    }
    return batches;
}
//# sourceMappingURL=fargate-plan.js.map

/***/ }),

/***/ 4353:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ silentLogger)
/* harmony export */ });
/** A logger that drops everything. */
const silentLogger = { info: () => { }, warn: () => { }, debug: () => { } };
//# sourceMappingURL=logger.js.map

/***/ }),

/***/ 29641:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ countWorkers)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37067);

/**
 * Counts the workers registered at a scheduler through its HTTP server (`/json/identity.json`, served
 * by every distributed release since 2.x, without bokeh). Undefined when the scheduler does not answer yet.
 *
 * Uses node:http rather than fetch: while a port is published but nothing listens behind it yet, a
 * fetch can wait on handles that do not keep Node's event loop alive, and the process would exit.
 */
function countWorkers(dashboardUrl, timeoutMs = 5000) {
    return new Promise((resolve) => {
        const request = (0,node_http__WEBPACK_IMPORTED_MODULE_0__.get)(`${dashboardUrl.replace(/\/$/, "")}/json/identity.json`, { timeout: timeoutMs }, (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk) => {
                body += chunk;
            });
            response.on("end", () => {
                if (response.statusCode !== 200)
                    return resolve(undefined);
                try {
                    const identity = JSON.parse(body);
                    resolve(Object.keys(identity.workers ?? {}).length);
                }
                catch {
                    resolve(undefined);
                }
            });
            response.on("error", () => resolve(undefined));
        });
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(undefined));
    });
}
//# sourceMappingURL=scheduler-http.js.map

/***/ })

};
