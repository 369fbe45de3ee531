import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Emulator } from "@dask-fargate-action/emulator";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { awsErrorName } from "../src/fargate/aws-clients.js";
import { outputPolicyName } from "../src/fargate/fargate-output-access.js";
import { downloadJobOutputs } from "../src/fargate/fargate-outputs.js";
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
  upFargateCluster,
} from "../src/index.js";
import { awsLeftovers } from "./integration/aws-state.js";
import { emulatorForTests, emulatorLeftovers, trainingImage } from "./integration/emulator.js";
import { recorder } from "./integration/helpers.js";

/**
 * Job outputs on Fargate, end to end on the emulator: the job task (a real container of our job task
 * definition) writes a model and a metrics JSON to DFA_OUTPUT_DIR; when its command ends the fixed uploader
 * gets the task role's credentials from the emulator's container credentials endpoint and PUTs every file to
 * moto's S3 under <prefix>/<cluster-id>/; the runner then downloads them into outputDir. Also for a job that
 * exits 3. The per-cluster inline policy on the managed task role exists for the cluster's life only.
 */
const region = "us-east-1";
const bucket = "dfa-job-outputs";
let emulator: Emulator;
let clients: AwsClients;
let s3: S3Client;
let handle: ClusterHandle;
let scratch = "";

const policyOf = (clusterId: string) =>
  clients.iam.send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: outputPolicyName(clusterId) })).then(
    (answer) => JSON.parse(decodeURIComponent(answer.PolicyDocument ?? "")) as { Statement: { Action: string; Resource: string }[] },
    (error: unknown) => awsErrorName(error),
  );
const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key ?? "").sort();

beforeAll(async () => {
  const image = await trainingImage(inject("daskImage"));
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
  s3 = clients.s3 as S3Client;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  scratch = await mkdtemp(join(tmpdir(), "dfa-fargate-outputs-"));
  const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers: 1, schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB" });
  handle = await upFargateCluster(spec, resolveFargateSpec({ region, outputUri: `s3://${bucket}/nightly/` }, spec), { clients, logger: recorder() });
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

describe("a job task's outputs travel through S3 to outputDir", () => {
  test("while the cluster lives, the managed task role may PutObject under nightly/<cluster-id>/ only", async () => {
    const policy = await policyOf(handle.clusterId);
    expect(policy).toMatchObject({ Statement: [{ Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/nightly/${handle.clusterId}/*` }] });
  });

  test("a model and a metrics JSON: in S3 under nightly/<cluster-id>/ and in outputDir", async () => {
    const outputDir = join(scratch, "ok");
    const result = await job(writeModelAndMetrics, outputDir);
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(result.lines.join("\n")).toContain(`dask-fargate: uploaded 2 output file(s), 27 bytes, to s3://${bucket}/nightly/${handle.clusterId}/`);
    expect(await keysUnder(`nightly/${handle.clusterId}/`)).toEqual([
      `nightly/${handle.clusterId}/metrics/metrics.json`,
      `nightly/${handle.clusterId}/model.json`,
    ]);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `nightly/${handle.clusterId}/model.json` }));
    expect(await stored.Body?.transformToString()).toBe('{"trees": 10}');
    expect(result.outputs).toEqual({
      dir: outputDir,
      uri: `s3://${bucket}/nightly/${handle.clusterId}/`,
      files: [
        { path: "metrics/metrics.json", bytes: 14 },
        { path: "model.json", bytes: 13 },
      ],
    });
    expect(JSON.parse(await readFile(join(outputDir, "metrics", "metrics.json"), "utf8"))).toEqual({ rmse: 0.25 });
  });

  test("a job that writes a partial file and exits 3: exit code 3, the files still come back", async () => {
    const outputDir = join(scratch, "failed");
    const result = await job('printf "partial" > "$DFA_OUTPUT_DIR/partial-model.json"; echo "bad data"; exit 3', outputDir);
    expect(result.exitCode, result.lines.join("\n")).toBe(3);
    expect(result.lines).toContain("bad data");
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `nightly/${handle.clusterId}/partial-model.json` }));
    expect(await stored.Body?.transformToString(), result.lines.join("\n")).toBe("partial");
    expect(await readFile(join(outputDir, "partial-model.json"), "utf8")).toBe("partial");
    // What an earlier job of the same cluster uploaded comes back too: the prefix is the cluster's.
    expect((result.outputs?.files ?? []).map((f) => f.path)).toEqual(["metrics/metrics.json", "model.json", "partial-model.json"]);
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
    expect(result.lines).toEqual(expect.arrayContaining(["wrong token: 401", `role: ${fargateNames.taskRole} token: True`, "s3 endpoint set: True"]));
  });

  test("a key that would escape outputDir is refused before anything is written", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `nightly/${handle.clusterId}/../../escaped.txt`, Body: "x" }));
    const outputDir = join(scratch, "escape", "out");
    await expect(downloadJobOutputs(s3, `s3://${bucket}/nightly`, handle.clusterId, outputDir)).rejects.toThrow(/refusing the S3 key/);
    expect(await readdir(join(scratch, "escape")).catch(() => [])).toEqual([]);
  });

  test("after down the inline policy is gone (the outputs stay in the bucket)", async () => {
    const report = await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients, tlsDir: handle.tlsDir });
    expect(report.removed).toContain(`IAM inline policy ${outputPolicyName(handle.clusterId)}`);
    expect(await policyOf(handle.clusterId)).toMatch(/^NoSuchEntity/);
    expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
    expect(await keysUnder(`nightly/${handle.clusterId}/`)).toHaveLength(4);
  });
});
