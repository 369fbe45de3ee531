import { join } from "node:path";
import type { Readable } from "node:stream";
import Docker from "dockerode";
import {
  type ClusterHandle,
  DEFAULT_READINESS,
  type DockerClusterHandle,
  type OperationOptions,
  type Readiness,
  type TeardownReport,
} from "../cluster.js";
import { assertClusterId, removeClusterTlsDir } from "../cluster-id.js";
import type { ClusterSpec } from "../cluster-spec.js";
import { ClusterConfigError, CoreError, MemberStoppedError } from "../errors.js";
import { explainError } from "../explain-error.js";
import { clusterStart } from "../internal/cluster-start.js";
import { DASHBOARD_PORT, SCHEDULER_PORT } from "../internal/dask-commands.js";
import { LABEL } from "../internal/labels.js";
import { createClusterTls, readTlsFiles, type TlsIdentity, writeTlsFiles } from "../internal/tls.js";
import { type Clock, pollUntil } from "../internal/wait.js";
import { silentLogger } from "../logger.js";
import { countWorkers } from "../scheduler-http.js";
import type { StartTimeline } from "../start-timeline.js";
import { dockerWorkerPlan, planDockerCluster } from "./docker-plan.js";
import { dockerStartTimeline } from "./docker-timeline.js";
import { createMember, lastLines, type MemberOptions, names, putTlsFiles } from "./members.js";

/** Options of {@link upDockerCluster}. */
export interface DockerUpOptions extends OperationOptions {
  readonly docker?: Docker;
  /** `registered` (default): wait until every worker is registered; `running`: until every container runs. */
  readonly readiness?: Readiness;
  readonly readyTimeoutSeconds?: number;
  /** Where client TLS files are written (mode 0600); default a directory per cluster under the OS temp dir. */
  readonly tlsDir?: string;
  /** Called with a description of each resource right after it is created (for saved state). */
  readonly onResource?: (resource: string) => void;
  readonly clock?: Clock;
  /** Called once the start is over, ready or failed after its first container, with the engine's events of each member. */
  readonly onStartTimeline?: (timeline: StartTimeline) => void;
}

/**
 * Starts a cluster on the local Docker Engine: one bridge network, a scheduler and the workers as
 * containers with the spec's CPU and memory limits, the same commands as on Fargate, ownership and
 * expiry labels, and the scheduler and dashboard ports published on 127.0.0.1 only. Workers start
 * together with the scheduler and connect when it listens. On any failure or abort everything with
 * the cluster's label is removed before the error is thrown.
 */
