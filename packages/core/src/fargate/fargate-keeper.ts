import { paginateListTasks, type Task } from "@aws-sdk/client-ecs";
import type { FargateClusterHandle, MemberWatch } from "../cluster.js";
import { workerReplacementLimit } from "../cluster-spec.js";
import { type Clock, systemClock } from "../internal/wait.js";
import type { Logger } from "../logger.js";
import { ReplacementLedger, stoppedOnPurpose } from "../worker-keeper.js";
import type { AwsClients } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { fargateNames } from "./fargate-names.js";
import { factsOf, workerRunInputs } from "./fargate-plan.js";
import { describeTasks, runTasks, stoppedError, taskLabel, workerFallback } from "./fargate-tasks.js";

/**
 * The pace of the watch: DescribeTasks for ⌈N/100⌉ tasks a round, rounds at least 5 s apart. At 500 workers that
 * is 5 calls every 5 s, one a second, far inside the DescribeTasks refill of 20 a second (ECS API reference,
 * "Request throttling"), which leaves the job's own polls and other clients of the account their share.
 */
export const KEEPER_ROUND_MS = 5000;

/** Options of {@link keepFargateWorkers}. */
export interface FargateKeeperOptions {
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Time between rounds; never below {@link KEEPER_ROUND_MS}. */
  readonly roundMs?: number;
  /** Uniform random numbers for runTasks' retry jitter (tests). */
  readonly random?: () => number;
}

/**
 * Watches a Fargate cluster's scheduler and workers while a job runs: a task that stops is reported with its stop
 * code and reason, and a stopped worker is replaced by a RunTask of the same task definition, overrides, tags and
 * `startedBy` as the original (so teardown and the reaper find it like any other), on Spot first when the cluster
 * uses Spot and on-demand after capacity errors, up to `max-worker-replacements`. A replacement is watched from
 * then on, and replaced too if it stops. With adaptive workers (`workers: MIN-MAX`) each round also lists the
 * cluster's running worker tasks, so a worker the cluster grew by during the job is watched (and replaced) as well.
 * `stop()` ends the watch and waits for a replacement under way.
 */
export function keepFargateWorkers(handle: FargateClusterHandle, options: FargateKeeperOptions): MemberWatch {
  const resources = handle.fargate;
  const clock = options.clock ?? systemClock;
  const roundMs = Math.max(KEEPER_ROUND_MS, options.roundMs ?? KEEPER_ROUND_MS);
  const ledger = new ReplacementLedger(workerReplacementLimit(handle.spec), options.logger);
  const ending = new AbortController();
  const scheduler = resources.schedulerTaskArn;
  const watched = [...(scheduler ? [scheduler] : []), ...resources.workerTaskArns];
  const known = new Set(watched);
  const watch = (arn: string) => {
    if (known.has(arn)) return;
    known.add(arn);
    watched.push(arn);
  };
  // A range grows by RunTasks this watch was not told of (the adaptive loop's `scale`): ListTasks by the worker
  // family finds them, ⌈N/100⌉ pages a round, which keeps the round within the budget documented above. A grown
  // worker is watched from the next round on; one that stops within a round of its RunTask (a Fargate task takes
  // longer than that to reach RUNNING) goes unseen.
  const listWorkers = handle.spec.adaptive
    ? () =>
        allItems(
          paginateListTasks(
            { client: options.clients.ecs },
            {
              cluster: resources.ecsCluster,
              family: fargateNames.family(handle.clusterId, "worker"),
              desiredStatus: "RUNNING",
            },
          ),
          (page) => page.taskArns,
        )
    : undefined;
  const seen = new Set<string>();
  let replacementNumber = 0;

  const replace = async (lost: Task): Promise<void> => {
    const member = taskLabel(lost);
    replacementNumber++;
    // The original's request: same task definition, command override (scheduler address), network and tags.
    const [input] = workerRunInputs(
      handle.spec,
      resources.spec,
      factsOf(resources, handle.createdAt, handle.expiresAt),
      handle.schedulerAddress,
      0,
      1,
      resources.spec.spotWorkers,
    );
    if (!input) return;
    try {
      const [task] = await runTasks(
        options.clients.ecs,
        [
          {
            ...input,
            clientToken: `${handle.clusterId}-r${replacementNumber}-${clock.now().toString(36)}`.slice(0, 64),
          },
        ],
        {
          // No signal: a RunTask under way when the job ends finishes, so its task is counted (teardown stops it).
          logger: options.logger,
          clock,
          ...workerFallback(resources.spec.spotWorkers),
          ...(options.random ? { random: options.random } : {}),
        },
      );
      const arn = task?.taskArn;
      if (!arn) throw new Error("RunTask returned no task");
      watch(arn);
      const error = stoppedError(lost);
      ledger.replaced({
        member,
        stopCode: lost.stopCode,
        exitCode: error.exitCode,
        reason: [lost.stoppedReason, lost.containers?.[0]?.reason].filter(Boolean).join(": ") || undefined,
        replacement: `worker ${arn.split("/").pop()}`,
        capacity: task.capacityProviderName ?? task.launchType,
        startedAt: clock.now(),
      });
    } catch (error) {
      ledger.failed(member, error);
    }
  };

  const round = async (): Promise<void> => {
    if (listWorkers) for (const arn of await listWorkers()) watch(arn);
    const tasks = await describeTasks(options.clients.ecs, resources.ecsCluster, watched);
    for (const task of tasks) {
      const arn = task.taskArn ?? "";
      if (task.lastStatus !== "STOPPED" || seen.has(arn)) continue;
      seen.add(arn);
      const error = stoppedError(task);
      const replaceable = ledger.lost({
        member: taskLabel(task),
        exitCode: error.exitCode,
        reason: error.reason,
        stopCode: task.stopCode,
        worker: arn !== scheduler,
        onPurpose: stoppedOnPurpose({ exitCode: error.exitCode, stopCode: task.stopCode }),
      });
      // One at a time: a burst of losses (a Spot reclaim) is replaced within a few rounds, inside the RunTask budget.
      if (replaceable && !ending.signal.aborted) await replace(task);
    }
  };

  const loop = (async () => {
    while (!ending.signal.aborted) {
      await clock.sleep(roundMs, ending.signal).catch(() => {});
      if (ending.signal.aborted) break;
      await round().catch((error: unknown) => {
        options.logger.warn(
          `could not check the cluster's tasks: ${error instanceof Error ? error.message : String(error)}; trying again`,
        );
      });
    }
  })();

  return ledger.watch(async () => {
    ending.abort();
    await loop;
  });
}
