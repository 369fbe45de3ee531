import { describe, expect, test } from "vitest";
import { adminHandler, type EmulatorControls } from "../src/admin.js";
import { EcsApiError } from "../src/errors.js";
import { FargateQuotas } from "../src/service-quotas.js";

describe("Fargate vCPU quotas (Service Quotas, which moto does not serve)", () => {
  test("GetServiceQuota answers the applied value, GetAWSDefaultServiceQuota the default", () => {
    const quotas = new FargateQuotas();
    quotas.set({ "L-3032A538": 6 });
    const applied = quotas.handle(
      "GetServiceQuota",
      { ServiceCode: "fargate", QuotaCode: "L-3032A538" },
      "us-east-1",
    ) as { Quota: { Value: number } };
    expect(applied.Quota).toMatchObject({
      QuotaCode: "L-3032A538",
      QuotaName: "Fargate On-Demand vCPU resource count",
      Value: 6,
    });
    const standard = quotas.handle(
      "GetAWSDefaultServiceQuota",
      { ServiceCode: "fargate", QuotaCode: "L-3032A538" },
      "us-east-1",
    ) as {
      Quota: { Value: number };
    };
    expect(standard.Quota.Value).toBe(4000);
    quotas.reset();
    expect(quotas.values()).toEqual({ "L-3032A538": 4000, "L-36FBB829": 4000 });
  });

  test("other services go on to moto; an unknown Fargate code is NoSuchResourceException; bad values are refused", () => {
    const quotas = new FargateQuotas();
    expect(
      quotas.handle("GetServiceQuota", { ServiceCode: "vpc", QuotaCode: "L-F678F1CE" }, "us-east-1"),
    ).toBeUndefined();
    expect(() =>
      quotas.handle("GetServiceQuota", { ServiceCode: "fargate", QuotaCode: "L-00000000" }, "us-east-1"),
    ).toThrow(EcsApiError);
    expect(() => quotas.set({ "L-00000000": 1 })).toThrow(/not a Fargate quota code/);
    expect(() => quotas.set({ "L-36FBB829": "many" })).toThrow(/must be a number/);
  });

  test("the admin endpoint sets and shows them", async () => {
    const quotas = new FargateQuotas();
    const handler = adminHandler({
      quotas: (v?: Readonly<Record<string, unknown>>) => (v ? quotas.set(v) : quotas.values()),
    } as unknown as EmulatorControls);
    expect(await handler("POST", "/_emulator/quotas", { "L-36FBB829": 2 })).toEqual({
      status: 200,
      json: { quotas: { "L-3032A538": 4000, "L-36FBB829": 2 } },
    });
    expect((await handler("POST", "/_emulator/quotas", { nope: 1 })).status).toBe(400);
  });
});
