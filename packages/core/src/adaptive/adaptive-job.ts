import { type ChildProcess, spawn } from "node:child_process";
import type { BackendOptions, ClusterBackend } from "../backend.js";
import type { ClusterHandle, JobResult, JobSpec } from "../cluster.js";
import { readLines } from "../internal/output-lines.js";
import type { Logger } from "../logger.js";
import { runnerJobEnvironment } from "../runner-job.js";
import { adaptSidecarEnvironment } from "./adapt-sidecar.js";
import { type AdaptiveController, type AdaptiveReport, startAdaptiveController } from "./adaptive-controller.js";

/** Options of {@link runAdaptiveJob}. */
export interface AdaptiveJobOptions extends BackendOptions {
  /** The Python that runs the sidecar for a job on the runner (default `python3`; it needs `distributed`, as the job's own client does). */
  readonly runnerPython?: string;
  readonly growCooldownMs?: number;
}

/**
 * Runs `run(job)` with adaptive workers when the cluster has a range (`workers: MIN-MAX`); otherwise just runs it.
 * The sidecar's lines are taken out of the job's output and applied through the backend's `scale` (growth) and
 * `removeWorkers` (what the scheduler retired). A job in the cluster starts the sidecar itself (jobCommand); for a
 * job on the runner it is started here, beside the job, with the job's own client environment. Members removed on
 * purpose are not reported as stopped members.
 */
export async function runAdaptiveJob(
  backend: ClusterBackend,
  handle: ClusterHandle,
  job: JobSpec,
  options: AdaptiveJobOptions,
  run: (job: JobSpec, logger: Logger) => Promise<JobResult>,
): Promise<JobResult & { readonly adaptive?: AdaptiveReport }> {
  const range = handle.spec.adaptive;
  if (!range) return run(job, options.logger);
  let current = handle;
  // Identifiers of the members removed on purpose: Fargate task ids, Docker container names.
  const removed = new Set<string>();
  const controller = startAdaptiveController({
    range,
    initial: handle.spec.workers,
    logger: options.logger,
    ...(options.growCooldownMs !== undefined ? { growCooldownMs: options.growCooldownMs } : {}),
    scaler: {
      grow: async (workers) => {
        current = await backend.scale(current, workers, options);
        return current.spec.workers;
      },
      remove: async (retired) => {
        const before = current;
        current = await backend.removeWorkers(current, retired, options);
        const kept = new Set(current.fargate?.workerTaskArns ?? []);
        for (const arn of before.fargate?.workerTaskArns ?? [])
          if (!kept.has(arn)) removed.add(arn.split("/").pop() ?? arn);
        for (const w of retired) removed.add(`${handle.clusterId}-${w.name}`);
        return current.spec.workers;
      },
    },
  });
  const sidecar = job.runsOn === "runner" ? startRunnerSidecar(handle, job, controller, options) : undefined;
  // A retired worker exits as soon as the scheduler closes it, often before its member is removed here: the backends'
  // "stopped while the job ran" warnings wait for the job's end, and those of members removed on purpose become info.
  const held: string[] = [];
  const logger: Logger = {
    ...options.logger,
    warn: (m) => (/ while the job ran$/.test(m) ? held.push(m) : options.logger.warn(m)),
  };
  let result: JobResult;
  try {
    result = await run(
      { ...job, onOutput: (line, stream) => (controller.onLine(line) ? undefined : job.onOutput?.(line, stream)) },
      logger,
    );
  } finally {
    sidecar?.kill();
  }
  const adaptive = await controller.stop();
  const mentions = (text: string) =>
    [...removed].some((id) => text === id || text.includes(` ${id}`) || text.startsWith(`${id} `));
  for (const message of held) {
    if (mentions(message)) options.logger.info(`${message} (retired by the scheduler and removed on purpose)`);
    else options.logger.warn(message);
  }
  return { ...result, stoppedMembers: result.stoppedMembers.filter((m) => !mentions(m.member)), adaptive };
}

/**
 * The sidecar of a job on the runner: the same fixed Python, run here with the job's client environment (scheduler
 * address, TLS files). Its marked lines go to the controller; anything else it prints (a traceback when `distributed`
 * is missing) is logged, and the job runs on at its starting size.
 */
function startRunnerSidecar(
  handle: ClusterHandle,
  job: JobSpec,
  controller: AdaptiveController,
  options: AdaptiveJobOptions,
): ChildProcess {
  const range = handle.spec.adaptive ?? { min: handle.spec.workers, max: handle.spec.workers };
  const env = { ...runnerJobEnvironment(handle, job, process.env), ...adaptSidecarEnvironment(range) };
  const child = spawn(options.runnerPython ?? "python3", ["-c", env["DFA_ADAPT_PY"] ?? ""], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", (error) =>
    options.logger.warn(`adaptive workers: the sidecar did not start (${error.message}); the cluster keeps its size`),
  );
  const other = (line: string) => {
    if (!controller.onLine(line)) options.logger.debug(`adaptive sidecar: ${line}`);
  };
  if (child.stdout) void readLines(child.stdout, other);
  if (child.stderr) void readLines(child.stderr, other);
  return child;
}
