import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import { ListClustersCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { ListRolesCommand } from "@aws-sdk/client-iam";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { type RegistryServer, startRegistry } from "@dask-fargate-action/testkit/registry-server";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { preflightFargate } from "../src/fargate/preflight/fargate-preflight.js";
import {
  type AwsClients,
  type ClusterSpecInput,
  createAwsClients,
  createBackend,
  downFargateCluster,
  type FargateSpecInput,
  newClusterId,
  PreflightError,
  type PreflightReport,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";
import { pushImageFor } from "./integration/registry-images.js";

// Preflight against real engines: moto for the account (subnets, route tables, NAT gateways, VPC endpoints) and
// the reference registry (htpasswd, as a private registry) for the images. Each refusal must leave the account
// exactly as it was: no ECS cluster, task definition, security group, log group, secret, and not even the
// managed IAM roles (the account starts without them, and `up` would create them right after preflight).
const endpoint = inject("motoEndpoint");
const region = "us-east-1";
let clients: AwsClients;
let registry: RegistryServer;
let login: { username: string; password: string };
const images = { both: "", armOnly: "", missing: "" };

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  await resetMoto(endpoint);
  clients = createAwsClients({ region });
  registry = await startRegistry("team", "registry-secret");
  login = { username: registry.username, password: registry.password };
  images.both = await pushImageFor(registry, "team/dask", "multi", ["linux/amd64", "linux/arm64/v8"]);
  images.armOnly = await pushImageFor(registry, "team/dask", "graviton", ["linux/arm64"]);
  images.missing = `${registry.address}/team/dask:never-pushed`;
});

afterAll(async () => {
  await registry?.stop();
});

const spec = (input: Partial<ClusterSpecInput>) =>
  resolveClusterSpec({ image: images.both, clusterId: newClusterId(), workers: 2, ...input });
const up = (input: Partial<ClusterSpecInput>, fargate: Partial<FargateSpecInput> = {}) => {
  const s = spec(input);
  return upFargateCluster(s, resolveFargateSpec({ region, ...fargate }, s), {
    clients,
    logger: recorder(),
    preflight: { registryLogin: login },
  });
};
const check = (input: Partial<ClusterSpecInput>, fargate: Partial<FargateSpecInput> = {}) => {
  const s = spec(input);
  return preflightFargate(s, resolveFargateSpec({ region, ...fargate }, s), { clients, registryLogin: login });
};
const statuses = (report: Awaited<ReturnType<typeof check>>) => report.findings.map((f) => `${f.check} ${f.status}`);

/** Refused with these checks, and nothing of the cluster (nor any shared role) in the account. */
async function expectRefusedWithNothingCreated(started: Promise<unknown>, clusterId: string, checks: string[]) {
  const error = await started.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(PreflightError.isInstance(error), String(error)).toBe(true);
  expect((error as PreflightError).failures.map((f) => f.check)).toEqual(checks);
  expect(await awsLeftovers(clients, clusterId)).toEqual([]);
  expect((await clients.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  expect((await clients.ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns).toEqual([]);
  const groups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  expect(groups.filter((g) => g.GroupName !== "default")).toEqual([]);
  const roles = (await clients.iam.send(new ListRolesCommand({}))).Roles ?? [];
  expect(roles.map((r) => r.RoleName).filter((n) => n?.startsWith("dask-fargate-action"))).toEqual([]);
  return error as PreflightError;
}

/** A VPC with one subnet and nothing else: only its local route. */
async function privateSubnet(cidr: string) {
  const vpc = (await clients.ec2.send(new CreateVpcCommand({ CidrBlock: `${cidr}.0.0/16` }))).Vpc?.VpcId ?? "";
  const subnet =
    (await clients.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `${cidr}.1.0/24` }))).Subnet?.SubnetId ??
    "";
  const main =
    (await clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] })))
      .RouteTables?.[0]?.RouteTableId ?? "";
  return { vpc, subnet, main };
}

