import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import type { ClusterHandle, JobResult, JobSpec, OperationOptions } from "../cluster.js";
import { CoreError } from "../errors.js";
import { jobEnvironment } from "../internal/dask-commands.js";
import { type Clock, systemClock } from "../internal/wait.js";
import { checkFargateJobOutputs, type JobOutputs, prepareOutputDir } from "../job-outputs.js";
import { silentLogger } from "../logger.js";
import { watchResult } from "../worker-keeper.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { type FargateKeeperOptions, keepFargateWorkers } from "./fargate-keeper.js";
import { fargateNames } from "./fargate-names.js";
import { downloadJobOutputs } from "./fargate-outputs.js";
import { factsOf, runTaskInput } from "./fargate-plan.js";
import { describeTasks, runTasks, stopTasks } from "./fargate-tasks.js";

/** The job task's uploader reports a file it could not upload, or that it could not upload at all (output-uploader.ts). */
const UPLOAD_FAILURE = /^dask-fargate: (could not upload |cannot upload the job outputs: )/;

/** The outputs with the uploader's failures in `problem` (before a download's own problem). */
function uploadProblem(failures: readonly string[], outputs: JobOutputs): JobOutputs {
  if (failures.length === 0) return outputs;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : "";
  const upload = `the job task could not upload its outputs to S3: ${failures[0]}${more}`;
  return { ...outputs, problem: outputs.problem ? `${upload}; ${outputs.problem}` : upload };
}

/** Options of {@link runFargateJob}. */
export interface FargateJobOptions extends OperationOptions {
  readonly clients: AwsClients;
  readonly clock?: Clock;
  /** Delay between log and status polls. */
  readonly pollMs?: number;
  /** The keeper's own clock and pace (default: the system clock, rounds 5 s apart), apart from the job's polls. */
  readonly keeper?: Pick<FargateKeeperOptions, "clock" | "roundMs" | "random">;
  /** The S3 client outputs are downloaded with (default `clients.s3`, else one for the cluster's region). */
  readonly s3?: S3Client;
}

/**
 * Runs a job beside a Fargate cluster: as an ECS task from the job task definition (same image,
 * subnets and security group; DASK_SCHEDULER_ADDRESS and the worker count set; it waits for the
 * workers before the command starts), streaming its CloudWatch log live and returning the container's
 * exit code. The command must find its files in the image. With `outputDir` (which needs the cluster's
 * `output-uri`) what the job wrote to DFA_OUTPUT_DIR is uploaded by the task when the command ends, then
 * downloaded here, also after a failure. A job on the runner is {@link runClusterJob}'s, not this.
 */
