export const id = 533;
export const ids = [533];
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

/***/ 533:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dockerEngineVerbs: () => (/* binding */ dockerEngineVerbs)
});

// EXTERNAL MODULE: ../../node_modules/dockerode/lib/docker.js
var lib_docker = __webpack_require__(65292);
// EXTERNAL MODULE: ../core/dist/errors.js
var errors = __webpack_require__(88246);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ../core/dist/cluster.js
var cluster = __webpack_require__(89987);
// EXTERNAL MODULE: ../core/dist/cluster-id.js
var cluster_id = __webpack_require__(92737);
// EXTERNAL MODULE: ../core/dist/internal/cluster-start.js
var cluster_start = __webpack_require__(12460);
// EXTERNAL MODULE: ../core/dist/internal/dask-commands.js
var dask_commands = __webpack_require__(53145);
// EXTERNAL MODULE: ../core/dist/internal/labels.js
var internal_labels = __webpack_require__(42628);
// EXTERNAL MODULE: ../core/dist/internal/tls.js
var internal_tls = __webpack_require__(76530);
// EXTERNAL MODULE: ../core/dist/internal/wait.js
var wait = __webpack_require__(62626);
// EXTERNAL MODULE: ../core/dist/logger.js
var dist_logger = __webpack_require__(4353);
// EXTERNAL MODULE: ../core/dist/scheduler-http.js
var scheduler_http = __webpack_require__(29641);
// EXTERNAL MODULE: ../core/dist/docker/docker-plan.js
var docker_plan = __webpack_require__(8962);
// EXTERNAL MODULE: ../core/dist/docker/members.js
var docker_members = __webpack_require__(89401);
;// CONCATENATED MODULE: ../core/dist/docker/docker-cluster.js














/**
 * Starts a cluster on the local Docker Engine: one bridge network, a scheduler and the workers as
 * containers with the spec's CPU and memory limits, the same commands as on Fargate, ownership and
 * expiry labels, and the scheduler and dashboard ports published on 127.0.0.1 only. Workers start
 * together with the scheduler and connect when it listens. On any failure or abort everything with
 * the cluster's label is removed before the error is thrown.
 */
