import type { ClusterPlan, PreflightReport } from "@dask-fargate-action/core/backend";
import type { ClusterSpec } from "@dask-fargate-action/core/validate";

/** What `plan` knows, for its human summary. */
export interface PlanSummaryInput {
  readonly spec: ClusterSpec;
  readonly plan: ClusterPlan;
  readonly hourlyCost: { readonly text: string; readonly method: string } | undefined;
  /** The preflight's report; `{ error }` when it could not run; undefined for a backend without one. */
  readonly preflight: PreflightReport | { readonly error: string } | undefined;
}

const mib = (n: number) => (n % 1024 === 0 ? `${n / 1024} GB` : `${n} MiB`);
const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`);

/**
 * The plan a person reads: what a start would create, its sizes, Spot, the network path, each preflight check
 * with its fix, and the cost per hour and at most. The requests themselves are for `--json` and `--verbose`.
 */
export function planSummary({ spec, plan, hourlyCost, preflight }: PlanSummaryInput): string {
  const lines: string[] = [];
  const workers = `${spec.workers} worker${spec.workers === 1 ? "" : "s"} of ${spec.workerCpu} vCPU / ${mib(spec.workerMemory)} (${spec.workerThreads} thread${spec.workerThreads === 1 ? "" : "s"} each)`;
  lines.push(
    `cluster ${spec.clusterId} on ${plan.backend === "fargate" ? `Fargate in ${plan.region}` : "the local Docker Engine"}`,
  );
  lines.push(`  image      ${spec.image}`);
  lines.push(`  scheduler  ${spec.schedulerCpu} vCPU / ${mib(spec.schedulerMemory)}`);
  if (plan.backend === "fargate") {
    const spot = plan.workerFallback === "on-demand";
    lines.push(
      `  workers    ${workers}, ${spot ? "on Fargate Spot (on-demand when Spot has no capacity)" : "on-demand"}`,
    );
  } else {
    lines.push(`  workers    ${workers}`);
  }
  lines.push(`  security   ${spec.tls ? "mutual TLS with a per-cluster CA" : "plain TCP (no TLS)"}`);
  lines.push(
    `  lifetime   stops after ${hours(spec.idleTimeout)} idle, and after ${hours(spec.maxLifetime)} in any case`,
  );
  lines.push("");
  lines.push("would create:");
  if (plan.backend === "fargate") {
    if (plan.createCluster) lines.push(`  ECS cluster ${plan.createCluster.clusterName}`);
    else lines.push(`  (tasks in the existing ECS cluster ${String(plan.schedulerRun.cluster)})`);
    if (plan.securityGroup) {
      const open =
        plan.securityGroup.clientCidrs.length > 0
          ? `; ports ${portRange(plan.securityGroup.clientPorts)} open to ${plan.securityGroup.clientCidrs.join(", ")}`
          : "";
      lines.push(`  security group ${plan.securityGroup.name} (members reach each other${open})`);
    }
    lines.push(`  log group ${plan.logGroup.name} (kept ${plan.logGroup.retentionInDays} days)`);
    if (plan.tlsSecret) lines.push(`  secret ${plan.tlsSecret.name} (the members' TLS files)`);
    lines.push(
      `  task definitions ${Object.values(plan.taskDefinitions)
        .map((t) => t.family)
        .join(", ")}`,
    );
    const batches = plan.workerRuns.length;
    lines.push(
      `  1 scheduler task, then ${spec.workers} worker task${spec.workers === 1 ? "" : "s"} in ${batches} RunTask batch${batches === 1 ? "" : "es"}`,
    );
    lines.push("");
    lines.push(`network: ${networkPath(plan, preflight)}`);
  } else {
    lines.push(`  bridge network ${plan.network.name}`);
    lines.push(`  containers ${plan.scheduler.name} and ${spec.workers} worker${spec.workers === 1 ? "" : "s"}`);
  }
  lines.push("");
  lines.push(...preflightLines(plan.backend, preflight));
  lines.push("");
  if (hourlyCost) {
    lines.push(`cost: ${hourlyCost.text}`);
    lines.push(`  (${hourlyCost.method})`);
  } else {
    lines.push("cost: $0 (containers on this machine)");
  }
  lines.push("");
  lines.push("the requests themselves: --verbose (or --json)");
  return lines.join("\n");
}

function portRange(ports: { from: number; to: number }): string {
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

function networkPath(
  plan: Extract<ClusterPlan, { backend: "fargate" }>,
  preflight: PlanSummaryInput["preflight"],
): string {
  const vpc = plan.schedulerRun.networkConfiguration?.awsvpcConfiguration;
  const report = preflight && "subnets" in preflight ? preflight : undefined;
  const subnets = report && report.subnets.length > 0 ? report.subnets.join(", ") : (vpc?.subnets ?? []).join(", ");
  const publicIp = report ? report.assignPublicIp : vpc?.assignPublicIp === "ENABLED";
  const where = report?.vpcId ? ` of ${report.vpcId}` : "";
  return `subnets ${subnets}${where}; ${
    publicIp
      ? "tasks get public IPs (they reach the registry and CloudWatch through the internet gateway)"
      : "no public IPs (the registry and CloudWatch through a NAT gateway or VPC endpoints)"
  }`;
}

function preflightLines(backend: string, preflight: PlanSummaryInput["preflight"]): string[] {
  if (preflight === undefined)
    return [`preflight: none on the ${backend} backend (the start checks the engine itself)`];
  if ("error" in preflight)
    return [
      `preflight: could not run: ${preflight.error}`,
      "  nothing was checked; fix the above and run plan again (exit code 3)",
    ];
  const lines = [
    preflight.refused.length > 0
      ? `preflight: the start would be REFUSED (${preflight.refused.length} check${preflight.refused.length === 1 ? "" : "s"})`
      : "preflight: the start would go ahead",
  ];
  for (const f of preflight.findings) {
    lines.push(
      `  ${f.status === "ok" ? "ok     " : f.status === "note" ? "note   " : "REFUSED"} ${f.check}: ${f.message}`,
    );
    if (f.fix) lines.push(`          fix: ${f.fix}`);
  }
  return lines;
}
