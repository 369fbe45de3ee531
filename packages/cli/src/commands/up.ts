import type { ClusterHandle } from "@dask-fargate-action/core";
import { clusterContext, recorder } from "./cluster-context.js";
import type { Command } from "./context.js";
import { imageOf } from "./image-of.js";

/** `up`: start a cluster that lives until `down` (or its idle timeout / max lifetime), and print how to connect. */
export const up: Command = async ({ flags, logger, signal, print }) => {
  clusterContext(flags);
  const { image } = await imageOf(flags, logger);
  const context = clusterContext(flags, image);
  const record = recorder(context.dir, context.spec, context);
  if (context.hourlyCost) logger.info(`cost: ${context.hourlyCost.text}`);
  await record.started();
  const handle = await context.backend.up(context.spec, { logger, signal, stateDir: context.stateDir, onPartial: record.partial });
  await record.ready(handle);
  if (flags.json) {
    print(
      JSON.stringify(
        {
          clusterId: handle.clusterId,
          schedulerAddress: handle.clientSchedulerAddress ?? handle.schedulerAddress,
          dashboardUrl: handle.dashboardUrl ?? null,
          tls: handle.clientTlsFiles ?? null,
          expiresAt: handle.expiresAt,
        },
        null,
        2,
      ),
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
