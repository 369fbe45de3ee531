import {
  DescribeTasksCommand,
  type ECSClient,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import { CoreError, MemberStoppedError } from "../errors.js";
import { backoffDelay } from "../internal/backoff.js";
import { type BucketLimit, type LaunchPacer, launchPacer } from "../internal/launch-pacer.js";
import { type Clock, pollUntil, systemClock } from "../internal/wait.js";
import { type Logger, silentLogger } from "../logger.js";
import { isIamPropagationError, isThrottlingError, mapLimited, retryWhile } from "./retry.js";

/** DescribeTasks takes at most 100 task ARNs per call (ECS API reference). */
export const DESCRIBE_TASKS_MAX = 100;
/** RunTask calls in flight at once: well inside Fargate's 20 RunTask calls per second and the 100-task launch burst. */
export const RUN_TASK_CONCURRENCY = 5;
/** Fargate task launches: 100 at once, then 20 per second (facts.md, "Token buckets"; ECS API reference, "Request throttling"). */
export const FARGATE_LAUNCH_LIMIT: BucketLimit = { burst: 100, perSecond: 20 };

/** Describes any number of tasks, 100 per call; `withTags` adds each task's tags (`include: ["TAGS"]`). */
export async function describeTasks(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  withTags = false,
): Promise<Task[]> {
  const batches: string[][] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX) batches.push(arns.slice(i, i + DESCRIBE_TASKS_MAX));
  // A round's calls go out together (10 cover 1,000 tasks), well inside the DescribeTasks burst of 100 (facts.md).
  const answers = await mapLimited(batches, 10, (tasks) =>
    ecs.send(new DescribeTasksCommand({ cluster, tasks, ...(withTags ? { include: ["TAGS"] } : {}) })),
  );
  return answers.flatMap((a) => a.tasks ?? []);
}

/** The private IPv4 address of a task's ENI, once ECS knows it (before the task runs). */
export function privateIp(task: Task): string | undefined {
  return eniDetail(task, "privateIPv4Address");
}

/** The ENI id of a task, for its public IP. */
export function networkInterfaceId(task: Task): string | undefined {
  return eniDetail(task, "networkInterfaceId");
}

/** A detail of the task's ElasticNetworkInterface attachment (awsvpc tasks have one). */
function eniDetail(task: Task, name: string): string | undefined {
  for (const attachment of task.attachments ?? []) {
    const value = attachment.details?.find((d) => d.name === name)?.value;
    if (value) return value;
  }
  return undefined;
}

/** A readable name of a task: its role tag or group and the last part of its ARN. */
export function taskLabel(task: Task): string {
  const role =
    task.tags?.find((t) => t.key === "io.dask-fargate-action.role")?.value ??
    task.group?.replace(/^family:/, "") ??
    "task";
  return `${role} ${task.taskArn?.split("/").pop() ?? "?"}`;
}

/** Why a task stopped: stop code, reason and every container's exit code and reason. */
export function stoppedError(task: Task): MemberStoppedError {
  const containers = (task.containers ?? [])
    .map((c) => `${c.name}: exit ${c.exitCode ?? "none"}${c.reason ? ` (${c.reason})` : ""}`)
    .join("; ");
  const reason = [task.stopCode, task.stoppedReason].filter(Boolean).join(": ");
  return new MemberStoppedError(taskLabel(task), task.containers?.[0]?.exitCode, reason || undefined, containers);
}

/** Options of {@link runTasks}. */
export interface RunTasksOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock;
  /** How many times to retry tasks that RunTask lists in failures[] (e.g. no capacity). */
  readonly capacityRetries?: number;
  /** For Spot requests: the same request on on-demand Fargate, used after the retries. */
  readonly fallback?: (input: RunTaskCommandInput) => RunTaskCommandInput;
  /** Uniform random numbers in [0, 1) for the retry jitter (default `Math.random`); tests pass a fixed sequence. */
  readonly random?: () => number;
  /** Launch tokens, shared by every runTasks of one start (default: a fresh bucket at Fargate's launch limit). */
  readonly pacer?: LaunchPacer;
}

/** Capacity retries: 2 s, 4 s, 8 s … (at most 30 s), each spread by jitter so parallel lanes drift apart. */
const CAPACITY_BACKOFF = { firstMs: 2000, maxMs: 30_000, jitter: "spread" } as const;

/**
 * The on-demand twin of a Spot RunTask request: launch type FARGATE instead of the FARGATE_SPOT capacity
 * provider strategy (RunTask takes one or the other), with its own client token so it is not taken for a repeat.
 */
export function onDemandFallback(input: RunTaskCommandInput): RunTaskCommandInput {
  const { capacityProviderStrategy: _spot, ...rest } = input;
  return { ...rest, launchType: "FARGATE", clientToken: `${input.clientToken ?? "t"}-od`.slice(0, 64) };
}

/** The {@link runTasks} options of worker requests: on Spot, the on-demand fallback (at start and when scaling up alike). */
export function workerFallback(spotWorkers: boolean): Pick<RunTasksOptions, "fallback"> {
  return spotWorkers ? { fallback: onDemandFallback } : {};
}

