import type { Route } from "@aws-sdk/client-ec2";
import { describe, expect, test } from "vitest";
import { imageFinding } from "../src/fargate/preflight/preflight-image.js";
import { type NetworkFacts, networkFindings } from "../src/fargate/preflight/preflight-network.js";
import { quotaFindings, readQuota, vcpuDemand } from "../src/fargate/preflight/preflight-quota.js";
import { parseImageName, readImagePlatforms } from "../src/fargate/preflight/registry-manifest.js";
import { PreflightError, resolveClusterSpec, resolveFargateSpec } from "../src/index.js";

// The rules of preflight, each alone. The engines (moto, the emulator, a local registry) are in preflight-*.itest.ts.

const ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-1";

describe("image rule", () => {
  test.each([
    ["X86_64", ["linux/amd64", "linux/arm64/v8"], "ok"],
    ["ARM64", ["linux/amd64", "linux/arm64/v8"], "ok"],
    ["ARM64", ["linux/arm64"], "ok"],
    ["X86_64", ["linux/arm64"], "refused"],
    ["ARM64", ["linux/amd64"], "refused"],
  ] as const)("%s with an image for %j is %s", (architecture, platforms, status) => {
    expect(imageFinding("img:1", architecture, { kind: "found", platforms }).status).toBe(status);
  });

  test("a wrong architecture names both platforms and the way out", () => {
    expect(imageFinding("img:1", "X86_64", { kind: "found", platforms: ["linux/arm64"] })).toMatchInlineSnapshot(`
      {
        "check": "image",
        "fix": "build the image with platform linux/amd64, or set architecture ARM64",
        "message": "img:1 is built for linux/arm64, not for linux/amd64 (architecture X86_64)",
        "status": "refused",
      }
    `);
  });

  test("a missing image is refused; one that cannot be checked from here is a note", () => {
    expect(imageFinding("img:1", "X86_64", { kind: "missing", detail: "HTTP 404" }).status).toBe("refused");
    expect(imageFinding("img:1", "X86_64", { kind: "unchecked", reason: "cannot reach it" })).toMatchObject({
      status: "note",
      message: "could not check img:1 from here: cannot reach it; the start goes on",
    });
  });
});

describe("image names", () => {
  test.each([
    ["python:3.11", { registry: "docker.io", repository: "library/python", reference: "3.11" }],
    ["ghcr.io/org/dask", { registry: "ghcr.io", repository: "org/dask", reference: "latest" }],
    ["127.0.0.1:5000/a/b:t@sha256:abc", { registry: "127.0.0.1:5000", repository: "a/b", reference: "sha256:abc" }],
    [ECR_IMAGE, { registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com", repository: "dask", reference: "env-1" }],
  ])("%s", (image, expected) => expect(parseImageName(image)).toEqual(expected));
});

describe("registry manifest reader", () => {
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

  test("a bearer challenge is answered anonymously, and an index lists its platforms without attestations", async () => {
    const seen: string[] = [];
    const fetch = async (url: string, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get("authorization") ?? "";
      seen.push(`${url} ${auth}`);
      if (url.startsWith("https://auth.example/token")) return json({ token: "t0k" });
      if (auth !== "Bearer t0k")
        return json({}, 401, { "www-authenticate": 'Bearer realm="https://auth.example/token",service="reg"' });
      return json({
        manifests: [
          { digest: "sha256:a", platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { digest: "sha256:b", platform: { os: "unknown", architecture: "unknown" } },
        ],
      });
    };
    expect(await readImagePlatforms("reg.example/org/dask:1", { fetch })).toEqual({
      kind: "found",
      platforms: ["linux/arm64/v8"],
    });
    expect(seen[1]).toBe("https://auth.example/token?service=reg&scope=repository%3Aorg%2Fdask%3Apull ");
  });

  test("ECR: the Basic login comes from GetAuthorizationToken; a single manifest's config gives the platform", async () => {
    const token = Buffer.from("AWS:secret-password").toString("base64");
    const ecr = { send: async () => ({ authorizationData: [{ authorizationToken: token }] }) };
    const fetch = async (url: string, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get("authorization");
      if (auth !== `Basic ${token}`) return json({}, 401, { "www-authenticate": 'Basic realm="ecr"' });
      if (url.includes("/manifests/")) return json({ config: { digest: "sha256:c" }, layers: [] });
      return json({ os: "linux", architecture: "amd64" });
    };
    expect(await readImagePlatforms(ECR_IMAGE, { fetch, ecr: ecr as never })).toEqual({
      kind: "found",
      platforms: ["linux/amd64"],
    });
  });

  test("404 is missing; an unreachable registry or a refused login is unchecked", async () => {
    expect((await readImagePlatforms("reg.example/a:1", { fetch: async () => json({}, 404) })).kind).toBe("missing");
    const down = await readImagePlatforms("reg.example/a:1", {
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } });
      },
    });
    expect(down).toEqual({ kind: "unchecked", reason: "cannot reach reg.example: fetch failed (ENOTFOUND)" });
    const basic = await readImagePlatforms("reg.example/a:1", {
      fetch: async () => json({}, 401, { "www-authenticate": 'Basic realm="x"' }),
    });
    expect(basic).toEqual({ kind: "unchecked", reason: "reg.example asks for a login to read a" });
  });
});