export async function upDockerCluster(spec: ClusterSpec, options: DockerUpOptions = {}): Promise<DockerClusterHandle> {
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const start = clusterStart(spec, logger, options);
  const { clock, createdAt, expiresAt, checkAbort, tlsDir } = start;
  const created = (resource: string) => {
    logger.debug(`created ${resource}`);
    options.onResource?.(resource);
  };
  let creating = false;
  // The engine's events of this start, read once it is over (a picture only: reading them never fails the start).
  const reportTimeline = async () => {
    if (!options.onStartTimeline) return;
    const timeline = await dockerStartTimeline(docker, spec.clusterId, start.startedAt.getTime()).catch(
      (error: unknown) => {
        logger.debug(
          `could not read the engine's events of the start: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      },
    );
    if (timeline) options.onStartTimeline(timeline);
  };
  try {
    await docker.ping().catch((error: Error) => {
      throw new CoreError(
        explainError(error) ?? `the Docker Engine is not reachable (${error.message}); start it or set DOCKER_HOST`,
        { cause: error },
      );
    });
    // Another start of the same cluster id (a re-run, a second terminal) must not be taken over, nor removed
    // by this start's cleanup, which finds resources by the id's label.
    const byId = { label: [`${LABEL.clusterId}=${spec.clusterId}`] };
    const [, networks, containers] = await Promise.all([
      docker
        .getImage(spec.image)
        .inspect()
        .catch(() => {
          throw new CoreError(
            `the image ${spec.image} is not on the local Docker Engine; build it first (dask-fargate build) or pull it`,
          );
        }),
      docker.listNetworks({ filters: byId }),
      docker.listContainers({ all: true, filters: byId }),
    ]);
    if (networks.length + containers.length > 0) throw clusterExists(spec.clusterId);
    checkAbort();
    // The checks above create nothing: only from here on is there anything to remove.
    creating = true;
    const plan = planDockerCluster(spec, { createdAt, expiresAt });
    await docker
      .createNetwork({
        Name: plan.network.name,
        Driver: plan.network.driver,
        CheckDuplicate: true,
        Labels: { ...plan.network.labels },
      })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 409) throw error;
        // Created by someone else between the check and here: nothing of ours exists yet.
        creating = false;
        throw clusterExists(spec.clusterId);
      });
    created(`network ${plan.network.name}`);

    const scheme = spec.tls ? "tls" : "tcp";
    const tls = spec.tls ? await createClusterTls(spec.clusterId, spec.maxLifetime, start.startedAt) : undefined;
    checkAbort();
    // Written while the members start, and awaited on every path: a cleanup never runs while a key file is still being written.
    const tlsFiles = tls
      ? allSettled([
          writeTlsFiles(join(tlsDir, "tls", "client"), tls.client),
          writeTlsFiles(join(tlsDir, "tls", "member"), tls.member),
        ])
      : undefined;
    // The scheduler and the workers are created and started at once: the workers reach the scheduler by its
    // container name on the cluster network and retry until it listens, so the scheduler's start is not on their path.
    const [members, files] = await Promise.allSettled([
      startMembers(docker, spec, tls?.member, [plan.scheduler, ...plan.workers], created, checkAbort),
      tlsFiles ?? Promise.resolve([]),
    ]);
    if (members.status === "rejected") throw members.reason;
    if (files.status === "rejected") throw files.reason;
    const scheduler = members.value[0] ?? docker.getContainer(plan.scheduler.name);
    const [clientTlsFiles, memberTlsFiles] = files.value;
    const schedulerAddress = plan.schedulerAddress;

    const ports = (await scheduler.inspect()).NetworkSettings.Ports;
    const hostPort = (port: number) => ports[`${port}/tcp`]?.[0]?.HostPort;
    const schedulerHostPort = hostPort(SCHEDULER_PORT);
    const dashboardHostPort = hostPort(DASHBOARD_PORT);
    const handle: DockerClusterHandle = {
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
    await waitForDockerCluster(handle, spec.workers, {
      ...options,
      docker,
      clock,
      readiness: options.readiness ?? DEFAULT_READINESS.docker,
    });
    await reportTimeline();
    return handle;
  } catch (error) {
    if (creating) await reportTimeline();
    const cleanup = creating ? () => downDockerCluster(spec.clusterId, { docker, logger, tlsDir }) : undefined;
    throw await start.failed(error, cleanup, `dask-fargate down --cluster-id ${spec.clusterId}`);
  }
}

/**
 * Creates the members, copies their TLS files in and starts them, all at once; returns their containers in the
 * order given. Every creation is settled before this fails (the first error thrown), so a cleanup that follows
 * finds every container that was made.
 */
async function startMembers(
  docker: Docker,
  spec: ClusterSpec,
  tls: TlsIdentity | undefined,
  members: readonly MemberOptions[],
  created: (resource: string) => void,
  checkAbort: () => void,
): Promise<Docker.Container[]> {
  return allSettled(
    members.map(async (member) => {
      checkAbort();
      const container = await createMember(docker, spec, member);
      created(`container ${member.name}`);
      checkAbort();
      if (tls) await putTlsFiles(container, tls);
      await container.start();
      return container;
    }),
  );
}

/** Like Promise.all, but fails (with the first error) only once every promise has settled: nothing is left running behind a cleanup. */
async function allSettled<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Options of {@link waitForDockerCluster}. */
export interface DockerWaitOptions extends OperationOptions {
  readonly docker?: Docker;
  readonly readiness?: Readiness;
  readonly readyTimeoutSeconds?: number;
  readonly clock?: Clock;
}

/**
 * Waits until every member runs and, for `registered` readiness, `expectedWorkers` are registered at the
 * scheduler. A member that exits is reported with its exit code and last output lines.
 */
export async function waitForDockerCluster(
  handle: ClusterHandle,
  expectedWorkers: number,
  options: DockerWaitOptions = {},
): Promise<void> {
  const docker = options.docker ?? new Docker();
  const readiness = options.readiness ?? DEFAULT_READINESS.docker;
  // The scheduler prints a line when a worker registers: each of its lines starts the next look at once, so the
  // wait ends within milliseconds of the last registration, not at the next step of the backoff (up to 2 s later).
  // The count itself still comes from the scheduler's HTTP server.
  const schedulerLines =
    readiness === "registered" ? await followOutput(docker, names.scheduler(handle.clusterId)) : undefined;
  try {
    await pollUntil({
      waitingFor:
        readiness === "registered"
          ? `${expectedWorkers} workers to register at the scheduler`
          : "all containers to run",
      timeoutSeconds: options.readyTimeoutSeconds ?? 300,
      signal: options.signal,
      ...(options.clock ? { clock: options.clock } : {}),
      onProgress: (seen) => {
        options.logger?.info(seen);
        options.onProgress?.({ phase: "starting", message: seen });
      },
      check: async () => {
        const members = await docker.listContainers({
          all: true,
          filters: { label: [`${LABEL.clusterId}=${handle.clusterId}`] },
        });
        const stopped = members.find(
          (m) => m.State !== "running" && m.State !== "created" && m.Labels[LABEL.role] !== "job",
        );
        if (stopped) {
          const container = docker.getContainer(stopped.Id);
          const state = (await container.inspect()).State;
          const tail = await lastLines(container);
          throw new MemberStoppedError(
            stopped.Names[0]?.replace(/^\//, "") ?? stopped.Id,
            state.ExitCode,
            state.OOMKilled ? "out of memory" : state.Error || undefined,
            tail.join("\n  "),
          );
        }
        const running = members.filter((m) => m.State === "running" && m.Labels[LABEL.role] === "worker").length;
        const schedulerUp = members.some((m) => m.State === "running" && m.Labels[LABEL.role] === "scheduler");
        if (readiness === "running") {
          return running >= expectedWorkers && schedulerUp
            ? { done: true, value: undefined }
            : {
                done: false,
                seen: `scheduler ${schedulerUp ? "running" : "starting"}, ${running}/${expectedWorkers} workers running`,
              };
        }
        const registered = handle.dashboardUrl ? await countWorkers(handle.dashboardUrl) : undefined;
        if (registered !== undefined && registered >= expectedWorkers) return { done: true, value: undefined };
        return {
          done: false,
          seen: `scheduler ${registered === undefined ? "starting" : "ready"}, ${running}/${expectedWorkers} workers running, ${registered ?? 0}/${expectedWorkers} registered`,
        };
      },
      wakeUps: (wake) => {
        schedulerLines?.on("data", wake);
      },
    });
  } finally {
    schedulerLines?.destroy();
  }
}

/** A container's output from now on, as it is printed; undefined when the engine does not give it (the wait then only polls). */
async function followOutput(docker: Docker, container: string): Promise<Readable | undefined> {
  const stream = await docker
    .getContainer(container)
    // tail 0: none of the earlier output (a long-lived scheduler's, when scale waits), only what comes next.
    .logs({ follow: true, stdout: true, stderr: true, tail: 0 })
    .catch(() => undefined);
  if (!stream) return undefined;
  const readable = stream as Readable;
  readable.on("error", () => {}); // the engine closing the stream only ends the wake-ups
  return readable;
}

/** Options of {@link downDockerCluster}. */
export interface DockerDownOptions {
  readonly docker?: Docker;
  readonly logger?: OperationOptions["logger"];
  /** The cluster's local state directory (TLS keys); removed as well. */
  readonly tlsDir?: string;
  /** Act only on a cluster labelled with this `github.repository` (the action's `down`); another's is an error. */
  readonly repository?: string | undefined;
}

/**
 * Removes everything labelled with the cluster id: containers (killed, with their anonymous volumes)
 * and networks. Idempotent: a second call finds nothing and succeeds. Never touches unlabelled objects.
 */
export async function downDockerCluster(clusterId: string, options: DockerDownOptions = {}): Promise<TeardownReport> {
  assertClusterId(clusterId);
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const filter = {
    label: [
      `${LABEL.clusterId}=${clusterId}`,
      ...(options.repository !== undefined ? [`github.repository=${options.repository}`] : []),
    ],
  };
  const removed: string[] = [];
  const containers = await docker.listContainers({ all: true, filters: filter });
  if (options.repository !== undefined && containers.length === 0) {
    const others = await docker.listContainers({ all: true, filters: { label: [`${LABEL.clusterId}=${clusterId}`] } });
    if (others.length > 0)
      throw new ClusterConfigError(
        "cluster-id",
        `cluster ${clusterId} was not started from ${options.repository} (its containers are labelled github.repository ${[...new Set(others.map((c) => c.Labels["github.repository"] ?? "no repository"))].sort().join(", ")}), and a teardown scoped to ${options.repository} removes only that repository's clusters: nothing was removed`,
      );
  }
  await Promise.all(
    containers.map(async (c) => {
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
        });
      removed.push(`container ${c.Names[0]?.replace(/^\//, "") ?? c.Id}`);
    }),
  );
  for (const network of await docker.listNetworks({ filters: filter })) {
    await docker
      .getNetwork(network.Id)
      .remove()
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
    removed.push(`network ${network.Name}`);
  }
  if (options.tlsDir) await removeClusterTlsDir(options.tlsDir, clusterId);
  if (removed.length > 0)
    logger.info(`removed ${removed.length} resources of cluster ${clusterId}: ${removed.sort().join(", ")}`);
  return { clusterId, removed: removed.sort() };
}