describe("the image", () => {
  test("an image that is not in the registry is refused, and nothing is created", async () => {
    const s = spec({ image: images.missing });
    const started = upFargateCluster(s, resolveFargateSpec({ region }, s), {
      clients,
      logger: recorder(),
      preflight: { registryLogin: login },
    });
    const error = await expectRefusedWithNothingCreated(started, s.clusterId, ["image"]);
    expect(error.message).toContain(`${images.missing} does not exist`);
    expect(error.message).toContain("Fix: build and push the image first");
  });

  test("an arm64-only image is refused for X86_64 tasks (nothing created) and accepted for ARM64", async () => {
    const s = spec({ image: images.armOnly });
    const started = upFargateCluster(s, resolveFargateSpec({ region }, s), {
      clients,
      logger: recorder(),
      preflight: { registryLogin: login },
    });
    const error = await expectRefusedWithNothingCreated(started, s.clusterId, ["image"]);
    expect(error.message).toContain("is built for linux/arm64, not for linux/amd64 (architecture X86_64)");
    expect(error.message).toContain("or set architecture ARM64");
    const arm = await check({ image: images.armOnly }, { architecture: "ARM64" });
    expect(arm.findings.find((f) => f.check === "image")).toMatchObject({ status: "ok" });
  });

  test("a multi-platform index is read for both architectures", async () => {
    for (const architecture of ["X86_64", "ARM64"] as const)
      expect((await check({}, { architecture })).findings.find((f) => f.check === "image")?.status).toBe("ok");
  });

  test("a registry that refuses to show the image without a login is a note, not a refusal", async () => {
    const s = spec({});
    const report = await preflightFargate(s, resolveFargateSpec({ region }, s), { clients });
    const image = report.findings.find((f) => f.check === "image");
    expect(image).toMatchObject({ status: "note" });
    expect(image?.message).toMatch(/could not check .* asks for a login/);
  });
});

describe("the network", () => {
  test("the default VPC with public IPs passes; moto's quotas are not served, which is a note and the start goes on", async () => {
    const report = await check({});
    expect(report.assignPublicIp).toBe(true);
    expect(report.refused).toEqual([]);
    expect(report.findings.filter((f) => f.check === "network").every((f) => f.status === "ok")).toBe(true);
    expect(report.findings.find((f) => f.check === "quota")).toMatchObject({ status: "note" });
    expect(report.findings.find((f) => f.check === "quota")?.message).toMatch(/^could not read quotas/);
  });

  test("a private subnet with no route is refused with nothing created; a NAT gateway route then passes", async () => {
    const net = await privateSubnet("10.50");
    const s = spec({});
    const started = upFargateCluster(
      s,
      resolveFargateSpec({ region, subnets: [net.subnet], assignPublicIp: false }, s),
      {
        clients,
        logger: recorder(),
        preflight: { registryLogin: login },
      },
    );
    const error = await expectRefusedWithNothingCreated(started, s.clusterId, ["network"]);
    expect(error.message).toContain(`${net.subnet}: private (assign-public-ip false) and ${net.main} has no NAT route`);
    expect(error.message).toContain(`Fix: add a 0.0.0.0/0 route to a NAT gateway in ${net.main}`);

    const publicSubnet =
      (await clients.ec2.send(new CreateSubnetCommand({ VpcId: net.vpc, CidrBlock: "10.50.2.0/24" }))).Subnet
        ?.SubnetId ?? "";
    const address = await clients.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const nat = (
      await clients.ec2.send(
        new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId: address.AllocationId ?? "" }),
      )
    ).NatGateway;
    const table =
      (await clients.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpc }))).RouteTable?.RouteTableId ?? "";
    await clients.ec2.send(
      new CreateRouteCommand({
        RouteTableId: table,
        DestinationCidrBlock: "0.0.0.0/0",
        NatGatewayId: nat?.NatGatewayId ?? "",
      }),
    );
    await clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: net.subnet }));
    const report = await check({}, { subnets: [net.subnet], assignPublicIp: false });
    expect(statuses(report)).toContain("network ok");
    expect(report.findings.find((f) => f.check === "network")?.message).toContain(
      `routes 0.0.0.0/0 through ${nat?.NatGatewayId}`,
    );
  });

  test("without NAT, an ECR image needs the ecr.api, ecr.dkr, s3 (gateway), logs and, for the TLS secret, secretsmanager endpoints", async () => {
    const net = await privateSubnet("10.51");
    const ecrImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef";
    const endpoint = (service: string) =>
      clients.ec2.send(
        new CreateVpcEndpointCommand(
          service === "s3"
            ? {
                VpcId: net.vpc,
                ServiceName: `com.amazonaws.${region}.s3`,
                VpcEndpointType: "Gateway",
                RouteTableIds: [net.main],
              }
            : {
                VpcId: net.vpc,
                ServiceName: `com.amazonaws.${region}.${service}`,
                VpcEndpointType: "Interface",
                PrivateDnsEnabled: true,
                SubnetIds: [net.subnet],
              },
        ),
      );
    for (const service of ["ecr.api", "ecr.dkr", "s3", "logs"]) await endpoint(service);
    const withoutSecrets = await check({ image: ecrImage }, { subnets: [net.subnet], assignPublicIp: false });
    expect(withoutSecrets.refused.map((f) => f.message)).toEqual([
      `${net.subnet}: private (assign-public-ip false), ${net.main} has no NAT route, and the VPC lacks com.amazonaws.${region}.secretsmanager, so tasks cannot pull the image or send logs (CannotPullContainerError)`,
    ]);
    // TLS off: no secret to read at task start.
    expect(
      (await check({ image: ecrImage, tls: false }, { subnets: [net.subnet], assignPublicIp: false })).refused,
    ).toEqual([]);
    await endpoint("secretsmanager");
    const report = await check({ image: ecrImage }, { subnets: [net.subnet], assignPublicIp: false });
    expect(report.refused).toEqual([]);
    // The ECR host cannot be reached from this machine: a note, the start would go on.
    expect(report.findings.find((f) => f.check === "image")?.status).toBe("note");
    // The same endpoints do not help an image from another registry.
    expect(
      (await check({ tls: false }, { subnets: [net.subnet], assignPublicIp: false })).refused.map((f) => f.check),
    ).toEqual(["network"]);
  });
});

