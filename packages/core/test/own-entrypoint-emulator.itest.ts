import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Emulator } from "@dask-fargate-action/emulator";
import { ensureImage } from "@dask-fargate-action/image";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { BUILDKIT_DOCKERFILE_PROJECT } from "@dask-fargate-action/testkit/fixtures";
import { losses } from "@dask-fargate-action/testkit/training";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  runFargateJob,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

// A Dockerfile in the tutorial's style (tini, then its own prepare.sh ending in exec "$@") as the image of a Fargate
// cluster, on the emulator: our task definitions set only `command`, so the scheduler, the workers and the job
// all start through the image's entrypoint, with TLS and the lifetime wrapper behind it.
const region = "us-east-1";
// Written for BuildKit (cache and bind mounts, COPY --chmod, independent stages), built by the image package.
const fixture = BUILDKIT_DOCKERFILE_PROJECT;
const trainer = fileURLToPath(new URL("../../../examples/train_xgboost.py", import.meta.url));
const repository = `dfa-test-own-entrypoint-${randomBytes(4).toString("hex")}`;
let tag: string;
let emulator: Emulator;
let clients: AwsClients;
let jobDir: string;

const CHECK = `
import os
from distributed import Client

prepared = lambda: os.environ.get("DFA_PREPARED", "not prepared")
client = Client(os.environ["DASK_SCHEDULER_ADDRESS"])
client.wait_for_workers(2, timeout=300)
print("job:", prepared())
print("scheduler:", client.run_on_scheduler(prepared))
print("workers:", sorted(client.run(prepared).values()))
client.close()
`;

beforeAll(async () => {
  // The fixture built with BuildKit on the offline base; the job's files added on top, as a team's image holds its code.
  const base = await ensureImage({
    dockerfile: join(fixture, "Dockerfile"),
    workspace: fixture,
    image: repository,
    push: false,
    buildArgs: { BASE: inject("daskImage") },
  });
  jobDir = await realpath(await mkdtemp(join(tmpdir(), "dfa-own-entrypoint-")));
  await copyFile(trainer, join(jobDir, "train_xgboost.py"));
  await writeFile(join(jobDir, "check_entrypoint.py"), CHECK);
  await writeFile(
    join(jobDir, "Dockerfile"),
    `FROM ${base.image}\nCOPY train_xgboost.py check_entrypoint.py /opt/train/\n`,
  );
  tag = (
    await ensureImage({ dockerfile: join(jobDir, "Dockerfile"), workspace: jobDir, image: repository, push: false })
  ).image;
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
  const docker = new Docker();
  for (const image of await docker.listImages())
    for (const name of image.RepoTags ?? [])
      if (name.startsWith(`${repository}:`))
        await docker
          .getImage(name)
          .remove({ force: true })
          .catch(() => undefined);
  await rm(jobDir, { recursive: true, force: true });
});

test("scheduler, workers and the job task start through the image's own entrypoint, and XGBoost trains", async () => {
  const spec = resolveClusterSpec({
    image: tag,
    clusterId: newClusterId(),
    workers: 2,
    schedulerMemory: "2GB",
    workerCpu: 1,
    workerMemory: "2GB",
  });
  const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), { clients, logger: recorder() });
  try {
    const lines: string[] = [];
    const command =
      "python3 /opt/train/check_entrypoint.py && python3 /opt/train/train_xgboost.py --rows 20000 --rounds 5 --partitions 4 --workers 2";
    const result = await runFargateJob(
      handle,
      { command, runsOn: "cluster", workdir: ".", onOutput: (l) => lines.push(l) },
      { clients, pollMs: 500 },
    );
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines).toContain("job: prepared by prepare.sh");
    expect(lines).toContain("scheduler: prepared by prepare.sh");
    expect(lines).toContain("workers: ['prepared by prepare.sh', 'prepared by prepare.sh']");
    expect(losses(lines)).toHaveLength(5);
  } finally {
    await downFargateCluster(
      { clusterId: handle.clusterId, resources: handle.fargate },
      { clients, tlsDir: handle.tlsDir },
    );
    expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
  }
});
