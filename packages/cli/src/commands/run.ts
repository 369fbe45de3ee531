import { ClusterConfigError, type JobResult, PhaseTimer } from "@dask-fargate-action/core";
import { runnerJobWarning } from "@dask-fargate-action/image";
import { jobEnvOf, jobRunsOnOf, jobWorkdirOf } from "../options.js";
import { removeRecord } from "../state-file.js";
import { clusterContext, recorder } from "./cluster-context.js";
import type { Command } from "./context.js";
import { imageOf } from "./image-of.js";

/**
 * `run`: image (build or reuse) → up → job → down, in one command. The cluster is removed whatever
 * happens (job failure, error, SIGINT/SIGTERM); the exit code is the job's.
 */
export const run: Command = async ({ flags, logger, signal, print }) => {
  const command = flags["job-command"];
  if (!command) throw new ClusterConfigError("job-command", 'run needs --job-command, e.g. --job-command "python3 train_xgboost.py"');
  const runsOn = jobRunsOnOf(flags);
  const inheritEnv = jobEnvOf(flags);
  const workdir = jobWorkdirOf(flags);
  clusterContext(flags);

  const timer = new PhaseTimer();
  const { image, rebuilt, record: packages } = await timer.time("image", () => imageOf(flags, logger, { record: runsOn === "runner" }));
  const mismatch = packages && runsOn === "runner" ? await runnerJobWarning(packages) : undefined;
  if (mismatch) logger.warn(mismatch);
  const context = clusterContext(flags, image);
  const { backend, spec, stateDir } = context;
  const record = recorder(context.dir, spec, context);
  let result: JobResult | undefined;
  await record.started();
  try {
    logger.info(
      `starting cluster ${spec.clusterId}: 1 scheduler + ${spec.workers} workers of ${spec.workerCpu} vCPU / ${spec.workerMemory} MiB (${backend.name})`,
    );
    if (context.hourlyCost) logger.info(`cost: ${context.hourlyCost.text}`);
    const handle = await timer.time("up", () => backend.up(spec, { logger, signal, stateDir, onPartial: record.partial }));
    await record.ready(handle);
    logger.info(`cluster ready; running the job on the ${runsOn}: ${command}`);
    result = await timer.time("job", () =>
      backend.runJob(handle, { command, runsOn, workdir, inheritEnv, onOutput: (line) => print(line) }, { logger, signal }),
    );
  } finally {
    // Idempotent: after a failed start the backend already cleaned up, and this pass finishes what it could not.
    await timer.time("down", () => backend.down({ clusterId: spec.clusterId, stateDir }, { logger }));
    await removeRecord(context.dir, spec.clusterId);
  }
  // An interrupted job was killed by us: report the interruption (130), not the kill's exit code.
  const exitCode = signal.aborted ? 130 : (result?.exitCode ?? 1);
  const summary = {
    clusterId: spec.clusterId,
    image,
    rebuilt: rebuilt ?? null,
    workers: spec.workers,
    exitCode,
    stoppedMembers: result?.stoppedMembers ?? [],
    phasesMs: timer.toJSON(),
  };
  if (flags.json) print(JSON.stringify(summary, null, 2));
  else logger.info(`job exit code ${exitCode}; phases: ${timer}`);
  return exitCode;
};