const route = (target: Partial<Route>): Route => ({ DestinationCidrBlock: "0.0.0.0/0", State: "active", ...target });
const local: Route = { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" };
const net = (routes: Route[], extra: Partial<NetworkFacts> = {}): NetworkFacts => ({
  region: "us-east-1",
  requested: ["subnet-1"],
  subnets: [{ id: "subnet-1", vpcId: "vpc-1", routeTableId: "rtb-1", routes: [local, ...routes] }],
  endpoints: [],
  assignPublicIp: false,
  ecrImage: true,
  secretServices: [],
  ...extra,
});
const ENDPOINTS = [
  { serviceName: "com.amazonaws.us-east-1.ecr.api", type: "Interface", privateDns: true, routeTableIds: [] },
  { serviceName: "com.amazonaws.us-east-1.ecr.dkr", type: "Interface", privateDns: true, routeTableIds: [] },
  { serviceName: "com.amazonaws.us-east-1.logs", type: "Interface", privateDns: true, routeTableIds: [] },
  { serviceName: "com.amazonaws.us-east-1.s3", type: "Gateway", privateDns: false, routeTableIds: ["rtb-1"] },
];
const statusOf = (facts: NetworkFacts) => networkFindings(facts).map((f) => `${f.check} ${f.status}`);

describe("network rule", () => {
  test.each([
    ["private subnet with a NAT gateway route", net([route({ NatGatewayId: "nat-1" })]), ["network ok"]],
    ["private subnet with a NAT instance route", net([route({ InstanceId: "i-1" })]), ["network ok"]],
    ["private subnet with no route out", net([]), ["network refused"]],
    ["private subnet with only an internet gateway route", net([route({ GatewayId: "igw-1" })]), ["network refused"]],
    ["private subnet with every endpoint", net([], { endpoints: ENDPOINTS }), ["network ok"]],
    [
      "private subnet, endpoints, image outside ECR",
      net([], { endpoints: ENDPOINTS, ecrImage: false }),
      ["network refused"],
    ],
    [
      "private subnet, endpoints, TLS secret needs secretsmanager",
      net([], { endpoints: ENDPOINTS, secretServices: ["secretsmanager"] }),
      ["network refused"],
    ],
    [
      "S3 gateway on another route table",
      net([], { endpoints: ENDPOINTS.map((e) => ({ ...e, routeTableIds: [] })) }),
      ["network refused"],
    ],
    [
      "interface endpoints without private DNS",
      net([], { endpoints: ENDPOINTS.map((e) => ({ ...e, privateDns: false })) }),
      ["network refused"],
    ],
    ["transit gateway default route", net([route({ TransitGatewayId: "tgw-1" })]), ["network note"]],
    ["a blackholed NAT route", net([route({ NatGatewayId: "nat-1", State: "blackhole" })]), ["network refused"]],
    [
      "public IP and an internet gateway",
      net([route({ GatewayId: "igw-1" })], { assignPublicIp: true }),
      ["network ok"],
    ],
    ["public IP without an internet gateway", net([], { assignPublicIp: true }), ["network refused"]],
    [
      "a subnet that does not exist",
      net([], { requested: ["subnet-1", "subnet-9"], endpoints: ENDPOINTS }),
      ["subnets refused", "network ok"],
    ],
  ])("%s", (_, facts, expected) => expect(statusOf(facts)).toEqual(expected));

  test("a private subnet without a way out names the missing endpoints and the fixes", () => {
    expect(networkFindings(net([], { endpoints: ENDPOINTS.slice(0, 2) }))[0]).toMatchInlineSnapshot(`
      {
        "check": "network",
        "fix": "add a 0.0.0.0/0 route to a NAT gateway in rtb-1, or create the missing VPC endpoints (interface endpoints with private DNS; S3 as a gateway endpoint on rtb-1), or set assign-public-ip true in a public subnet",
        "message": "subnet-1: private (assign-public-ip false), rtb-1 has no NAT route, and the VPC lacks com.amazonaws.us-east-1.s3, com.amazonaws.us-east-1.logs, so tasks cannot pull the image or send logs (CannotPullContainerError)",
        "status": "refused",
      }
    `);
  });
});

describe("quota rule", () => {
  const spec = resolveClusterSpec({ image: ECR_IMAGE, workers: 4, workerCpu: 2, workerMemory: "8GB" });
  test("demand: scheduler plus workers on demand, or workers on Spot", () => {
    expect(vcpuDemand(spec, resolveFargateSpec({ region: "us-east-1" }, spec))).toEqual({
      onDemand: 9,
      spot: 0,
      jobTask: 1,
    });
    expect(vcpuDemand(spec, resolveFargateSpec({ region: "us-east-1", spotWorkers: true }, spec))).toEqual({
      onDemand: 1,
      spot: 8,
      jobTask: 1,
    });
  });

  test.each([
    [{ onDemand: 9, spot: 0, jobTask: 1 }, { value: 6 }, undefined, ["quota refused"]],
    [{ onDemand: 9, spot: 0, jobTask: 1 }, { value: 9 }, undefined, ["quota note"]],
    [{ onDemand: 9, spot: 0, jobTask: 1 }, { value: 10 }, undefined, ["quota ok"]],
    [{ onDemand: 1, spot: 8, jobTask: 1 }, { value: 6 }, { value: 4 }, ["quota ok", "quota refused"]],
    [{ onDemand: 9, spot: 0, jobTask: 1 }, { unreadable: "denied" }, undefined, ["quota note"]],
  ])("%j against %j / %j", (demand, onDemand, spot, expected) => {
    expect(quotaFindings(demand, onDemand, spot, "us-east-1").map((f) => `${f.check} ${f.status}`)).toEqual(expected);
  });

  test("AccessDenied is a note saying quotas could not be read", async () => {
    const denied = {
      send: async () => Promise.reject(Object.assign(new Error("no"), { name: "AccessDeniedException" })),
    };
    const value = await readQuota(denied as never, { serviceCode: "fargate", quotaCode: "L-3032A538" });
    expect(quotaFindings({ onDemand: 2, spot: 0, jobTask: 1 }, value, undefined, "us-east-1")[0]?.message).toBe(
      "could not read quotas: Fargate On-Demand vCPU resource count (L-3032A538): this identity may not read quotas (servicequotas:GetServiceQuota); the start goes on",
    );
  });

  test("a quota never changed falls back to the AWS default", async () => {
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        if (command.constructor.name === "GetServiceQuotaCommand")
          throw Object.assign(new Error("none"), { name: "NoSuchResourceException" });
        return { Quota: { Value: 6 } };
      },
    };
    expect(await readQuota(client as never, { serviceCode: "fargate", quotaCode: "L-3032A538" })).toEqual({ value: 6 });
  });
});

test("every refusal is in one PreflightError, each with its fix", () => {
  const error = new PreflightError([
    { check: "image", message: "img:1 does not exist", fix: "push it" },
    { check: "quota", message: "needs 9 vCPUs, quota 6", fix: "ask for more" },
  ]);
  expect(PreflightError.isInstance(error)).toBe(true);
  expect(error.message).toMatchInlineSnapshot(`
    "preflight refused the start (nothing was created):
    - image: img:1 does not exist. Fix: push it
    - quota: needs 9 vCPUs, quota 6. Fix: ask for more"
  `);
});
