import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  type ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";
import { peakWorkers } from "../../adaptive/worker-range.js";
import type { ClusterSpec } from "../../cluster-spec.js";
import { awsErrorName } from "../aws-clients.js";
import type { FargateSpec } from "../fargate-spec.js";
import type { PreflightFinding } from "./preflight-finding.js";

/**
 * Fargate's vCPU quotas, per account and region, in Service Quotas under service code `fargate`
 * ("Amazon ECS endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/ecs-service.html;
 * "AWS Fargate usage metrics", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/monitoring-fargate-usage.html).
 * Every running task's vCPUs count against one of them, so an account's other tasks count too.
 */
export const FARGATE_QUOTAS = {
  onDemand: { serviceCode: "fargate", quotaCode: "L-3032A538", name: "Fargate On-Demand vCPU resource count" },
  spot: { serviceCode: "fargate", quotaCode: "L-36FBB829", name: "Fargate Spot vCPU resource count" },
} as const;

/** vCPUs a cluster needs from each quota. */
export interface VcpuDemand {
  /** Scheduler, plus the workers unless they run on Spot. */
  readonly onDemand: number;
  readonly spot: number;
  /** A job task beside the cluster (job-runs-on cluster), the size of the scheduler, on demand. */
  readonly jobTask: number;
}

/** The cluster's vCPUs per quota (CPU units / 1024). Pure. */
export function vcpuDemand(spec: ClusterSpec, fargate: FargateSpec): VcpuDemand {
  const scheduler = fargate.schedulerSize.cpu / 1024;
  const workers = (peakWorkers(spec) * fargate.workerSize.cpu) / 1024;
  return {
    onDemand: scheduler + (fargate.spotWorkers ? 0 : workers),
    spot: fargate.spotWorkers ? workers : 0,
    jobTask: scheduler,
  };
}

/** A quota's value, or why it could not be read. */
export type QuotaValue = { readonly value: number } | { readonly unreadable: string };

/** Reads a quota: the applied value, else the AWS default (GetServiceQuota answers NoSuchResource for never-changed quotas in some accounts). */
export async function readQuota(
  client: Pick<ServiceQuotasClient, "send">,
  quota: { serviceCode: string; quotaCode: string },
): Promise<QuotaValue> {
  try {
    const applied = await client.send(
      new GetServiceQuotaCommand({ ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode }),
    );
    if (typeof applied.Quota?.Value === "number") return { value: applied.Quota.Value };
  } catch (error) {
    if (awsErrorName(error) !== "NoSuchResourceException") return { unreadable: describe(error) };
  }
  try {
    const standard = await client.send(
      new GetAWSDefaultServiceQuotaCommand({ ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode }),
    );
    if (typeof standard.Quota?.Value === "number") return { value: standard.Quota.Value };
    return { unreadable: "Service Quotas returned no value" };
  } catch (error) {
    return { unreadable: describe(error) };
  }
}

function describe(error: unknown): string {
  const name = awsErrorName(error);
  return name === "AccessDeniedException" || name === "AccessDenied"
    ? "this identity may not read quotas (servicequotas:GetServiceQuota)"
    : `${name || "error"}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The quota rule: each quota covers the cluster's vCPUs; an unreadable quota is a note. Pure. */
export function quotaFindings(
  demand: VcpuDemand,
  onDemand: QuotaValue,
  spot: QuotaValue | undefined,
  region: string,
): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const check = (
    label: string,
    quota: (typeof FARGATE_QUOTAS)[keyof typeof FARGATE_QUOTAS],
    need: number,
    value: QuotaValue,
    extra: number,
  ) => {
    if ("unreadable" in value) {
      findings.push({
        check: "quota",
        status: "note",
        message: `could not read quotas: ${quota.name} (${quota.quotaCode}): ${value.unreadable}; the start goes on`,
      });
      return;
    }
    if (need > value.value) {
      findings.push({
        check: "quota",
        status: "refused",
        message: `the cluster needs ${need} ${label} vCPUs but the ${quota.name} quota (${quota.quotaCode}) in ${region} is ${value.value}`,
        fix: `use fewer or smaller workers${label === "on-demand" ? " (or spot-workers)" : ""}, or request a quota increase in the Service Quotas console (service fargate, quota ${quota.quotaCode})`,
      });
      return;
    }
    if (extra > 0 && need + extra > value.value) {
      findings.push({
        check: "quota",
        status: "note",
        message: `the cluster's ${need} ${label} vCPUs fit the ${quota.quotaCode} quota of ${value.value}, but a job task on the cluster (${extra} more) would not`,
      });
      return;
    }
    findings.push({
      check: "quota",
      status: "ok",
      message: `${need}${extra ? ` (+${extra} for a job task)` : ""} ${label} vCPUs within the ${quota.quotaCode} quota of ${value.value} (tasks already running in the account count too)`,
    });
  };
  check("on-demand", FARGATE_QUOTAS.onDemand, demand.onDemand, onDemand, demand.jobTask);
  if (demand.spot > 0 && spot) check("Spot", FARGATE_QUOTAS.spot, demand.spot, spot, 0);
  return findings;
}
