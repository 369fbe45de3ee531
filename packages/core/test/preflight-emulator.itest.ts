import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import {
  type AwsClients,
  type ClusterSpecInput,
  createAwsClients,
  downFargateCluster,
  type FargateSpecInput,
  newClusterId,
  PreflightError,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

// The quota rule on the emulator, which answers Service Quotas' GetServiceQuota for Fargate's vCPU codes (moto
// does not) with values a test sets, and whose default VPC routes to an internet gateway as AWS's does. Tasks
// run without containers here: what matters is what is created before and after the refusal.
const region = "us-east-1";
let emulator: Emulator;
let clients: AwsClients;

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", log: (m) => process.stderr.write(`emulator: ${m}\n`) });
  Object.assign(process.env, emulator.env);
  clients = createAwsClients({ region });
});

afterAll(async () => {
  await emulator?.stop();
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

async function setQuotas(values: Record<string, number>) {
  const answer = await fetch(`${emulator.endpoint}/_emulator/quotas`, { method: "POST", body: JSON.stringify(values) });
  expect(answer.status).toBe(200);
}

const start = (input: Partial<ClusterSpecInput>, fargate: Partial<FargateSpecInput> = {}) => {
  // A registry this machine cannot reach: the image check is a note, so only the quota decides.
  const spec = resolveClusterSpec({
    image: "registry.invalid/team/dask:1",
    clusterId: newClusterId(),
    workers: 4,
    ...input,
  });
  return {
    spec,
    started: upFargateCluster(spec, resolveFargateSpec({ region, ...fargate }, spec), { clients, logger: recorder() }),
  };
};

test("an on-demand quota too small for scheduler and workers is refused, and nothing is created", async () => {
  await setQuotas({ "L-3032A538": 4 });
  const { spec, started } = start({});
  const error = await started.catch((e: unknown) => e);
  expect(PreflightError.isInstance(error)).toBe(true);
  expect((error as PreflightError).failures).toEqual([
    {
      check: "quota",
      status: "refused",
      message:
        "the cluster needs 5 on-demand vCPUs but the Fargate On-Demand vCPU resource count quota (L-3032A538) in us-east-1 is 4",
      fix: "use fewer or smaller workers (or spot-workers), or request a quota increase in the Service Quotas console (service fargate, quota L-3032A538)",
    },
  ]);
  expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
});

test("Spot workers count against the Spot quota", async () => {
  await setQuotas({ "L-3032A538": 4, "L-36FBB829": 2 });
  const { spec, started } = start({}, { spotWorkers: true });
  const error = (await started.catch((e: unknown) => e)) as PreflightError;
  expect(error.failures?.map((f) => f.message)).toEqual([
    "the cluster needs 4 Spot vCPUs but the Fargate Spot vCPU resource count quota (L-36FBB829) in us-east-1 is 2",
  ]);
  expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
});

test("with a quota that covers it, the same cluster starts in the default VPC (public, internet gateway route) and is removed", async () => {
  await setQuotas({ "L-3032A538": 6 });
  const notes: string[] = [];
  const spec = resolveClusterSpec({ image: "registry.invalid/team/dask:1", clusterId: newClusterId(), workers: 4 });
  const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), {
    clients,
    logger: recorder(),
    onPreflight: (report) => notes.push(...report.findings.map((f) => `${f.check} ${f.status}`)),
  });
  // 5 vCPUs fit 6; a job task beside the cluster (1 more) would still fit.
  expect(notes).toEqual([
    "image note",
    "network ok",
    "network ok",
    "network ok",
    "network ok",
    "network ok",
    "network ok",
    "quota ok",
  ]);
  await downFargateCluster(
    { clusterId: handle.clusterId, resources: handle.fargate },
    { clients, tlsDir: handle.tlsDir },
  );
  expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
});
