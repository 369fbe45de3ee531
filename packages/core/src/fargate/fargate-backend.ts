import { removeRetiredFargateWorkers } from "../adaptive/fargate-retired.js";
import { type EngineVerbs, fargateSpecOf } from "../backend.js";
import { ClusterConfigError, CoreError } from "../errors.js";
import { type AwsClients, createAwsClients } from "./aws-clients.js";
import { downFargateCluster } from "./fargate-down.js";
import { runFargateJob } from "./fargate-job.js";
import { keepFargateWorkers } from "./fargate-keeper.js";
import { fargateClusterLogs } from "./fargate-logs.js";
import { reapFargateClusters } from "./fargate-reaper.js";
import { scaleFargateCluster } from "./fargate-scale.js";
import type { FargateSpecInput } from "./fargate-spec.js";
import { upFargateCluster } from "./fargate-up.js";
import { preflightFargate } from "./preflight/fargate-preflight.js";

/**
 * The Fargate backend's verbs that call AWS; `createBackend` loads this module (and the AWS SDK) on the first of them.
 * `preflight` and `up` take the Fargate spec resolved at the backend's entry, as given; `input` names the region only.
 */
export function fargateEngineVerbs(input: FargateSpecInput, injected: AwsClients | undefined): EngineVerbs {
  let clients = injected;
  const aws = () => {
    clients ??= createAwsClients({ region: input.region });
    return clients;
  };
  return {
    preflight: async (spec, backendSpec, options) =>
      preflightFargate(spec, fargateSpecOf(backendSpec), { clients: aws(), logger: options.logger }),
    up: async (spec, backendSpec, options) =>
      upFargateCluster(spec, fargateSpecOf(backendSpec), {
        clients: aws(),
        logger: options.logger,
        tlsDir: options.tlsDir,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.readiness ? { readiness: options.readiness } : {}),
        onResources: (fargate) => options.onPartial?.({ backend: "fargate", fargate }),
        ...(options.onPreflight ? { onPreflight: options.onPreflight } : {}),
        ...(options.onStartTimeline ? { onStartTimeline: options.onStartTimeline } : {}),
      }),
    runJob: (handle, job, options) =>
      runFargateJob(handle, job, {
        clients: aws(),
        logger: options.logger,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    // A job on the runner: the same keeper as a job in the cluster watches the tasks and replaces lost workers.
    watchMembers: async (handle, options) => {
      if (handle.backend !== "fargate")
        throw new ClusterConfigError("backend", `cluster ${handle.clusterId} runs on ${handle.backend}, not fargate`);
      return keepFargateWorkers(handle, { clients: aws(), logger: options.logger });
    },
    scale: (handle, workers, options) =>
      scaleFargateCluster(handle, workers, {
        clients: aws(),
        logger: options.logger,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    removeWorkers: async (handle, retired, options) => {
      if (handle.backend !== "fargate") throw new CoreError(`cluster ${handle.clusterId} is not a Fargate cluster`);
      return removeRetiredFargateWorkers(aws(), handle, retired, options.signal ? { signal: options.signal } : {});
    },
    down: (target, options) =>
      downFargateCluster(
        {
          clusterId: target.clusterId,
          resources:
            target.handle?.fargate ?? (target.partial?.backend === "fargate" ? target.partial.fargate : undefined),
        },
        { clients: aws(), logger: options.logger, tlsDir: target.tlsDir, repository: target.repository },
      ),
    reap: (options) =>
      reapFargateClusters({
        clients: aws(),
        logger: options.logger,
        dryRun: options.dryRun,
        repository: options.repository,
        ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
      }),
    logs: (clusterId, options) => fargateClusterLogs(aws(), clusterId, options),
  };
}