/**
 * Scales the workers of a running cluster to `workers`: new workers are started (and awaited), the
 * highest-numbered ones are removed when scaling down. The signal aborts the start and the wait.
 */
export async function scaleDockerCluster(
  handle: DockerClusterHandle,
  workers: number,
  options: DockerUpOptions = {},
): Promise<DockerClusterHandle> {
  options.signal?.throwIfAborted();
  const docker = options.docker ?? new Docker();
  const current = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL.clusterId}=${handle.clusterId}`, `${LABEL.role}=worker`] },
  });
  const indexes = current.map((c) => Number(c.Names[0]?.split("-worker-")[1])).filter(Number.isInteger);
  const spec = { ...handle.spec, workers };
  if (workers > current.length) {
    const tls = handle.memberTlsFiles ? await readTlsFiles(handle.memberTlsFiles) : undefined;
    const next = Math.max(-1, ...indexes) + 1;
    const facts = { createdAt: handle.createdAt, expiresAt: handle.expiresAt };
    const added = range(next, next + workers - current.length).map((index) =>
      dockerWorkerPlan(spec, facts, handle.schedulerAddress, index),
    );
    await startMembers(
      docker,
      spec,
      tls,
      added,
      () => {},
      options.signal ? () => options.signal?.throwIfAborted() : () => {},
    );
  } else {
    const doomed = [...indexes].sort((a, b) => b - a).slice(0, current.length - workers);
    await Promise.all(
      doomed.map((i) => docker.getContainer(names.worker(handle.clusterId, i)).remove({ force: true })),
    );
  }
  const scaled = { ...handle, spec };
  await waitForDockerCluster(scaled, workers, {
    ...options,
    docker,
    readiness: workers > current.length ? (options.readiness ?? DEFAULT_READINESS.docker) : "running",
  });
  return scaled;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** The refusal when a cluster of this id already exists on the engine. */
function clusterExists(clusterId: string): ClusterConfigError {
  return new ClusterConfigError(
    "cluster-id",
    `a cluster ${clusterId} already exists on this Docker Engine; choose another cluster id, or remove that one first (dask-fargate down --cluster-id ${clusterId})`,
  );
}
