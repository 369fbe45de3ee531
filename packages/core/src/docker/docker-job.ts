import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import type { ClusterHandle, JobResult, JobSpec, MemberWatch, OperationOptions } from "../cluster.js";
import { CancelledError, CoreError } from "../errors.js";
import { jobCommand, jobEnvironment } from "../internal/dask-commands.js";
import { LABEL } from "../internal/labels.js";
import { readLines } from "../internal/output-lines.js";
import { readTlsFiles } from "../internal/tls.js";
import { listOutputFiles, prepareOutputDir, type SkippedOutput } from "../job-outputs.js";
import { type Logger, silentLogger } from "../logger.js";
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
 * meanwhile are reported with their exit codes. A job on the runner is {@link runClusterJob}'s, not this.
 */
export async function runDockerJob(handle: ClusterHandle, job: JobSpec, options: DockerJobOptions = {}): Promise<JobResult> {
  if (job.runsOn !== "cluster") throw new CoreError("runDockerJob runs jobs in the cluster; a job on the runner goes through runClusterJob");
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const watcher = await watchDockerMembers(handle.clusterId, { docker, logger });
  try {
    const result = await runJobContainer(docker, handle, job, options.signal, logger);
    return { ...result, stoppedMembers: watcher.stopped };
  } finally {
    watcher.stop();
  }
}

/** Watches the members of a Docker cluster: each one that stops is logged and listed in `stopped`, until `stop()`. */
export async function watchDockerMembers(clusterId: string, options: { docker: Docker; logger: Logger }): Promise<MemberWatch> {
  return watchMembers(options.docker, clusterId, (member, exitCode) =>
    options.logger.warn(`${member} stopped with exit code ${exitCode ?? "unknown"} while the job ran`),
  );
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
  return { ...result, outputs: { dir: outputDir, files: listOutputFiles(outputDir), ...(skipped && skipped.length > 0 ? { skipped } : {}) } };
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
  if (workdir.masked.length > 0) logger.debug(`the job does not see ${workdir.masked.join(", ")} (empty mounts over the repository metadata)`);
  const container = await createMember(docker, spec, {
    role: "job",
    name,
    command: jobCommand(spec),
    cpu: spec.schedulerCpu,
    memoryMiB: spec.schedulerMemory,
    createdAt: handle.createdAt,
    expiresAt: handle.expiresAt,
    environment: jobEnvironment(spec, handle.schedulerAddress, job.command, { ...spec.environment, ...(job.environment ?? {}) }),
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

/** Follows the engine's `die` events for a cluster's scheduler and workers. */
async function watchMembers(
  docker: Docker,
  clusterId: string,
  onStop: (member: string, exitCode: number | undefined) => void,
): Promise<{ stopped: { member: string; exitCode: number | undefined }[]; stop(): void }> {
  const stopped: { member: string; exitCode: number | undefined }[] = [];
  const stream = (await docker.getEvents({
    filters: { type: ["container"], event: ["die"], label: [`${LABEL.clusterId}=${clusterId}`] },
  })) as unknown as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  stream.on("error", () => {});
  // One JSON event per line.
  void readLines(stream, (line) => {
    try {
      const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
      const attributes = event.Actor?.Attributes ?? {};
      if (attributes[LABEL.role] === "job") return;
      const member = attributes["name"] ?? "a member";
      const exitCode = attributes["exitCode"] !== undefined ? Number(attributes["exitCode"]) : undefined;
      stopped.push({ member, exitCode });
      onStop(member, exitCode);
    } catch {
      // a foreign line: ignore
    }
  });
  return { stopped, stop: () => stream.destroy?.() };
}