/**
 * Runs RunTask requests (≤ 10 tasks each) with bounded concurrency. A call can succeed and still list
 * failures[] ("Capacity is unavailable at this time"): the missing tasks are requested again with
 * backoff and, for Spot, finally on on-demand capacity. IAM propagation errors are retried for 120 s.
 * Launches are paced at Fargate's launch limit, so a large start is not slowed by throttled retries.
 */
export async function runTasks(
  ecs: ECSClient,
  inputs: readonly RunTaskCommandInput[],
  options: RunTasksOptions,
): Promise<Task[]> {
  const clock = options.clock ?? systemClock;
  const retries = options.capacityRetries ?? 3;
  const pacer = options.pacer ?? launchPacer(FARGATE_LAUNCH_LIMIT, clock);
  const perInput = await mapLimited(inputs, RUN_TASK_CONCURRENCY, async (input) => {
    const started: Task[] = [];
    let request = input;
    let baseToken = input.clientToken ?? "t";
    let fellBack = false;
    let missing = input.count ?? 1;
    for (let attempt = 0; missing > 0; attempt++) {
      // Spot gets one retry before the on-demand fallback: waiting longer rarely helps and delays the cluster.
      const limit = options.fallback && !fellBack ? Math.min(1, retries) : retries;
      // Safe to repeat: the client token makes a RunTask that did launch return the same tasks.
      const retryable = (error: unknown) => isIamPropagationError(error) || isThrottlingError(error);
      await pacer.take(missing, options.signal);
      const answer = await retryWhile(
        "RunTask",
        () => ecs.send(new RunTaskCommand({ ...request, count: missing })),
        retryable,
        {
          limitSeconds: 120,
          logger: options.logger,
          signal: options.signal,
          clock,
          random: options.random,
        },
      );
      started.push(...(answer.tasks ?? []));
      missing -= answer.tasks?.length ?? 0;
      if (missing <= 0) break;
      const reasons = [...new Set((answer.failures ?? []).map((f) => f.reason ?? "unknown"))].join("; ");
      if (attempt >= limit) {
        if (options.fallback && !fellBack) {
          options.logger.warn(
            `${missing} task(s) could not start on Spot (${reasons}); falling back to on-demand Fargate`,
          );
          request = options.fallback(input);
          baseToken = request.clientToken ?? baseToken;
          fellBack = true;
          attempt = -1;
          continue;
        }
        throw new CoreError(
          `${missing} task(s) of ${input.taskDefinition} could not start after ${limit + 1} attempts: ${reasons}`,
        );
      }
      options.logger.info(`${missing} task(s) did not start (${reasons}); retrying`);
      // A new token: the old one would return the same partial answer.
      request = { ...request, clientToken: `${baseToken}-r${attempt + 1}`.slice(0, 64) };
      await clock.sleep(backoffDelay(attempt, { ...CAPACITY_BACKOFF, random: options.random }), options.signal);
    }
    return started;
  });
  return perInput.flat();
}

/** RunTask, StartTask and StopTask calls: 100 at once, then 40 per second (facts.md, "Token buckets"). */
export const TASK_CALL_LIMIT: BucketLimit = { burst: 100, perSecond: 40 };

/**
 * Stops tasks (there is no batch StopTask), with bounded concurrency, paced at the StopTask bucket so a large
 * teardown is not slowed by throttled retries; already stopped tasks are fine.
 */
export async function stopTasks(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  reason: string,
  clock: Clock = systemClock,
): Promise<void> {
  const pacer = launchPacer(TASK_CALL_LIMIT, clock);
  await mapLimited(arns, 10, async (task) => {
    await pacer.take(1);
    const stop = () => ecs.send(new StopTaskCommand({ cluster, task, reason }));
    await retryWhile("StopTask", stop, isThrottlingError, { limitSeconds: 120, logger: silentLogger, clock }).catch(
      (error: Error) => {
        if (!/not found|STOPPED|InvalidParameter/i.test(`${error.name} ${error.message}`)) throw error;
      },
    );
  });
}

/** Waits until every task is STOPPED (teardown). */
export async function waitStopped(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  options: { signal?: AbortSignal; clock?: Clock; timeoutSeconds?: number; delayMs?: number },
): Promise<void> {
  if (arns.length === 0) return;
  await pollUntil({
    waitingFor: `${arns.length} tasks to stop`,
    timeoutSeconds: options.timeoutSeconds ?? 300,
    ...(options.delayMs ? { delayMs: options.delayMs, maxDelayMs: options.delayMs } : {}),
    signal: options.signal,
    ...(options.clock ? { clock: options.clock } : {}),
    check: async () => {
      const tasks = await describeTasks(ecs, cluster, arns);
      const running = tasks.filter((t) => t.lastStatus !== "STOPPED");
      return running.length === 0
        ? { done: true, value: undefined }
        : { done: false, seen: `${running.length}/${arns.length} not stopped yet` };
    },
  });
}
