import type { Task } from "@aws-sdk/client-ecs";
import type { FargateResources } from "../cluster.js";
import { type Clock, pollUntil, systemClock } from "../internal/wait.js";
import type { AwsClients } from "./aws-clients.js";
import { describeTasks, privateIp, stoppedError } from "./fargate-tasks.js";

/** The pace of every DescribeTasks round of a start. */
export const POLL_MS = 1000;

interface WaitOptions {
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock | undefined;
  readonly readyTimeoutSeconds?: number | undefined;
  readonly progress: (message: string) => void;
  /** Each DescribeTasks round's tasks, before they are judged (the start's timeline reads their timestamps). */
  readonly onRound?: ((tasks: readonly Task[]) => void) | undefined;
}

/** Waits until the scheduler task's ENI has its private IP (long before the task runs: facts.md, "Task lifecycle"). */
export async function waitForSchedulerIp(
  clients: AwsClients,
  resources: FargateResources,
  options: WaitOptions,
): Promise<Task> {
  return pollUntil({
    waitingFor: "the scheduler's private IP address",
    ...everySecond(options),
    check: async () => {
      const [task] = await describeTasks(clients.ecs, resources.ecsCluster, [resources.schedulerTaskArn ?? ""]);
      if (task) options.onRound?.([task]);
      if (task?.lastStatus === "STOPPED") throw stoppedError(task);
      return task && privateIp(task)
        ? { done: true, value: task }
        : { done: false, seen: `scheduler ${task?.lastStatus ?? "requested"}, waiting for its network interface` };
    },
  });
}

/**
 * One poll loop for the scheduler and all workers (DescribeTasks in batches of 100, a round a second) until all
 * are RUNNING. A stopped task fails the wait with its stop code, reason and container exit codes.
 */
export async function waitForTasks(
  clients: AwsClients,
  resources: FargateResources,
  expectedWorkers: number,
  options: WaitOptions,
): Promise<Task[]> {
  const arns = [resources.schedulerTaskArn ?? "", ...resources.workerTaskArns].filter(Boolean);
  // Tasks just launched are not running yet: the first round, too, comes a second after the last poll.
  await (options.clock ?? systemClock).sleep(POLL_MS, options.signal);
  return pollUntil({
    waitingFor: `the scheduler and ${expectedWorkers} workers to run`,
    // ⌈N/100⌉ DescribeTasks a round: readiness is seen within a second, far inside the DescribeTasks+ListTasks
    // refill of 20 per second (facts.md) even at 1,000 tasks.
    ...everySecond(options),
    check: async () => {
      const tasks = await describeTasks(clients.ecs, resources.ecsCluster, arns);
      options.onRound?.(tasks);
      const failed = tasks.find((t) => t.lastStatus === "STOPPED");
      if (failed) throw stoppedError(failed);
      const scheduler = tasks.find((t) => t.taskArn === resources.schedulerTaskArn);
      const running = tasks.filter(
        (t) => t.taskArn !== resources.schedulerTaskArn && t.lastStatus === "RUNNING",
      ).length;
      if (scheduler?.lastStatus === "RUNNING" && running >= expectedWorkers) return { done: true, value: tasks };
      return {
        done: false,
        seen: `scheduler ${scheduler?.lastStatus ?? "?"}, ${running}/${expectedWorkers} workers RUNNING`,
      };
    },
  });
}

/** What the start's waits share: a DescribeTasks round a second, the start's timeout, its signal, clock and progress. */
function everySecond(options: WaitOptions) {
  return {
    timeoutSeconds: options.readyTimeoutSeconds ?? 600,
    delayMs: POLL_MS,
    maxDelayMs: POLL_MS,
    signal: options.signal,
    ...(options.clock ? { clock: options.clock } : {}),
    onProgress: options.progress,
  };
}
