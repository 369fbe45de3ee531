import { resolve } from "node:path";
import { formatTimeline } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { newClusterId, workersText } from "@dask-fargate-action/core/validate";
import {
  formatBytes,
  outputDirFor,
  parseJobTimeout,
  type RunResult,
  runPipeline,
  runReport,
} from "@dask-fargate-action/pipeline";
import {
  backendOf,
  backendSettingsOf,
  clusterInputOf,
  jobCommandOf,
  jobEnvOf,
  jobRunsOnOf,
  jobUserOf,
  jobWorkdirOf,
  readinessOf,
} from "../options.js";
import { clusterTlsDirOf, removeRecord, stateDirOf } from "../state-file.js";
import { recorder } from "./cluster-setup.js";
import type { Command } from "./command.js";
import { imageRequestOf } from "./image-of.js";

/**
 * `run`: image (build, reuse or given) → up → job → outputs → down, through the same pipeline as the action.
 * The cluster is removed whatever happens (job failure, job-timeout, error, SIGINT/SIGTERM); the exit code is
 * the job's (124 after --job-timeout, 130 when interrupted).
 */
export const run: Command = async ({ flags, logger, signal, print }) => {
  const command = jobCommandOf(flags);
  const backend = backendOf(flags);
  const settings = backendSettingsOf(flags);
  const clusterId = flags["cluster-id"] ?? newClusterId();
  const { image: _placeholder, ...cluster } = clusterInputOf({ ...flags, "cluster-id": clusterId }, "");
  const dir = stateDirOf(flags["state-dir"]);
  const runsOn = jobRunsOnOf(flags);
  const runAs = jobUserOf(flags);
  const wanted = outputDirFor(backend, settings, runsOn, flags["output-dir"], `dask-fargate-output/${clusterId}`);
  const outputDir = wanted === undefined ? undefined : resolve(wanted);
  const job = {
    command,
    runsOn,
    workdir: jobWorkdirOf(flags),
    inheritEnv: jobEnvOf(flags),
    timeoutSeconds: parseJobTimeout(flags["job-timeout"]),
    ...(runAs !== undefined ? { runAs } : {}),
    ...(outputDir ? { outputDir } : {}),
  };
  let record: ReturnType<typeof recorder> | undefined;
  const result = await runPipeline(
    {
      backend,
      settings,
      cluster,
      image: await imageRequestOf(flags),
      tlsDirFor: (id) => clusterTlsDirOf(dir, id),
      readiness: readinessOf(flags),
      job,
    },
    {
      logger,
      signal,
      // A teardown on Fargate takes tens of seconds: say it began.
      phase: (phase, _title, work) => {
        if (phase === "down") logger.info(`removing cluster ${clusterId}`);
        return work();
      },
      onStart: async (spec) => {
        logger.info(
          `starting cluster ${spec.clusterId}: 1 scheduler + ${workersText(spec)} workers of ${spec.workerCpu} vCPU / ${spec.workerMemory} MiB (${backend})`,
        );
        record = recorder(dir, spec, { backendName: backend, settings });
        await record.started();
      },
      onPartial: (partial) => record?.partial(partial),
      onReady: async (handle) => {
        await record?.ready(handle);
        logger.info(`cluster ready; running the job on the ${runsOn}: ${command}`);
      },
      onJobOutput: (line) => print(line),
      onTornDown: () => removeRecord(dir, clusterId),
    },
  );
  report(result, flags.json, print, logger);
  if (result.ending === "error") throw result.error;
  return result.exitCode ?? 1;
};

function report(
  result: RunResult,
  json: boolean,
  print: (text: string) => void,
  logger: { info(m: string): void; warn(m: string): void },
) {
  if (json) {
    print(jsonForTerminal(runReport(result)));
    return;
  }
  for (const member of result.stoppedMembers) {
    logger.warn(
      `${member.member} stopped (${member.reason ?? `exit ${member.exitCode}`}); its last lines:\n${member.lastLines.join("\n")}`,
    );
  }
  for (const r of result.replacements) {
    const why = [r.stopCode, r.reason].filter(Boolean).join(": ");
    logger.warn(
      `replaced ${r.member} (exit code ${r.exitCode ?? "unknown"}${why ? `, ${why}` : ""}) with ${r.replacement}${r.capacity ? ` on ${r.capacity}` : ""}`,
    );
  }
  if (result.unreplaced.length > 0)
    logger.warn(`not replaced, max-worker-replacements used up: ${result.unreplaced.join(", ")}`);
  if (result.outputs.length > 0) {
    logger.info(
      `outputs in ${result.outputDir}: ${result.outputs.map((f) => `${f.path} (${formatBytes(f.bytes)})`).join(", ")}`,
    );
  }
  if (result.adaptive)
    logger.info(
      `adaptive workers ${result.adaptive.min}-${result.adaptive.max}: peak ${result.adaptive.peak}, ${result.adaptive.workerSeconds} worker-seconds; workers over the job (seconds: workers): ${formatTimeline(result.adaptive)}`,
    );
  if (result.picturesFile) logger.info(`pictures of the run (Mermaid charts): ${result.picturesFile}`);
  if (result.cost) logger.info(`cost: ${result.cost.text} (${result.cost.method})`);
  const phases = Object.entries(result.phasesMs)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(", ");
  if (result.ending === "error") return;
  const line = `${result.message}; phases: ${phases}`;
  if (result.ending === "succeeded") logger.info(line);
  else logger.warn(line);
}