async function upDockerCluster(spec, options = {}) {
    const docker = options.docker ?? new lib_docker();
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const start = (0,cluster_start/* clusterStart */.L)(spec, logger, options);
    const { clock, createdAt, expiresAt, checkAbort, tlsDir } = start;
    const created = (resource) => {
        logger.debug(`created ${resource}`);
        options.onResource?.(resource);
    };
    let creating = false;
    try {
        await docker.ping().catch((error) => {
            throw new errors/* CoreError */.am(`the Docker Engine is not reachable (${error.message}); start it or set DOCKER_HOST`);
        });
        // Another start of the same cluster id (a re-run, a second terminal) must not be taken over, nor removed
        // by this start's cleanup, which finds resources by the id's label.
        const byId = { label: [`${internal_labels/* LABEL */.d_.clusterId}=${spec.clusterId}`] };
        const [, networks, containers] = await Promise.all([
            docker
                .getImage(spec.image)
                .inspect()
                .catch(() => {
                throw new errors/* CoreError */.am(`the image ${spec.image} is not on the local Docker Engine; build it first (dask-fargate build) or pull it`);
            }),
            docker.listNetworks({ filters: byId }),
            docker.listContainers({ all: true, filters: byId }),
        ]);
        if (networks.length + containers.length > 0)
            throw clusterExists(spec.clusterId);
        checkAbort();
        // The checks above create nothing: only from here on is there anything to remove.
        creating = true;
        const plan = (0,docker_plan/* planDockerCluster */.M)(spec, { createdAt, expiresAt });
        await docker
            .createNetwork({ Name: plan.network.name, Driver: plan.network.driver, CheckDuplicate: true, Labels: { ...plan.network.labels } })
            .catch((error) => {
            if (error.statusCode !== 409)
                throw error;
            // Created by someone else between the check and here: nothing of ours exists yet.
            creating = false;
            throw clusterExists(spec.clusterId);
        });
        created(`network ${plan.network.name}`);
        const scheme = spec.tls ? "tls" : "tcp";
        const tls = spec.tls ? await (0,internal_tls/* createClusterTls */.MC)(spec.clusterId, spec.maxLifetime, start.startedAt) : undefined;
        checkAbort();
        // Written while the members start, and awaited on every path: a cleanup never runs while a key file is still being written.
        const tlsFiles = tls
            ? allSettled([(0,internal_tls/* writeTlsFiles */.MR)((0,external_node_path_.join)(tlsDir, "tls", "client"), tls.client), (0,internal_tls/* writeTlsFiles */.MR)((0,external_node_path_.join)(tlsDir, "tls", "member"), tls.member)])
            : undefined;
        // The scheduler and the workers are created and started at once: the workers reach the scheduler by its
        // container name on the cluster network and retry until it listens, so the scheduler's start is not on their path.
        const [members, files] = await Promise.allSettled([
            startMembers(docker, spec, tls?.member, [plan.scheduler, ...plan.workers], created, checkAbort),
            tlsFiles ?? Promise.resolve([]),
        ]);
        if (members.status === "rejected")
            throw members.reason;
        if (files.status === "rejected")
            throw files.reason;
        const scheduler = members.value[0] ?? docker.getContainer(plan.scheduler.name);
        const [clientTlsFiles, memberTlsFiles] = files.value;
        const schedulerAddress = plan.schedulerAddress;
        const ports = (await scheduler.inspect()).NetworkSettings.Ports;
        const hostPort = (port) => ports[`${port}/tcp`]?.[0]?.HostPort;
        const schedulerHostPort = hostPort(dask_commands/* SCHEDULER_PORT */.Q9);
        const dashboardHostPort = hostPort(dask_commands/* DASHBOARD_PORT */.r2);
        const handle = {
            backend: "docker",
            clusterId: spec.clusterId,
            spec,
            schedulerAddress,
            clientSchedulerAddress: schedulerHostPort ? `${scheme}://127.0.0.1:${schedulerHostPort}` : undefined,
            dashboardUrl: dashboardHostPort ? `http://127.0.0.1:${dashboardHostPort}` : undefined,
            clientTlsFiles,
            memberTlsFiles,
            tlsDir,
            createdAt,
            expiresAt,
        };
        await waitForDockerCluster(handle, spec.workers, { ...options, docker, clock, readiness: options.readiness ?? cluster/* DEFAULT_READINESS */.j.docker });
        return handle;
    }
    catch (error) {
        const cleanup = creating ? () => downDockerCluster(spec.clusterId, { docker, logger, tlsDir }) : undefined;
        throw await start.failed(error, cleanup, `dask-fargate down --cluster-id ${spec.clusterId}`);
    }
}
/**
 * Creates the members, copies their TLS files in and starts them, all at once; returns their containers in the
 * order given. Every creation is settled before this fails (the first error thrown), so a cleanup that follows
 * finds every container that was made.
 */
async function startMembers(docker, spec, tls, members, created, checkAbort) {
    return allSettled(members.map(async (member) => {
        checkAbort();
        const container = await (0,docker_members/* createMember */.bi)(docker, spec, member);
        created(`container ${member.name}`);
        checkAbort();
        if (tls)
            await (0,docker_members/* putTlsFiles */.aR)(container, tls);
        await container.start();
        return container;
    }));
}
/** Like Promise.all, but fails (with the first error) only once every promise has settled: nothing is left running behind a cleanup. */
async function allSettled(promises) {
    const results = await Promise.allSettled(promises);
    const failed = results.find((r) => r.status === "rejected");
    if (failed)
        throw failed.reason;
    return results.map((r) => r.value);
}
/**
 * Waits until every member runs and, for `registered` readiness, `expectedWorkers` are registered at the
 * scheduler. A member that exits is reported with its exit code and last output lines.
 */
