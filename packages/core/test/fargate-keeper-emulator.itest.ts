import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests } from "@dask-fargate-action/testkit/emulator";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { KEEPER_ROUND_MS, keepFargateWorkers } from "../src/fargate/fargate-keeper.js";
import {
  type AwsClients,
  createAwsClients,
  createBackend,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

// The keeper of a cluster with adaptive workers, against the emulator's ECS (tasks without containers: what is
// proven here is the API path): a worker the cluster grew by after the watch began is found by ListTasks, and its
// Spot interruption is replaced like any other worker's.
const region = "us-east-1";
let emulator: Emulator;
let clients: AwsClients;

beforeAll(async () => {
  emulator = await emulatorForTests({ exec: "none", timing: "fast" });
  // AWS warns two minutes before it stops a Spot task; a second here.
  emulator.setTiming({ spotWarningMs: 1000 });
  clients = createAwsClients({ region });
});

afterAll(async () => {
  await emulator?.stop();
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

test("a worker grown during the job (workers 1-3) is watched: its Spot interruption is replaced, and nothing is left", async () => {
  const spec = resolveClusterSpec({ image: "dask:keeper", clusterId: newClusterId(), workers: "1-3" });
  const fargate = resolveFargateSpec({ region, spotWorkers: true }, spec);
  const handle = await upFargateCluster(spec, fargate, { clients });
  const logger = recorder();
  try {
    const watch = keepFargateWorkers(handle, { clients, logger });
    // What the adaptive loop does when the scheduler asks for more: the backend's scale, with a new handle.
    const grown = await createBackend("fargate", { fargate: { region, spotWorkers: true }, clients }).scale(handle, 3, {
      logger,
    });
    const added = (grown.fargate?.workerTaskArns ?? []).filter((arn) => !handle.fargate?.workerTaskArns.includes(arn));
    expect(added).toHaveLength(2);
    const lost = added[0] ?? "";
    // The watch lists the grown workers in its next round (rounds are 5 s apart); on AWS a task takes longer than
    // that to start, here it runs at once.
    await new Promise((r) => setTimeout(r, KEEPER_ROUND_MS + 1000));
    const answer = await fetch(`${emulator.endpoint}/_emulator/spot-interruption`, {
      method: "POST",
      body: JSON.stringify({ task: lost }),
    });
    expect(answer.status).toBe(200);
    const deadline = Date.now() + 60_000;
    while ((watch.replacements?.length ?? 0) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    await watch.stop();
    expect(
      watch.replacements?.map((r) => [r.member.split(" ").pop(), r.stopCode, r.capacity]),
      logger.lines.join("\n"),
    ).toEqual([[lost.split("/").pop(), "SpotInterruption", "FARGATE_SPOT"]]);
  } finally {
    await downFargateCluster({ clusterId: handle.clusterId }, { clients });
  }
  // The replacement too: teardown finds it by startedBy.
  expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
});
