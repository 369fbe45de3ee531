import type { ClusterHandle } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { newClusterId } from "@dask-fargate-action/core/validate";
import { runPipeline } from "@dask-fargate-action/pipeline";
import { backendOf, backendSettingsOf, clusterInputOf, readinessOf } from "../options.js";
import { clusterTlsDirOf, removeRecord, stateDirOf } from "../state-file.js";
import { recorder } from "./cluster-setup.js";
import type { Command } from "./command.js";
import { imageRequestOf } from "./image-of.js";

/**
 * `up`: start a cluster that lives until `down` (or its idle timeout / max lifetime), and print how to connect.
 * The same pipeline as `run`, without a job: a failed or interrupted start removes what it created.
 */
export const up: Command = async ({ flags, logger, signal, print }) => {
  const backend = backendOf(flags);
  const settings = backendSettingsOf(flags);
  const clusterId = flags["cluster-id"] ?? newClusterId();
  const { image: _placeholder, ...cluster } = clusterInputOf({ ...flags, "cluster-id": clusterId }, "");
  const dir = stateDirOf(flags["state-dir"]);
  let record: ReturnType<typeof recorder> | undefined;
  const result = await runPipeline(
    {
      backend,
      settings,
      cluster,
      image: await imageRequestOf(flags, { record: false }),
      tlsDirFor: (id) => clusterTlsDirOf(dir, id),
      readiness: readinessOf(flags),
    },
    {
      logger,
      signal,
      onStart: async (spec) => {
        record = recorder(dir, spec, { backendName: backend, settings });
        await record.started();
      },
      onPartial: (partial) => record?.partial(partial),
      onReady: (handle) => record?.ready(handle),
      onTornDown: () => removeRecord(dir, clusterId),
    },
  );
  if (result.ending !== "up" || !result.handle) throw result.error ?? new Error(result.message);
  const handle = result.handle;
  if (flags.json) {
    print(
      jsonForTerminal({
        clusterId: handle.clusterId,
        schedulerAddress: handle.clientSchedulerAddress ?? handle.schedulerAddress,
        dashboardUrl: handle.dashboardUrl ?? null,
        tls: handle.clientTlsFiles ?? null,
        expiresAt: handle.expiresAt,
      }),
    );
    return 0;
  }
  print(connectHelp(handle));
  return 0;
};

/** The notebook flow: how to connect from Python. */
export function connectHelp(handle: ClusterHandle): string {
  const address = handle.clientSchedulerAddress ?? handle.schedulerAddress;
  const tls = handle.clientTlsFiles;
  const lines = [
    `cluster ${handle.clusterId} is ready: ${handle.spec.workers} workers (expires ${handle.expiresAt})`,
    `  scheduler: ${address}${handle.clientSchedulerAddress ? "" : " (reachable inside the cluster's network only)"}`,
    ...(handle.dashboardUrl ? [`  dashboard: ${handle.dashboardUrl}`] : []),
    "",
    "Connect from Python (a notebook, a script):",
    "",
    "  from distributed import Client",
  ];
  if (tls) {
    lines.push(
      "  from distributed.security import Security",
      `  security = Security(tls_ca_file="${tls.ca}", tls_client_cert="${tls.cert}", tls_client_key="${tls.key}", require_encryption=True)`,
      `  client = Client("${address}", security=security)`,
    );
  } else {
    lines.push(`  client = Client("${address}")`);
  }
  lines.push("", `Remove it with: dask-fargate down --cluster-id ${handle.clusterId}`);
  return lines.join("\n");
}