test("every refusal is collected in one error: a missing image, a subnet that does not exist and one without a route", async () => {
  const net = await privateSubnet("10.52");
  const s = spec({ image: images.missing });
  const started = upFargateCluster(
    s,
    resolveFargateSpec({ region, subnets: [net.subnet, "subnet-0123456789abcdef0"], assignPublicIp: false }, s),
    {
      clients,
      logger: recorder(),
      preflight: { registryLogin: login },
    },
  );
  const error = await expectRefusedWithNothingCreated(started, s.clusterId, ["image", "subnets", "network"]);
  expect(error.message.split("\n")[0]).toBe("preflight refused the start (nothing was created):");
  expect(error.message).toContain("subnet subnet-0123456789abcdef0 does not exist in us-east-1");
});

test("the backend's preflight reports without throwing, and its up hands the findings to onPreflight before refusing", async () => {
  const backend = createBackend("fargate", { fargate: { region, subnets: ["subnet-0123456789abcdef0"] }, clients });
  const s = spec({});
  const report = await backend.preflight(s, { logger: recorder() });
  expect(report?.refused.map((f) => f.check)).toEqual(["subnets"]);
  const seen: PreflightReport[] = [];
  const started = backend.up(s, {
    logger: recorder(),
    tlsDir: "/nonexistent-never-written",
    onPreflight: (r) => seen.push(r),
  });
  await expectRefusedWithNothingCreated(started, s.clusterId, ["subnets"]);
  // The registry wants a login the backend was not given: a note in the same report.
  expect(seen[0]?.findings.map((f) => `${f.check} ${f.status}`)).toEqual([
    "image note",
    "subnets refused",
    "quota note",
  ]);
});

test("up goes on after notes only (a registry it cannot ask) and creates the cluster", async () => {
  const handle = await up({ image: "registry.invalid/team/dask:1" });
  expect(handle.fargate?.schedulerTaskArn).toBeDefined();
  await downFargateCluster(
    { clusterId: handle.clusterId, resources: handle.fargate },
    { clients, tlsDir: handle.tlsDir },
  );
  expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
});
