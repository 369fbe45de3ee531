import type { Task } from "@aws-sdk/client-ecs";
import { PutSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { FargateResources } from "../cluster.js";
import { type Clock, pollUntil, systemClock } from "../internal/wait.js";
import type { AwsClients } from "./aws-clients.js";
import { SCHEDULER_ADDRESS_KEY } from "./fargate-plan.js";
import { describeTasks, privateIp, stoppedError } from "./fargate-tasks.js";

/** The pace of every DescribeTasks round of a start. */
export const POLL_MS = 1000;

interface WaitOptions {
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock | undefined;
  readonly readyTimeoutSeconds?: number | undefined;
  readonly progress: (message: string) => void;
}

/** Waits until the scheduler task's ENI has its private IP (long before the task runs: facts.md, "Task lifecycle"). */
export async function waitForSchedulerIp(clients: AwsClients, resources: FargateResources, options: WaitOptions): Promise<Task> {
  return pollUntil({
    waitingFor: "the scheduler's private IP address",
    timeoutSeconds: options.readyTimeoutSeconds ?? 600,
    // Polls a second apart, like every DescribeTasks round of the start.
    delayMs: POLL_MS,
    maxDelayMs: POLL_MS,
    signal: options.signal,
    ...(options.clock ? { clock: options.clock } : {}),
    onProgress: options.progress,
    check: async () => {
      const [task] = await describeTasks(clients.ecs, resources.ecsCluster, [resources.schedulerTaskArn ?? ""]);
      if (task?.lastStatus === "STOPPED") throw stoppedError(task);
      return task && privateIp(task)
        ? { done: true, value: task }
        : { done: false, seen: `scheduler ${task?.lastStatus ?? "requested"}, waiting for its network interface` };
    },
  });
}

/**
 * Adds the scheduler's address to the cluster secret (a new AWSCURRENT version with the TLS files kept), where
 * each worker's container reads it when it starts (the task definition's DASK_SCHEDULER_ADDRESS).
 */
export async function storeSchedulerAddress(
  secrets: SecretsManagerClient,
  secretArn: string,
  // The secret's other fields (TLS files; the output signing key), all written again with the address.
  fields: { readonly ca: string; readonly cert: string; readonly key: string; readonly [field: string]: string },
  address: string,
): Promise<void> {
  const value = { ...fields, [SCHEDULER_ADDRESS_KEY]: address };
  await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify(value) }));
}

/**
 * A worker that reached its container start before the address was stored: Fargate refuses to start it
 * ("… did not contain json key scheduler", stop code TaskFailedToStart). It never ran; launched again, it
 * reads the address. On AWS this needs a worker provisioned and pulled before the scheduler's ENI has an IP.
 */
export function startedBeforeAddress(task: Task): boolean {
  return task.stopCode === "TaskFailedToStart" && new RegExp(`did not contain json key ${SCHEDULER_ADDRESS_KEY}\\b`, "i").test(task.stoppedReason ?? "");
}

/** Workers that may be launched again once, and how. */
export interface EarlyWorkers {
  /** The workers launched before the address was stored: each may be replaced once. */
  readonly eligible: Set<string>;
  /** Launches one worker for each of `replaced` and returns the new ARNs. */
  readonly relaunch: (replaced: readonly string[]) => Promise<string[]>;
}

/**
 * One poll loop for the scheduler and all workers (DescribeTasks in batches of 100, a round a second) until all
 * are RUNNING. A stopped task fails the wait with its stop code, reason and container exit codes — except a
 * worker of `early` that started before the scheduler's address was stored, which is launched again.
 */
export async function waitForTasks(
  clients: AwsClients,
  resources: FargateResources,
  expectedWorkers: number,
  options: WaitOptions & { readonly early?: EarlyWorkers | undefined },
): Promise<Task[]> {
  let arns = [resources.schedulerTaskArn ?? "", ...resources.workerTaskArns].filter(Boolean);
  // Tasks just launched are not running yet: the first round, too, comes a second after the last poll.
  await (options.clock ?? systemClock).sleep(POLL_MS, options.signal);
  return pollUntil({
    waitingFor: `the scheduler and ${expectedWorkers} workers to run`,
    timeoutSeconds: options.readyTimeoutSeconds ?? 600,
    // ⌈N/100⌉ DescribeTasks a round: readiness is seen within a second, far inside the DescribeTasks+ListTasks
    // refill of 20 per second (facts.md) even at 1,000 tasks.
    delayMs: POLL_MS,
    maxDelayMs: POLL_MS,
    signal: options.signal,
    ...(options.clock ? { clock: options.clock } : {}),
    onProgress: options.progress,
    check: async () => {
      const tasks = await describeTasks(clients.ecs, resources.ecsCluster, arns);
      const stopped = tasks.filter((t) => t.lastStatus === "STOPPED");
      const early = stopped.filter((t) => options.early?.eligible.has(t.taskArn ?? "") && startedBeforeAddress(t));
      const failed = stopped.find((t) => !early.includes(t));
      if (failed) throw stoppedError(failed);
      if (early.length > 0 && options.early) {
        const gone = new Set(early.map((t) => t.taskArn ?? ""));
        for (const arn of gone) options.early.eligible.delete(arn);
        const fresh = await options.early.relaunch([...gone]);
        arns = [...arns.filter((arn) => !gone.has(arn)), ...fresh];
        return { done: false, seen: `${early.length} worker(s) reached their start before the scheduler's address was stored: launched again` };
      }
      const scheduler = tasks.find((t) => t.taskArn === resources.schedulerTaskArn);
      const running = tasks.filter((t) => t.taskArn !== resources.schedulerTaskArn && t.lastStatus === "RUNNING").length;
      if (scheduler?.lastStatus === "RUNNING" && running >= expectedWorkers) return { done: true, value: tasks };
      return { done: false, seen: `scheduler ${scheduler?.lastStatus ?? "?"}, ${running}/${expectedWorkers} workers RUNNING` };
    },
  });
}