async function waitForDockerCluster(handle, expectedWorkers, options = {}) {
    const docker = options.docker ?? new lib_docker();
    const readiness = options.readiness ?? cluster/* DEFAULT_READINESS */.j.docker;
    // The scheduler prints a line when a worker registers: each of its lines starts the next look at once, so the
    // wait ends within milliseconds of the last registration, not at the next step of the backoff (up to 2 s later).
    // The count itself still comes from the scheduler's HTTP server.
    const schedulerLines = readiness === "registered" ? await followOutput(docker, docker_members/* names */.Dy.scheduler(handle.clusterId)) : undefined;
    try {
        await (0,wait/* pollUntil */.g)({
            waitingFor: readiness === "registered" ? `${expectedWorkers} workers to register at the scheduler` : "all containers to run",
            timeoutSeconds: options.readyTimeoutSeconds ?? 300,
            signal: options.signal,
            ...(options.clock ? { clock: options.clock } : {}),
            onProgress: (seen) => {
                options.logger?.info(seen);
                options.onProgress?.({ phase: "starting", message: seen });
            },
            check: async () => {
                const members = await docker.listContainers({ all: true, filters: { label: [`${internal_labels/* LABEL */.d_.clusterId}=${handle.clusterId}`] } });
                const stopped = members.find((m) => m.State !== "running" && m.State !== "created" && m.Labels[internal_labels/* LABEL */.d_.role] !== "job");
                if (stopped) {
                    const container = docker.getContainer(stopped.Id);
                    const state = (await container.inspect()).State;
                    const tail = await (0,docker_members/* lastLines */.w$)(container);
                    throw new errors/* MemberStoppedError */.it(stopped.Names[0]?.replace(/^\//, "") ?? stopped.Id, state.ExitCode, state.OOMKilled ? "out of memory" : state.Error || undefined, tail.join("\n  "));
                }
                const running = members.filter((m) => m.State === "running" && m.Labels[internal_labels/* LABEL */.d_.role] === "worker").length;
                const schedulerUp = members.some((m) => m.State === "running" && m.Labels[internal_labels/* LABEL */.d_.role] === "scheduler");
                if (readiness === "running") {
                    return running >= expectedWorkers && schedulerUp
                        ? { done: true, value: undefined }
                        : { done: false, seen: `scheduler ${schedulerUp ? "running" : "starting"}, ${running}/${expectedWorkers} workers running` };
                }
                const registered = handle.dashboardUrl ? await (0,scheduler_http/* countWorkers */.R)(handle.dashboardUrl) : undefined;
                if (registered !== undefined && registered >= expectedWorkers)
                    return { done: true, value: undefined };
                return {
                    done: false,
                    seen: `scheduler ${registered === undefined ? "starting" : "ready"}, ${running}/${expectedWorkers} workers running, ${registered ?? 0}/${expectedWorkers} registered`,
                };
            },
            wakeUps: (wake) => {
                schedulerLines?.on("data", wake);
            },
        });
    }
    finally {
        schedulerLines?.destroy();
    }
}
/** A container's output from now on, as it is printed; undefined when the engine does not give it (the wait then only polls). */
async function followOutput(docker, container) {
    const stream = await docker
        .getContainer(container)
        // tail 0: none of the earlier output (a long-lived scheduler's, when scale waits), only what comes next.
        .logs({ follow: true, stdout: true, stderr: true, tail: 0 })
        .catch(() => undefined);
    if (!stream)
        return undefined;
    const readable = stream;
    readable.on("error", () => { }); // the engine closing the stream only ends the wake-ups
    return readable;
}
/**
 * Removes everything labelled with the cluster id: containers (killed, with their anonymous volumes)
 * and networks. Idempotent: a second call finds nothing and succeeds. Never touches unlabelled objects.
 */
async function downDockerCluster(clusterId, options = {}) {
    (0,cluster_id/* assertClusterId */.mT)(clusterId);
    const docker = options.docker ?? new lib_docker();
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const filter = { label: [`${internal_labels/* LABEL */.d_.clusterId}=${clusterId}`, ...(options.repository !== undefined ? [`github.repository=${options.repository}`] : [])] };
    const removed = [];
    const containers = await docker.listContainers({ all: true, filters: filter });
    if (options.repository !== undefined && containers.length === 0) {
        const others = await docker.listContainers({ all: true, filters: { label: [`${internal_labels/* LABEL */.d_.clusterId}=${clusterId}`] } });
        if (others.length > 0)
            throw new errors/* ClusterConfigError */.N5("cluster-id", `cluster ${clusterId} was not started from ${options.repository} (its containers are labelled github.repository ${[...new Set(others.map((c) => c.Labels["github.repository"] ?? "no repository"))].sort().join(", ")}), and a teardown scoped to ${options.repository} removes only that repository's clusters: nothing was removed`);
    }
    await Promise.all(containers.map(async (c) => {
        await docker
            .getContainer(c.Id)
            .remove({ force: true, v: true })
            .catch((error) => {
            if (error.statusCode !== 404 && error.statusCode !== 409)
                throw error;
        });
        removed.push(`container ${c.Names[0]?.replace(/^\//, "") ?? c.Id}`);
    }));
    for (const network of await docker.listNetworks({ filters: filter })) {
        await docker
            .getNetwork(network.Id)
            .remove()
            .catch((error) => {
            if (error.statusCode !== 404)
                throw error;
        });
        removed.push(`network ${network.Name}`);
    }
    if (options.tlsDir)
        await (0,cluster_id/* removeClusterTlsDir */.b7)(options.tlsDir, clusterId);
    if (removed.length > 0)
        logger.info(`removed ${removed.length} resources of cluster ${clusterId}: ${removed.sort().join(", ")}`);
    return { clusterId, removed: removed.sort() };
}
/**
 * Scales the workers of a running cluster to `workers`: new workers are started (and awaited), the
 * highest-numbered ones are removed when scaling down. The signal aborts the start and the wait.
 */
async function scaleDockerCluster(handle, workers, options = {}) {
    options.signal?.throwIfAborted();
    const docker = options.docker ?? new lib_docker();
    const current = await docker.listContainers({ all: true, filters: { label: [`${internal_labels/* LABEL */.d_.clusterId}=${handle.clusterId}`, `${internal_labels/* LABEL */.d_.role}=worker`] } });
    const indexes = current.map((c) => Number(c.Names[0]?.split("-worker-")[1])).filter(Number.isInteger);
    const spec = { ...handle.spec, workers };
    if (workers > current.length) {
        const tls = handle.memberTlsFiles ? await (0,internal_tls/* readTlsFiles */.Nq)(handle.memberTlsFiles) : undefined;
        const next = Math.max(-1, ...indexes) + 1;
        const facts = { createdAt: handle.createdAt, expiresAt: handle.expiresAt };
        const added = range(next, next + workers - current.length).map((index) => (0,docker_plan/* dockerWorkerPlan */.q)(spec, facts, handle.schedulerAddress, index));
        await startMembers(docker, spec, tls, added, () => { }, options.signal ? () => options.signal?.throwIfAborted() : () => { });
    }
    else {
        const doomed = [...indexes].sort((a, b) => b - a).slice(0, current.length - workers);
        await Promise.all(doomed.map((i) => docker.getContainer(docker_members/* names */.Dy.worker(handle.clusterId, i)).remove({ force: true })));
    }
    const scaled = { ...handle, spec };
    await waitForDockerCluster(scaled, workers, {
        ...options,
        docker,
        readiness: workers > current.length ? (options.readiness ?? cluster/* DEFAULT_READINESS */.j.docker) : "running",
    });
    return scaled;
}
function range(from, to) {
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
/** The refusal when a cluster of this id already exists on the engine. */
function clusterExists(clusterId) {
    return new errors/* ClusterConfigError */.N5("cluster-id", `a cluster ${clusterId} already exists on this Docker Engine; choose another cluster id, or remove that one first (dask-fargate down --cluster-id ${clusterId})`);
}
//# sourceMappingURL=docker-cluster.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ../core/dist/internal/output-lines.js
var output_lines = __webpack_require__(84368);
// EXTERNAL MODULE: ../core/dist/job-outputs.js
var job_outputs = __webpack_require__(31301);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ../core/dist/docker/output-sweep.js


/** What a non-regular entry is, for the report. */
function kindOf(stat) {
    if (stat.isSymbolicLink())
        return "symbolic link";
    if (stat.isFIFO())
        return "named pipe";
    if (stat.isSocket())
        return "socket";
    if (stat.isBlockDevice() || stat.isCharacterDevice())
        return "device";
    return "special file";
}
/**
 * Leaves only directories and regular files in a job's output directory on the runner, walking it with lstat
 * (never following a link): a container's job could leave a symbolic link to a runner file (`/etc/hostname`,
 * the runner's credentials) that `actions/upload-artifact` or a later step would follow, or a pipe a reader
 * would hang on. Each other entry is removed and reported. Hard links need no check: link(2) never crosses a
 * mount (EXDEV), so one made in the container's bind mount names a file of the output directory.
 */
function sweepOutputDir(dir) {
    const skipped = [];
    const walk = (current) => {
        for (const name of (0,external_node_fs_.readdirSync)(current)) {
            const path = (0,external_node_path_.join)(current, name);
            const stat = (0,external_node_fs_.lstatSync)(path);
            if (stat.isDirectory())
                walk(path);
            else if (!stat.isFile()) {
                const entry = { path: (0,external_node_path_.relative)(dir, path).split(external_node_path_.sep).join("/"), reason: kindOf(stat) };
                try {
                    (0,external_node_fs_.unlinkSync)(path);
                    skipped.push(entry);
                }
                catch (error) {
                    skipped.push({ ...entry, reason: `${entry.reason}, not removable (${error instanceof Error ? error.message : String(error)})` });
                }
            }
        }
    };
    walk(dir);
    return skipped.sort((a, b) => a.path.localeCompare(b.path));
}
//# sourceMappingURL=output-sweep.js.map
;// CONCATENATED MODULE: ../core/dist/docker/output-mount.js





/** Opens `dir` (absolute, existing) for the job container; see {@link OutputMount}. */
function openOutputMount(docker, handle, dir, logger) {
    const mode = (0,external_node_fs_.statSync)(dir).mode & 0o7777;
    (0,external_node_fs_.chmodSync)(dir, 0o777);
    return {
        bind: `${dir}:${job_outputs/* CONTAINER_OUTPUT_DIR */.ol}:rw`,
        restore: async () => {
            try {
                const uid = process.getuid?.();
                const gid = process.getgid?.();
                if (uid !== undefined && gid !== undefined && ownedByOthers(dir, uid))
                    await chownInContainer(docker, handle, dir, `${uid}:${gid}`);
            }
            catch (error) {
                logger.warn(`the job's outputs in ${dir} may stay owned by the container's user: ${error instanceof Error ? error.message : String(error)}`);
            }
            finally {
                (0,external_node_fs_.chmodSync)(dir, mode);
            }
            let skipped;
            try {
                skipped = sweepOutputDir(dir);
            }
            catch (error) {
                logger.warn(`could not check ${dir} for links and special files: ${error instanceof Error ? error.message : String(error)}; do not upload it as it is`);
                return [];
            }
            for (const entry of skipped)
                logger.warn(`removed ${entry.path} (a ${entry.reason}) from the job's output directory: only regular files come back`);
            return skipped;
        },
    };
}
/** Whether anything under `dir` belongs to another uid than `uid`. */
function ownedByOthers(dir, uid) {
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
        const path = (0,external_node_path_.join)(dir, entry.name);
        if ((0,external_node_fs_.lstatSync)(path).uid !== uid)
            return true;
        if (entry.isDirectory() && ownedByOthers(path, uid))
            return true;
    }
    return false;
}
/**
 * Only root may give files to another user: a short container of the cluster's image (as root, no network,
 * labelled with the cluster so teardown removes it if this process dies) runs `chown -R`.
 */
async function chownInContainer(docker, handle, dir, owner) {
    const container = await docker.createContainer({
        Image: handle.spec.image,
        User: "0",
        Cmd: ["chown", "-R", owner, job_outputs/* CONTAINER_OUTPUT_DIR */.ol],
        Labels: (0,internal_labels/* clusterLabels */.EC)(handle.clusterId, handle.createdAt, handle.expiresAt, handle.spec.labels, "job"),
        HostConfig: { NetworkMode: "none", Binds: [`${dir}:${job_outputs/* CONTAINER_OUTPUT_DIR */.ol}:rw`] },
    });
    try {
        await container.start();
        const { StatusCode } = (await container.wait());
        if (StatusCode !== 0)
            throw new Error(`chown in a container of ${handle.spec.image} exited with ${StatusCode}`);
    }
    finally {
        await container.remove({ force: true }).catch(() => { });
    }
}
//# sourceMappingURL=output-mount.js.map
;// CONCATENATED MODULE: ../core/dist/docker/workdir-mounts.js


/** Where a job container sees its working directory (read-only). */
const CONTAINER_WORKDIR = "/job";
/** How deep below the working directory `.git` entries are masked (nested checkouts, submodules), and how many directories are read at most. */
const GIT_DEPTH = 3;
const MAX_DIRECTORIES = 5000;
/** Directories never searched for `.git`: package trees (large, and no checkout lives there). */
const NOT_SEARCHED = new Set(["node_modules", ".venv", "venv", "__pycache__"]);
/**
 * The working directory read-only at {@link CONTAINER_WORKDIR}, with every `.git` entry (down to {@link GIT_DEPTH}
 * levels) hidden behind an empty mount: a checkout's `.git/config` holds the token `actions/checkout` persists
 * (its `http.extraheader`), and the job has no use for the repository's metadata. A `.git` directory gets an
 * empty read-only tmpfs, a `.git` file (a worktree's or submodule's pointer) `/dev/null`. A `.git` that is a
 * symbolic link is not followed: it points outside the mount or at a path that is masked itself.
 */
function workdirMounts(workdir) {
    const root = (0,external_node_path_.resolve)(workdir);
    const binds = [`${root}:${CONTAINER_WORKDIR}:ro`];
    const tmpfs = {};
    const masked = [];
    let read = 0;
    const walk = (dir, depth) => {
        if (read++ >= MAX_DIRECTORIES)
            return;
        let entries;
        try {
            entries = (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const entry of entries) {
            const path = (0,external_node_path_.join)(dir, entry.name);
            const inside = `${CONTAINER_WORKDIR}/${(0,external_node_path_.relative)(root, path).split(external_node_path_.sep).join("/")}`;
            if (entry.name === ".git") {
                const stat = (0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: false });
                if (stat?.isDirectory())
                    tmpfs[inside] = "ro,size=4k";
                else if (stat?.isFile())
                    binds.push(`/dev/null:${inside}:ro`);
                else
                    continue;
                masked.push((0,external_node_path_.relative)(root, path));
            }
            else if (entry.isDirectory() && depth < GIT_DEPTH && !NOT_SEARCHED.has(entry.name))
                walk(path, depth + 1);
        }
    };
    walk(root, 0);
    return { binds, tmpfs, masked };
}
//# sourceMappingURL=workdir-mounts.js.map
;// CONCATENATED MODULE: ../core/dist/docker/docker-job.js












/**
 * Runs a job in a Docker cluster: a container on the cluster network, the job's directory mounted read-only
 * at /job, `outputDir` mounted writable at DFA_OUTPUT_DIR. Output is streamed line by line; members that stop
 * meanwhile are reported with their exit codes. A job on the runner is {@link runClusterJob}'s, not this.
 */
async function runDockerJob(handle, job, options = {}) {
    if (job.runsOn !== "cluster")
        throw new errors/* CoreError */.am("runDockerJob runs jobs in the cluster; a job on the runner goes through runClusterJob");
    const docker = options.docker ?? new lib_docker();
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const watcher = await watchDockerMembers(handle.clusterId, { docker, logger });
    try {
        const result = await runJobContainer(docker, handle, job, options.signal, logger);
        return { ...result, stoppedMembers: watcher.stopped };
    }
    finally {
        watcher.stop();
    }
}
/** Watches the members of a Docker cluster: each one that stops is logged and listed in `stopped`, until `stop()`. */
async function watchDockerMembers(clusterId, options) {
    return watchMembers(options.docker, clusterId, (member, exitCode) => options.logger.warn(`${member} stopped with exit code ${exitCode ?? "unknown"} while the job ran`));
}
async function runJobContainer(docker, handle, job, signal, logger) {
    const name = docker_members/* names */.Dy.job(handle.clusterId, (0,external_node_crypto_.randomBytes)(3).toString("hex"));
    const outputDir = job.outputDir !== undefined ? (0,job_outputs/* prepareOutputDir */.g$)(job.outputDir) : undefined;
    const mount = outputDir ? openOutputMount(docker, handle, outputDir, logger) : undefined;
    let result;
    let skipped;
    try {
        result = await runContainer(docker, handle, job, name, mount, signal, logger);
    }
    finally {
        // Also after a failed or killed job: what it wrote is the caller's, with this user's ownership, regular files only.
        skipped = await mount?.restore();
    }
    if (!outputDir)
        return result;
    return { ...result, outputs: { dir: outputDir, files: (0,job_outputs/* listOutputFiles */.Dm)(outputDir), ...(skipped && skipped.length > 0 ? { skipped } : {}) } };
}
async function runContainer(docker, handle, job, name, mount, signal, logger) {
    const spec = handle.spec;
    const workdir = workdirMounts(job.workdir);
    if (workdir.masked.length > 0)
        logger.debug(`the job does not see ${workdir.masked.join(", ")} (empty mounts over the repository metadata)`);
    const container = await (0,docker_members/* createMember */.bi)(docker, spec, {
        role: "job",
        name,
        command: (0,dask_commands/* jobCommand */.pi)(spec),
        cpu: spec.schedulerCpu,
        memoryMiB: spec.schedulerMemory,
        createdAt: handle.createdAt,
        expiresAt: handle.expiresAt,
        environment: (0,dask_commands/* jobEnvironment */.tw)(spec, handle.schedulerAddress, job.command, { ...spec.environment, ...(job.environment ?? {}) }),
        binds: [...workdir.binds, ...(mount ? [mount.bind] : [])],
        tmpfs: workdir.tmpfs,
        workingDir: CONTAINER_WORKDIR,
    });
    const started = Date.now();
    const kill = () => {
        container.kill().catch(() => { });
    };
    signal?.addEventListener("abort", kill, { once: true });
    const timer = job.timeoutSeconds ? setTimeout(kill, job.timeoutSeconds * 1000) : undefined;
    try {
        if (handle.memberTlsFiles)
            await (0,docker_members/* putTlsFiles */.aR)(container, await (0,internal_tls/* readTlsFiles */.Nq)(handle.memberTlsFiles));
        // A signal that came while the container was being made fired no listener (or one that found nothing
        // running to kill): never start it then, and kill it if the signal came during the start.
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc("cancelled before the job started");
        const stream = await container.attach({ stream: true, stdout: true, stderr: true });
        const output = (0,docker_members/* streamLines */.Mn)(docker, stream, (line, source) => job.onOutput?.(line, source));
        await container.start();
        if (signal?.aborted)
            kill();
        const { StatusCode } = (await container.wait());
        await output;
        return { exitCode: StatusCode, durationMs: Date.now() - started };
    }
    finally {
        if (timer)
            clearTimeout(timer);
        signal?.removeEventListener("abort", kill);
        await container.remove({ force: true }).catch(() => { });
    }
}
/** Follows the engine's `die` events for a cluster's scheduler and workers. */
async function watchMembers(docker, clusterId, onStop) {
    const stopped = [];
    const stream = (await docker.getEvents({
        filters: { type: ["container"], event: ["die"], label: [`${internal_labels/* LABEL */.d_.clusterId}=${clusterId}`] },
    }));
    stream.on("error", () => { });
    // One JSON event per line.
    void (0,output_lines/* readLines */.S)(stream, (line) => {
        try {
            const event = JSON.parse(line);
            const attributes = event.Actor?.Attributes ?? {};
            if (attributes[internal_labels/* LABEL */.d_.role] === "job")
                return;
            const member = attributes["name"] ?? "a member";
            const exitCode = attributes["exitCode"] !== undefined ? Number(attributes["exitCode"]) : undefined;
            stopped.push({ member, exitCode });
            onStop(member, exitCode);
        }
        catch {
            // a foreign line: ignore
        }
    });
    return { stopped, stop: () => stream.destroy?.() };
}
//# sourceMappingURL=docker-job.js.map
;// CONCATENATED MODULE: ../core/dist/docker/docker-logs.js



/** The last `tail` output lines of every container of a cluster (scheduler, workers, running jobs). */
async function dockerClusterLogs(clusterId, options = {}) {
    const docker = options.docker ?? new lib_docker();
    const containers = await docker.listContainers({ all: true, filters: { label: [`${internal_labels/* LABEL */.d_.clusterId}=${clusterId}`] } });
    const logs = await Promise.all(containers.map(async (c) => ({ member: c.Names[0]?.replace(/^\//, "") ?? c.Id, lines: await (0,docker_members/* lastLines */.w$)(docker.getContainer(c.Id), options.tail ?? 50) })));
    return logs.sort((a, b) => (a.member < b.member ? -1 : 1));
}
//# sourceMappingURL=docker-logs.js.map
;// CONCATENATED MODULE: ../core/dist/docker/docker-reaper.js





/**
 * Finds this tool's clusters on the engine (by the managed-by label) whose expires-at passed, or older
 * than `olderThanSeconds`, and tears them down. Objects without our labels are never touched.
 */
async function reapDockerClusters(options = {}) {
    const docker = options.docker ?? new lib_docker();
    const logger = options.logger ?? dist_logger/* silentLogger */.q;
    const now = (options.now ?? Date.now)();
    const filter = { label: [`${internal_labels/* LABEL */.d_.managedBy}=${internal_labels/* MANAGED_BY */.Kf}`] };
    const clusters = new Map();
    const note = (labels) => {
        const id = labels[internal_labels/* LABEL */.d_.clusterId];
        if (!id)
            return;
        // Labels are data: an id that is not well-formed never reaches a teardown.
        if (!(0,cluster_id/* isClusterId */.I5)(id)) {
            logger.warn(`ignoring an object labelled with ${JSON.stringify(id.slice(0, 80))}, which is not a cluster id`);
            return;
        }
        if (options.repository !== undefined && labels["github.repository"] !== options.repository)
            return;
        const expiresAt = Date.parse(labels[internal_labels/* LABEL */.d_.expiresAt] ?? "");
        const createdAt = Date.parse(labels[internal_labels/* LABEL */.d_.createdAt] ?? "");
        const previous = clusters.get(id);
        clusters.set(id, {
            expiresAt: Math.min(previous?.expiresAt ?? Number.POSITIVE_INFINITY, Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt),
            createdAt: Math.min(previous?.createdAt ?? Number.POSITIVE_INFINITY, Number.isNaN(createdAt) ? Number.POSITIVE_INFINITY : createdAt),
        });
    };
    for (const c of await docker.listContainers({ all: true, filters: filter }))
        note(c.Labels);
    for (const n of await docker.listNetworks({ filters: filter }))
        note(n.Labels ?? {});
    const reaped = [];
    const kept = [];
    for (const [id, times] of [...clusters.entries()].sort()) {
        const expired = times.expiresAt <= now;
        const old = options.olderThanSeconds !== undefined && times.createdAt <= now - options.olderThanSeconds * 1000;
        if (!expired && !old) {
            kept.push(id);
            continue;
        }
        reaped.push(id);
        logger.info(`${options.dryRun ? "would reap" : "reaping"} cluster ${id} (${expired ? "expired" : "older than the limit"})`);
        if (!options.dryRun)
            await downDockerCluster(id, { docker, logger });
    }
    return { reaped, kept };
}
//# sourceMappingURL=docker-reaper.js.map
;// CONCATENATED MODULE: ../core/dist/docker/docker-backend.js






/** The Docker backend's verbs that reach the engine; `createBackend` loads this module on the first of them. */
function dockerEngineVerbs(settings) {
    let engine = settings.docker;
    // One client for every verb, made on first use (DOCKER_HOST or the local socket) unless one was injected.
    const docker = async () => {
        engine ??= new lib_docker();
        return engine;
    };
    const signalOf = (options) => (options.signal ? { signal: options.signal } : {});
    return {
        preflight: async () => undefined,
        up: async (spec, options) => upDockerCluster(spec, {
            docker: await docker(),
            logger: options.logger,
            tlsDir: options.tlsDir,
            ...signalOf(options),
            ...(options.readiness ? { readiness: options.readiness } : {}),
            onResource: () => options.onPartial?.({ backend: "docker" }),
        }),
        runJob: async (handle, job, options) => runDockerJob(handle, job, { ...options, docker: await docker() }),
        watchMembers: async (handle, options) => watchDockerMembers(handle.clusterId, { docker: await docker(), logger: options.logger }),
        scale: async (handle, workers, options) => {
            if (handle.backend !== "docker")
                throw new errors/* ClusterConfigError */.N5("backend", `cluster ${handle.clusterId} runs on ${handle.backend}, not docker`);
            return scaleDockerCluster(handle, workers, { docker: await docker(), logger: options.logger, ...signalOf(options) });
        },
        down: async (target, options) => downDockerCluster(target.clusterId, {
            docker: await docker(),
            logger: options.logger,
            repository: target.repository,
            ...(target.tlsDir ? { tlsDir: target.tlsDir } : {}),
        }),
        logs: async (clusterId, options) => dockerClusterLogs(clusterId, { ...options, docker: await docker() }),
        reap: async (options) => reapDockerClusters({
            docker: await docker(),
            logger: options.logger,
            dryRun: options.dryRun,
            repository: options.repository,
            ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
        }),
    };
}
//# sourceMappingURL=docker-backend.js.map

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
