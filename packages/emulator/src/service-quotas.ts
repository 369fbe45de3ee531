import { EcsApiError } from "./errors.js";

/** The X-Amz-Target prefix of Service Quotas' JSON 1.1 API. */
export const QUOTAS_TARGET_PREFIX = "ServiceQuotasV20190624.";

/**
 * Fargate's vCPU quotas (service code `fargate`), which moto 5.2.1 does not serve (its Service Quotas know
 * only `vpc`). Codes and names: Service Quotas console and "AWS Fargate usage metrics"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/monitoring-fargate-usage.html). The default
 * 4000 is what ListAWSDefaultServiceQuotas reports for both; new accounts start lower ("New AWS accounts might
 * have initial lower quotas", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html),
 * which tests set through `POST /_emulator/quotas`.
 */
export const FARGATE_QUOTA_DEFAULTS: Readonly<Record<string, { name: string; value: number }>> = {
  "L-3032A538": { name: "Fargate On-Demand vCPU resource count", value: 4000 },
  "L-36FBB829": { name: "Fargate Spot vCPU resource count", value: 4000 },
};

/** The applied values of the Fargate quotas, per account of the emulator (one account: moto's). */
export class FargateQuotas {
  private applied = new Map<string, number>();

  /** Sets applied values, e.g. `{"L-3032A538": 6}`; unknown codes are refused. */
  set(values: Readonly<Record<string, unknown>>): Record<string, number> {
    for (const [code, value] of Object.entries(values)) {
      if (!FARGATE_QUOTA_DEFAULTS[code])
        throw new Error(`${code} is not a Fargate quota code; use ${Object.keys(FARGATE_QUOTA_DEFAULTS).join(" or ")}`);
      if (typeof value !== "number" || value < 0) throw new Error(`the value of ${code} must be a number ≥ 0`);
      this.applied.set(code, value);
    }
    return this.values();
  }

  values(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(FARGATE_QUOTA_DEFAULTS).map(([code, q]) => [code, this.applied.get(code) ?? q.value]),
    );
  }

  reset(): void {
    this.applied.clear();
  }

  /**
   * GetServiceQuota (the applied value) and GetAWSDefaultServiceQuota (the default) for service code `fargate`;
   * undefined for anything else, which goes on to moto. An unknown code is `NoSuchResourceException`
   * (Service Quotas API reference, GetServiceQuota "Errors").
   */
  handle(operation: string, input: Record<string, unknown>, region: string): unknown {
    if (
      input["ServiceCode"] !== "fargate" ||
      (operation !== "GetServiceQuota" && operation !== "GetAWSDefaultServiceQuota")
    )
      return undefined;
    const code = String(input["QuotaCode"] ?? "");
    const quota = FARGATE_QUOTA_DEFAULTS[code];
    if (!quota)
      throw new EcsApiError(
        "NoSuchResourceException",
        `The request failed because the specified quota ${code} does not exist.`,
      );
    const value = operation === "GetServiceQuota" ? (this.applied.get(code) ?? quota.value) : quota.value;
    return {
      Quota: {
        ServiceCode: "fargate",
        ServiceName: "AWS Fargate",
        QuotaArn: `arn:aws:servicequotas:${region}::fargate/${code}`,
        QuotaCode: code,
        QuotaName: quota.name,
        Value: value,
        Unit: "None",
        Adjustable: true,
        GlobalQuota: false,
      },
    };
  }
}
