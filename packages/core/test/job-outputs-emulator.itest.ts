import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTasksCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { trainingImage } from "@dask-fargate-action/testkit/training";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { downloadJobOutputs } from "../src/fargate/fargate-outputs.js";
import { signManifest, verifyManifest } from "../src/fargate/output-manifest.js";
import {
  type AwsClients,
  type ClusterHandle,
  createAwsClients,
  downFargateCluster,
  fargateNames,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  runFargateJob,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

/**
 * Job outputs on Fargate, end to end on the emulator: an administrator's `setup-roles --output-uri` puts the one
 * static policy on the managed task role; the job task (a real container of our job task definition) writes a
 * model and a metrics JSON to DFA_OUTPUT_DIR; when its command ends the fixed uploader gets the task role's
 * credentials from the emulator's container credentials endpoint, PUTs every file to moto's S3 under
 * <prefix>/<cluster-id>/<attempt-token>/<job-id>/files/ and then the manifest signed with the key the job read from
 * the cluster's secret; the runner verifies it and downloads exactly what it lists. Also for a job that exits 3,
 * and with another writer's objects in the job's prefix.
 */
const region = "us-east-1";
const bucket = "dfa-job-outputs";
let emulator: Emulator;
let clients: AwsClients;
let s3: S3Client;
let handle: ClusterHandle;
let scratch = "";
let image = "";

const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key ?? "")
    .sort();
const outputsOf = () => {
  const outputs = handle.fargate?.outputs;
  if (!outputs) throw new Error("up saved no outputs prefix");
  return outputs;
};

beforeAll(async () => {
  image = await trainingImage(inject("daskImage"));
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
  s3 = clients.s3 as S3Client;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  scratch = await mkdtemp(join(tmpdir(), "dfa-fargate-outputs-"));
  // The administrator's one-time step; runs then only read the policy.
  await setupRoles(clients, { outputUri: `s3://${bucket}/nightly` });
  const spec = resolveClusterSpec({
    image,
    clusterId: newClusterId(),
    workers: 1,
    schedulerMemory: "2GB",
    workerCpu: 1,
    workerMemory: "2GB",
  });
  handle = await upFargateCluster(spec, resolveFargateSpec({ region, outputUri: `s3://${bucket}/nightly/` }, spec), {
    clients,
    logger: recorder(),
  });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
  await rm(scratch, { recursive: true, force: true });
});

const job = (command: string, outputDir: string, environment: Record<string, string> = {}) => {
  const lines: string[] = [];
  return runFargateJob(
    handle,
    { command, runsOn: "cluster", workdir: ".", outputDir, environment, onOutput: (l) => lines.push(l) },
    { clients, pollMs: 500 },
  ).then((result) => ({ ...result, lines }));
};

const writeModelAndMetrics =
  'mkdir -p "$DFA_OUTPUT_DIR/metrics" && printf "{\\"trees\\": 10}" > "$DFA_OUTPUT_DIR/model.json" && printf "{\\"rmse\\": 0.25}" > "$DFA_OUTPUT_DIR/metrics/metrics.json"';

