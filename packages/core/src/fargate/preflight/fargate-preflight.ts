import type { ClusterSpec } from "../../cluster-spec.js";
import { PreflightError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { AwsClients } from "../aws-clients.js";
import { resolveSubnets } from "../fargate-network.js";
import type { FargateSpec } from "../fargate-spec.js";
import type { PreflightFinding } from "./preflight-finding.js";
import { imageFinding } from "./preflight-image.js";
import { networkFindings, readNetwork } from "./preflight-network.js";
import { FARGATE_QUOTAS, quotaFindings, readQuota, vcpuDemand } from "./preflight-quota.js";
import { readSecurityGroups, securityGroupFindings } from "./preflight-security-groups.js";
import { tlsOffGroupFindings } from "./preflight-tls-off-groups.js";
import { type Fetch, isEcrRegistry, parseImageName, readImagePlatforms } from "./registry-manifest.js";

/** Options of {@link preflightFargate}. */
export interface PreflightOptions {
  readonly clients: Pick<AwsClients, "ec2" | "ecr" | "quotas">;
  readonly logger?: Logger;
  /** For the registry requests (tests inject one). */
  readonly fetch?: Fetch;
  /** A login for a registry other than ECR (Fargate pulls those anonymously, so normally none). */
  readonly registryLogin?: { readonly username: string; readonly password: string };
}

/** Everything preflight found; `refused` lists the findings that stop a start. */
export interface PreflightReport {
  readonly findings: readonly PreflightFinding[];
  readonly refused: readonly PreflightFinding[];
  /** The subnets checked (the given ones, or the default VPC's) and whether tasks get public IPs. */
  readonly subnets: readonly string[];
  readonly assignPublicIp: boolean;
  /** The subnets' VPC (the first one's when they span several: that is refused). Empty when none exists. */
  readonly vpcId: string;
}

/**
 * Checks, with read-only calls and before anything is created, what would otherwise fail only after tasks
 * were started and billed: the image exists for the task's architecture, the subnets exist and can reach the
 * registry and CloudWatch Logs, a user's own security groups let the tasks reach each other (and, with TLS off,
 * open the scheduler to nothing beyond themselves), and the Fargate vCPU quotas cover the cluster. The checks run concurrently;
 * what cannot be checked from here is a note.
 */
export async function preflightFargate(
  spec: ClusterSpec,
  fargate: FargateSpec,
  options: PreflightOptions,
): Promise<PreflightReport> {
  const { ec2, ecr, quotas } = options.clients;
  // Given subnets are checked by the network rule (all missing ones at once); otherwise the default VPC's.
  const network =
    fargate.subnets && fargate.subnets.length > 0
      ? { subnets: [...fargate.subnets], defaultVpc: false }
      : await resolveSubnets(ec2, fargate);
  const assignPublicIp = fargate.assignPublicIp ?? network.defaultVpc;
  const secretArns = Object.values(fargate.secrets);
  const secretServices = [
    ...(spec.tls || secretArns.some((a) => a.includes(":secretsmanager:")) ? ["secretsmanager"] : []),
    ...(secretArns.some((a) => a.includes(":ssm:")) ? ["ssm"] : []),
  ];
  const demand = vcpuDemand(spec, fargate);
  const ownGroups = fargate.securityGroups ?? [];
  const [image, net, onDemand, spot, groups] = await Promise.all([
    readImagePlatforms(spec.image, {
      ...(ecr ? { ecr } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.registryLogin ? { login: options.registryLogin } : {}),
    }),
    readNetwork(ec2, {
      region: fargate.region,
      requested: network.subnets,
      assignPublicIp,
      ecrImage: isEcrRegistry(parseImageName(spec.image).registry),
      secretServices,
    }),
    quotas ? readQuota(quotas, FARGATE_QUOTAS.onDemand) : { unreadable: "no Service Quotas client was given" },
    demand.spot > 0 && quotas ? readQuota(quotas, FARGATE_QUOTAS.spot) : undefined,
    // A user's own groups: the cluster's own group is made with the self rule.
    ownGroups.length > 0 ? readSecurityGroups(ec2, fargate.region, ownGroups, network.subnets) : undefined,
  ]);
  const findings = [
    imageFinding(spec.image, fargate.architecture, image),
    ...networkFindings(net),
    ...(groups ? securityGroupFindings(groups) : []),
    ...(groups && !spec.tls ? tlsOffGroupFindings(groups) : []),
    ...quotaFindings(demand, onDemand, spot, fargate.region),
  ];
  // Refusals are thrown (assertPreflight); notes are worth a warning; the rest is detail.
  for (const f of findings)
    if (f.status !== "refused")
      options.logger?.[f.status === "note" ? "warn" : "debug"](`preflight ${f.check}: ${f.message}`);
  return {
    findings,
    refused: findings.filter((f) => f.status === "refused"),
    subnets: network.subnets,
    assignPublicIp,
    vpcId: net.subnets[0]?.vpcId ?? "",
  };
}

/** Throws a {@link PreflightError} listing every refusal of the report. */
export function assertPreflight(report: PreflightReport): void {
  if (report.refused.length > 0) throw new PreflightError(report.refused);
}
