import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import type { ClusterHandle, JobResult, JobSpec, MemberWatch, OperationOptions } from "../cluster.js";
import { CancelledError, CoreError } from "../errors.js";
import { jobCommand, jobEnvironment } from "../internal/dask-commands.js";
import { readTlsFiles } from "../internal/tls.js";
import { listOutputFiles, prepareOutputDir, type SkippedOutput } from "../job-outputs.js";
import { type Logger, silentLogger } from "../logger.js";
import { watchResult } from "../worker-keeper.js";
import { keepDockerWorkers } from "./docker-keeper.js";
import { createMember, names, putTlsFiles, streamLines } from "./members.js";
import { type OutputMount, openOutputMount } from "./output-mount.js";
import { CONTAINER_WORKDIR, workdirMounts } from "./workdir-mounts.js";

/** Options of {@link runDockerJob}. */
export interface DockerJobOptions extends OperationOptions {
  readonly docker?: Docker;
}

/**
 * Runs a job in a Docker cluster: a container on the cluster network, the job's directory mounted read-only
 * at /job, `outputDir` mounted writable at DFA_OUTPUT_DIR. Output is streamed line by line; members that stop
 * meanwhile are reported with their exit codes, and dead workers started again ({@link keepDockerWorkers}). A job on the runner is {@link runClusterJob}'s, not this.
 */
export async function runDockerJob(
  handle: ClusterHandle,
  job: JobSpec,
  options: DockerJobOptions = {},
): Promise<JobResult> {
  if (job.runsOn !== "cluster")
    throw new CoreError("runDockerJob runs jobs in the cluster; a job on the runner goes through runClusterJob");
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const watcher = await watchDockerMembers(handle, { docker, logger });
  let result: Omit<JobResult, "stoppedMembers">;
  try {
    result = await runJobContainer(docker, handle, job, options.signal, logger);
  } finally {
    await watcher.stop();
  }
  return { ...result, ...watchResult(watcher) };
}

/** Watches the members of a Docker cluster while a job runs: each one that stops is logged and listed, a dead worker started again. */
export async function watchDockerMembers(
  handle: ClusterHandle,
  options: { docker: Docker; logger: Logger },
): Promise<MemberWatch> {
  return keepDockerWorkers(handle, options);
}

async function runJobContainer(
  docker: Docker,
  handle: ClusterHandle,
  job: JobSpec,
  signal: AbortSignal | undefined,
  logger: Logger,
): Promise<Omit<JobResult, "stoppedMembers">> {
  const name = names.job(handle.clusterId, randomBytes(3).toString("hex"));
  const outputDir = job.outputDir !== undefined ? prepareOutputDir(job.outputDir) : undefined;
  const mount = outputDir ? openOutputMount(docker, handle, outputDir, logger) : undefined;
  let result: Omit<JobResult, "stoppedMembers">;
  let skipped: SkippedOutput[] | undefined;
  try {
    result = await runContainer(docker, handle, job, name, mount, signal, logger);
  } finally {
    // Also after a failed or killed job: what it wrote is the caller's, with this user's ownership, regular files only.
    skipped = await mount?.restore();
  }
  if (!outputDir) return result;
  return {
    ...result,
    outputs: {
      dir: outputDir,
      files: listOutputFiles(outputDir),
      ...(skipped && skipped.length > 0 ? { skipped } : {}),
    },
  };
}

async function runContainer(
  docker: Docker,
  handle: ClusterHandle,
  job: JobSpec,
  name: string,
  mount: OutputMount | undefined,
  signal: AbortSignal | undefined,
  logger: Logger,
): Promise<Omit<JobResult, "stoppedMembers">> {
  const spec = handle.spec;
  const workdir = workdirMounts(job.workdir);
  if (workdir.masked.length > 0)
    logger.debug(`the job does not see ${workdir.masked.join(", ")} (empty mounts over the repository metadata)`);
  const container = await createMember(docker, spec, {
    role: "job",
    name,
    command: jobCommand(spec),
    cpu: spec.schedulerCpu,
    memoryMiB: spec.schedulerMemory,
    createdAt: handle.createdAt,
    expiresAt: handle.expiresAt,
    environment: jobEnvironment(spec, handle.schedulerAddress, job.command, {
      ...spec.environment,
      ...(job.environment ?? {}),
    }),
    binds: [...workdir.binds, ...(mount ? [mount.bind] : [])],
    tmpfs: workdir.tmpfs,
    workingDir: CONTAINER_WORKDIR,
  });
  const started = Date.now();
  const kill = () => {
    container.kill().catch(() => {});
  };
  signal?.addEventListener("abort", kill, { once: true });
  const timer = job.timeoutSeconds ? setTimeout(kill, job.timeoutSeconds * 1000) : undefined;
  try {
    if (handle.memberTlsFiles) await putTlsFiles(container, await readTlsFiles(handle.memberTlsFiles));
    // A signal that came while the container was being made fired no listener (or one that found nothing
    // running to kill): never start it then, and kill it if the signal came during the start.
    if (signal?.aborted) throw new CancelledError("cancelled before the job started");
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const output = streamLines(docker, stream, (line, source) => job.onOutput?.(line, source));
    await container.start();
    if (signal?.aborted) kill();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await output;
    return { exitCode: StatusCode, durationMs: Date.now() - started };
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", kill);
    await container.remove({ force: true }).catch(() => {});
  }
}