export async function runFargateJob(
  handle: ClusterHandle,
  job: JobSpec,
  options: FargateJobOptions,
): Promise<JobResult> {
  if (job.runsOn !== "cluster")
    throw new CoreError("runFargateJob runs jobs in the cluster; a job on the runner goes through runClusterJob");
  if (handle.backend !== "fargate") throw new CoreError(`cluster ${handle.clusterId} is not a Fargate cluster`);
  const resources = handle.fargate;
  const { ecs, logs } = options.clients;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const spec = handle.spec;
  checkFargateJobOutputs(job.outputDir, resources.spec.outputUri);
  const outputDir = job.outputDir !== undefined ? prepareOutputDir(job.outputDir) : undefined;
  // Outputs need the attempt's prefix and key that up made; a cluster saved by an earlier version has none.
  const outputRun = outputDir ? resources.outputs : undefined;
  if (outputDir && !outputRun)
    throw new CoreError(
      `cluster ${handle.clusterId} was started without an outputs prefix and signing key (by an earlier version): start a new cluster to bring outputs back`,
    );
  // Each job of the cluster uploads under its own id, named in its manifest: an earlier job's files are never this one's.
  const jobId = randomBytes(6).toString("hex");
  const started = clock.now();
  const environment = {
    ...jobEnvironment(spec, handle.schedulerAddress, job.command, job.environment),
    ...(outputRun ? { DFA_OUTPUT_JOB: jobId } : {}),
  };
  const input = runTaskInput(
    spec,
    resources.spec,
    factsOf(resources, handle.createdAt, handle.expiresAt),
    "job",
    1,
    `${spec.clusterId}-job-${clock.now().toString(36)}`,
    undefined,
    false,
    environment,
  );
  const [task] = await runTasks(ecs, [input], { logger, signal: options.signal, clock });
  const taskArn = task?.taskArn;
  if (!taskArn) throw new CoreError("RunTask returned no job task");
  const taskId = taskArn.split("/").pop() ?? "";
  const stream = `job/${fargateNames.container}/${taskId}`;
  logger.info(`job task ${taskId} started; streaming ${resources.logGroup}/${stream}`);
  let nextToken: string | undefined;
  // The uploader's own failure lines (output-uploader.ts), so a result whose files did not all reach S3 says why.
  const uploadFailures: string[] = [];
  const drain = async () => {
    if (!resources.logGroup) return;
    for (;;) {
      const page = await logs
        .send(
          new GetLogEventsCommand({
            logGroupName: resources.logGroup,
            logStreamName: stream,
            startFromHead: true,
            ...(nextToken ? { nextToken } : {}),
          }),
        )
        .catch((error: unknown) => {
          if (awsErrorName(error) === "ResourceNotFoundException") return undefined; // the stream appears when the container starts
          throw error;
        });
      if (!page) return;
      for (const event of page.events ?? []) {
        const line = event.message ?? "";
        if (UPLOAD_FAILURE.test(line)) uploadFailures.push(line.replace(/^dask-fargate: /, ""));
        job.onOutput?.(line, "stdout");
      }
      const same = page.nextForwardToken === nextToken;
      nextToken = page.nextForwardToken;
      if (same || (page.events ?? []).length === 0) return;
    }
  };
  // StopTask is sent once (not on every poll after a timeout), and a failure is reported, never left unhandled.
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= stopTasks(ecs, resources.ecsCluster, [taskArn], reason).catch((error: unknown) => {
      logger.warn(
        `could not stop job task ${taskId}: ${error instanceof Error ? error.message : String(error)}; teardown stops it`,
      );
    });
  };
  const cancel = () => stop("dask-fargate-action: job cancelled");
  // The cluster's own tasks are watched with the job (rounds ≥ 5 s apart), so a worker lost mid-job (killed, out of
  // memory, a Spot interruption) is reported with its stop code and reason and replaced, up to max-worker-replacements.
  const keeper = keepFargateWorkers(handle, { clients: options.clients, logger, ...options.keeper });
  options.signal?.addEventListener("abort", cancel, { once: true });
  // A signal that came while the task was being launched fired no listener: stop it now.
  if (options.signal?.aborted) cancel();
  const deadline = job.timeoutSeconds ? started + job.timeoutSeconds * 1000 : Number.POSITIVE_INFINITY;
  try {
    for (;;) {
      await drain();
      const [current] = await describeTasks(ecs, resources.ecsCluster, [taskArn]);
      if (current?.lastStatus === "STOPPED") {
        await drain();
        await keeper.stop();
        const container = current.containers?.[0];
        const exitCode = container?.exitCode;
        const why = [current.stopCode, current.stoppedReason, container?.reason].filter(Boolean).join(": ");
        if (exitCode === undefined) logger.warn(`job task ${taskId} stopped without an exit code: ${why}`);
        const downloaded =
          outputDir && outputRun
            ? await readFile(outputRun.keyFile, "utf8")
                .then((keyHex) =>
                  downloadJobOutputs(
                    options.s3 ?? options.clients.s3 ?? new S3Client({ region: resources.spec.region }),
                    {
                      bucket: outputRun.bucket,
                      jobPrefix: `${outputRun.runPrefix}${jobId}/`,
                      expected: { cluster: spec.clusterId, token: outputRun.token, job: jobId },
                      key: Buffer.from(keyHex.trim(), "hex"),
                    },
                    outputDir,
                  ),
                )
                .catch((error: unknown): JobOutputs => {
                  const problem = `the job's outputs could not be downloaded to ${outputDir}: ${error instanceof Error ? error.message : String(error)}`;
                  logger.warn(problem);
                  return { dir: outputDir, files: [], problem };
                })
            : undefined;
        const outputs = downloaded && uploadProblem(uploadFailures, downloaded);
        if (outputs?.ignoredObjects)
          logger.warn(
            `ignored ${outputs.ignoredObjects} object(s) under ${outputs.uri} that this job's signed manifest does not list (not written by this job)`,
          );
        if (outputs) logger.info(`job outputs: ${outputs.files.length} file(s) in ${outputs.dir}`);
        return {
          exitCode: exitCode ?? 1,
          ...watchResult(keeper),
          durationMs: clock.now() - started,
          ...(exitCode !== 0 && why ? { reason: why } : {}),
          ...(outputs ? { outputs } : {}),
        };
      }
      if (clock.now() > deadline) {
        if (!stopping) logger.warn(`job timed out after ${job.timeoutSeconds} s; stopping it`);
        stop("dask-fargate-action: job timed out");
      }
      // Once the stop is sent the signal has done its work: keep polling at the same pace until the task is STOPPED
      // (an aborted signal would end every sleep at once and poll ECS without a pause).
      await clock.sleep(options.pollMs ?? 2000, stopping ? undefined : options.signal).catch(() => {});
    }
  } finally {
    options.signal?.removeEventListener("abort", cancel);
    await keeper.stop();
  }
}
