import { DescribeTaskDefinitionCommand, type ECSClient } from "@aws-sdk/client-ecs";
import type { ClusterHandle, FargateClusterHandle, OperationOptions } from "../cluster.js";
import { CoreError } from "../errors.js";
import { checkCostLimits } from "../internal/cost-limits.js";
import { type Clock, systemClock } from "../internal/wait.js";
import { silentLogger } from "../logger.js";
import type { AwsClients } from "./aws-clients.js";
import { waitForTasks } from "./fargate-launch.js";
import { fargateNames } from "./fargate-names.js";
import { factsOf, workerRunInputs } from "./fargate-plan.js";
import { runTasks, stopTasks, waitStopped, workerFallback } from "./fargate-tasks.js";

/**
 * Scales the workers of a running Fargate cluster: new workers are launched in batches (and awaited
 * until RUNNING; Spot ones fall back to on-demand when Spot has no capacity, as at start); on the way down
 * the most recently started ones are stopped. The signal aborts the launches and the waits.
 */
export async function scaleFargateCluster(
  handle: ClusterHandle,
  workers: number,
  options: OperationOptions & { clients: AwsClients; clock?: Clock },
): Promise<FargateClusterHandle> {
  if (handle.backend !== "fargate") throw new CoreError(`cluster ${handle.clusterId} is not a Fargate cluster`);
  options.signal?.throwIfAborted();
  const resources = handle.fargate;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const current = resources.workerTaskArns.length;
  let workerTaskArns = [...resources.workerTaskArns];
  if (workers > current) {
    await checkRegisteredCost(options.clients.ecs, handle, workers);
    const inputs = workerRunInputs(
      handle.spec,
      resources.spec,
      factsOf(resources, handle.createdAt, handle.expiresAt),
      handle.schedulerAddress,
      current,
      workers - current,
      resources.spec.spotWorkers,
    ).map((input) => ({
      ...input,
      // A distinct token per scaling step, so a later scale to the same size starts new tasks.
      clientToken: `${input.clientToken}-${clock.now().toString(36)}`.slice(0, 64),
    }));
    // Spot workers added later fall back to on-demand exactly as those started with the cluster.
    const started = await runTasks(options.clients.ecs, inputs, {
      logger,
      signal: options.signal,
      clock,
      ...workerFallback(resources.spec.spotWorkers),
    });
    workerTaskArns = [...workerTaskArns, ...started.map((t) => t.taskArn ?? "")];
  } else if (workers < current) {
    const doomed = workerTaskArns.slice(workers);
    await stopTasks(options.clients.ecs, resources.ecsCluster, doomed, "dask-fargate-action scale down");
    await waitStopped(options.clients.ecs, resources.ecsCluster, doomed, {
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    workerTaskArns = workerTaskArns.slice(0, workers);
  }
  const scaled: FargateClusterHandle = {
    ...handle,
    spec: { ...handle.spec, workers },
    fargate: { ...resources, workerTaskArns },
  };
  if (workers > current) {
    await waitForTasks(options.clients, scaled.fargate, workers, {
      signal: options.signal,
      clock,
      progress: (m) => logger.info(m),
    });
  }
  return scaled;
}

/**
 * The cost limit of a scale, on the sizes Fargate will bill: RunTask starts the family's latest ACTIVE task
 * definition, so its registered `cpu` is what each new worker costs, whatever the saved record says (a
 * record is a local file; an edited worker size must not lift the 128 vCPU limit).
 */
async function checkRegisteredCost(ecs: ECSClient, handle: ClusterHandle, workers: number): Promise<void> {
  const vcpu = async (role: "scheduler" | "worker"): Promise<number> => {
    const family = fargateNames.family(handle.clusterId, role);
    const found = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
    const units = Number(found.taskDefinition?.cpu);
    if (!Number.isFinite(units) || units <= 0)
      throw new CoreError(
        `the task definition ${family} has no task-level cpu; cannot check the cost limit of this scale`,
      );
    return units / 1024;
  };
  checkCostLimits({
    ...handle.spec,
    schedulerCpu: await vcpu("scheduler"),
    workerCpu: await vcpu("worker"),
    workers,
    allowUnboundedCost: handle.spec.allowUnboundedCost ?? false,
  });
}
