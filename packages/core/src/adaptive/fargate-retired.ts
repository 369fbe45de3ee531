import type { FargateClusterHandle } from "../cluster.js";
import type { AwsClients } from "../fargate/aws-clients.js";
import { describeTasks, privateIp, stopTasks, waitStopped } from "../fargate/fargate-tasks.js";
import type { Clock } from "../internal/wait.js";
import type { RetiredWorker } from "./adapt-lines.js";

/**
 * Stops the tasks of workers the scheduler retired (adaptive scale-down) and drops them from the handle. A Fargate
 * worker is named by its address in Dask, so its task is the one whose ENI has the worker's host as private IP.
 * A retired worker closes itself, so its task is usually stopping already; StopTask makes sure and the wait
 * sees it STOPPED before the handle forgets it. Tasks already STOPPED (lost or retired) are dropped as well.
 */
export async function removeRetiredFargateWorkers(
  clients: AwsClients,
  handle: FargateClusterHandle,
  retired: readonly RetiredWorker[],
  options: { readonly clock?: Clock; readonly signal?: AbortSignal } = {},
): Promise<FargateClusterHandle> {
  const resources = handle.fargate;
  const tasks = await describeTasks(clients.ecs, resources.ecsCluster, resources.workerTaskArns);
  const hosts = new Set(retired.map((w) => w.host).filter((h) => h !== ""));
  const doomed = tasks.filter((t) => hosts.has(privateIp(t) ?? "")).map((t) => t.taskArn ?? "");
  const gone = new Set([...doomed, ...tasks.filter((t) => t.lastStatus === "STOPPED").map((t) => t.taskArn ?? "")]);
  if (doomed.length > 0) {
    await stopTasks(
      clients.ecs,
      resources.ecsCluster,
      doomed,
      "dask-fargate-action adaptive scale-down (worker retired by the scheduler)",
    );
    await waitStopped(clients.ecs, resources.ecsCluster, doomed, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  const workerTaskArns = resources.workerTaskArns.filter((arn) => !gone.has(arn));
  return {
    ...handle,
    spec: { ...handle.spec, workers: workerTaskArns.length },
    fargate: { ...resources, workerTaskArns },
  };
}