/** The job id a running job task was given (RunTask overrides, which DescribeTasks shows to anyone in the account). */
async function runningJobId(): Promise<string> {
  const cluster = handle.fargate?.ecsCluster ?? "";
  for (let i = 0; i < 120; i++) {
    const arns =
      (await clients.ecs.send(new ListTasksCommand({ cluster, family: fargateNames.family(handle.clusterId, "job") })))
        .taskArns ?? [];
    const tasks =
      arns.length > 0 ? ((await clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? []) : [];
    for (const task of tasks.filter((t) => t.lastStatus !== "STOPPED")) {
      const env = task.overrides?.containerOverrides?.[0]?.environment ?? [];
      const id = env.find((e) => e.name === "DFA_OUTPUT_JOB")?.value;
      if (id) return id;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("no running job task");
}

describe("a job task's outputs travel through S3 to outputDir", () => {
  test("up refuses an output-uri the static policy does not cover, naming setup-roles, and creates nothing", async () => {
    const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers: 1 });
    await expect(
      upFargateCluster(spec, resolveFargateSpec({ region, outputUri: `s3://${bucket}/elsewhere` }, spec), {
        clients,
        logger: recorder(),
      }),
    ).rejects.toThrow(
      /does not allow s3:PutObject under s3:\/\/dfa-job-outputs\/elsewhere\/: run `dask-fargate setup-roles --output-uri s3:\/\/dfa-job-outputs\/elsewhere`/,
    );
    expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
  });

  test("a model and a metrics JSON, with another writer's object planted in the job's prefix: only the job's files come back", async () => {
    const outputDir = join(scratch, "ok");
    const { runPrefix, token } = outputsOf();
    expect(runPrefix).toMatch(new RegExp(`^nightly/${handle.clusterId}/[0-9a-f]{24}/$`));
    const running = job(`sleep 4 && ${writeModelAndMetrics}`, outputDir);
    // Another cluster's job (same task role, same bucket) writes into this job's prefix while it runs.
    const jobId = await runningJobId();
    const jobPrefix = `${runPrefix}${jobId}/`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${jobPrefix}files/planted.py`, Body: "import os" }));
    const result = await running;
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(result.lines.join("\n")).toContain(
      `dask-fargate: uploaded 2 output file(s), 27 bytes, to s3://${bucket}/${jobPrefix}`,
    );
    expect(await keysUnder(jobPrefix)).toEqual([
      `${jobPrefix}files/metrics/metrics.json`,
      `${jobPrefix}files/model.json`,
      `${jobPrefix}files/planted.py`,
      `${jobPrefix}manifest.json`,
    ]);
    const manifest = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${jobPrefix}manifest.json` }));
    const key = Buffer.from((await readFile(outputsOf().keyFile, "utf8")).trim(), "hex");
    expect(
      verifyManifest((await manifest.Body?.transformToString()) ?? "", key, {
        cluster: handle.clusterId,
        token,
        job: jobId,
      }).files.map((f) => f.path),
    ).toEqual(["model.json", "metrics/metrics.json"]);
    expect(result.outputs).toEqual({
      dir: outputDir,
      uri: `s3://${bucket}/${jobPrefix}`,
      files: [
        { path: "metrics/metrics.json", bytes: 14 },
        { path: "model.json", bytes: 13 },
      ],
      ignoredObjects: 1,
    });
    expect(await readdir(outputDir)).toEqual(expect.not.arrayContaining(["planted.py"]));
    expect(JSON.parse(await readFile(join(outputDir, "metrics", "metrics.json"), "utf8"))).toEqual({ rmse: 0.25 });

    // A manifest put there by anyone without this cluster's key is refused, and then no file is delivered.
    const forged = signManifest(
      {
        version: 1,
        cluster: handle.clusterId,
        token,
        job: jobId,
        files: [{ path: "planted.py", size: 9, sha256: "0".repeat(64) }],
        skipped: [],
      },
      Buffer.alloc(32, 9),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${jobPrefix}manifest.json`, Body: forged }));
    const again = join(scratch, "forged");
    await expect(
      downloadJobOutputs(
        s3,
        { bucket, jobPrefix, expected: { cluster: handle.clusterId, token, job: jobId }, key },
        again,
      ),
    ).rejects.toThrow(/does not verify with this cluster's key/);
    expect(await readdir(again).catch(() => [])).toEqual([]);
  });

  test("a job that writes a partial file and exits 3: exit code 3, its file comes back, an earlier job's do not", async () => {
    const outputDir = join(scratch, "failed");
    const result = await job(
      'printf "partial" > "$DFA_OUTPUT_DIR/partial-model.json"; echo "bad data"; exit 3',
      outputDir,
    );
    expect(result.exitCode, result.lines.join("\n")).toBe(3);
    expect(result.lines).toContain("bad data");
    expect(await readFile(join(outputDir, "partial-model.json"), "utf8")).toBe("partial");
    expect((result.outputs?.files ?? []).map((f) => f.path)).toEqual(["partial-model.json"]);
  });

  test("the task role's credentials are served only with the task's token, and S3 calls reach moto", async () => {
    const probe = [
      "import json, os, urllib.error, urllib.request",
      "url = os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI']",
      "try:",
      "    urllib.request.urlopen(urllib.request.Request(url, headers={'Authorization': 'not-the-token'}))",
      "except urllib.error.HTTPError as e:",
      "    print('wrong token:', e.code)",
      "body = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})))",
      "print('role:', body['RoleArn'].split('/')[-1], 'token:', bool(body['Token']))",
      "print('s3 endpoint set:', os.environ['AWS_ENDPOINT_URL_S3'].startswith('http://'))",
    ].join("\n");
    const result = await job('python3 -c "$PROBE"', join(scratch, "probe"), { PROBE: probe });
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(result.lines).toEqual(
      expect.arrayContaining([
        "wrong token: 401",
        `role: ${fargateNames.taskRole} token: True`,
        "s3 endpoint set: True",
      ]),
    );
  });

  test("after down nothing of the cluster is left, IAM included (the outputs stay in the bucket)", async () => {
    await downFargateCluster(
      { clusterId: handle.clusterId, resources: handle.fargate },
      { clients, tlsDir: handle.tlsDir },
    );
    expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
    expect((await keysUnder(outputsOf().runPrefix)).length).toBeGreaterThanOrEqual(6);
    await expect(readFile(outputsOf().keyFile)).rejects.toThrow(/ENOENT/);
  });
});
