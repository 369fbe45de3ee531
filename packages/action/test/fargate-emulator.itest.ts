import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type AwsClients, createAwsClients, setupRoles } from "@dask-fargate-action/core";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { startOpenRegistry } from "@dask-fargate-action/testkit/open-registry";
import { losses } from "@dask-fargate-action/testkit/training";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { node24 } from "./integration/node24.js";
import { type RunnerStep, runnerStep, type StepResult } from "./integration/runner.js";

// The bundled action as the runner runs it, on Node 24, with `backend: fargate` against the Fargate emulator:
// the image with the training code (a local pip project) is built and pushed to a local registry, and the
// scheduler, workers and job run as containers made from our task definitions, reached through the AWS API only.
const docker = new Docker();
const environmentFile = fileURLToPath(new URL("./fixtures/fargate-training/requirements.txt", import.meta.url));
const github = {
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_WORKFLOW: "nightly",
  GITHUB_JOB: "train",
  GITHUB_RUN_ATTEMPT: "1",
};
let node: string;
let emulator: Emulator;
let observer: AwsClients;
let registry: { host: string; stop(): Promise<void> };
let repository: string;
const steps: RunnerStep[] = [];

interface EmulatedTask {
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly startedBy?: string;
  readonly group?: string;
  readonly lastStatus: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly { readonly exitCode?: number; readonly image?: string }[];
}

/**
 * The emulator's tasks of one cluster id (every task we start carries it as startedBy). Every one of them counts:
 * the workers carry the scheduler's address in their RunTasks, so none is refused a start and launched again.
 */
function tasksOf(clusterId: string): EmulatedTask[] {
  return (emulator.state()["tasks"] as EmulatedTask[]).filter((t) => t.startedBy === clusterId);
}

/** `command: run` on Fargate with the training image built from the fixture and pushed to the local registry. */
async function runOnFargate(
  runId: string,
  jobCommand: string,
  extra: Record<string, string> = {},
): Promise<{ step: RunnerStep; result: StepResult; outputs: Record<string, string> }> {
  const step = await runnerStep({ ...emulator.env, ...github, GITHUB_RUN_ID: runId }, { node });
  steps.push(step);
  const result = await step.main({
    command: "run",
    backend: "fargate",
    "environment-file": environmentFile,
    "base-image": inject("daskImage"),
    image: repository,
    workers: "2",
    "worker-memory": "2GB",
    "scheduler-memory": "2GB",
    "job-runs-on": "cluster",
    "job-command": jobCommand,
    ...extra,
  });
  return { step, result, outputs: await step.outputs() };
}

/** The job's log as the action streamed it: the last stop-commands window of the step's output. */
function jobLog(stdout: string): string {
  const token = [...stdout.matchAll(/::stop-commands::([0-9a-f-]{36})/g)].map((m) => m[1]).at(-1);
  return token ? (stdout.split(`::stop-commands::${token}`)[1]?.split(`::${token}::`)[0] ?? "") : "";
}

/** Removes the repository's images from the engine, so a task can only get them from the registry. */
async function removeLocalImages(): Promise<number> {
  const images = (await docker.listImages()).filter((image) =>
    (image.RepoTags ?? []).some((t) => t.startsWith(repository)),
  );
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
  return images.length;
}

beforeAll(async () => {
  node = await node24();
  registry = await startOpenRegistry();
  repository = `${registry.host}/nightly/training-${randomBytes(3).toString("hex")}`;
  emulator = await emulatorForTests();
  observer = createAwsClients({ region: "us-east-1" });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await registry?.stop();
  await removeLocalImages();
  for (const step of steps) await rm(step.dir, { recursive: true, force: true });
});

describe("the bundled action on Node 24 runs the nightly training on the Fargate emulator", () => {
  test("image built and pushed, TLS cluster from our task definitions, XGBoost trains, summary written, nothing left", async () => {
    const { step, result, outputs } = await runOnFargate(
      "2001",
      "python3 -m dfa_training --rows 20000 --rounds 10 --partitions 4",
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(outputs["rebuilt"]).toBe("true");
    expect(outputs["image"]).toMatch(new RegExp(`^${repository}:env-[0-9a-f]{16}@sha256:[0-9a-f]{64}$`));
    expect(outputs["job-exit-code"]).toBe("0");
    expect(outputs["cost-estimate"]).toMatch(/^\$\d+\.\d+/);
    expect(outputs["scheduler-address"]).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    // The registry holds the manifest every task was started from.
    const digest = outputs["image"]?.split("@")[1] ?? "";
    const repo = repository.slice(registry.host.length + 1);
    const manifest = await fetch(`http://${registry.host}/v2/${repo}/manifests/${digest}`, {
      method: "HEAD",
      headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(manifest.status).toBe(200);

    // The job's log came back from CloudWatch Logs: it found both workers over TLS and trained.
    const log = jobLog(result.stdout);
    expect(log).toMatch(/connected to tls:\/\/\d+\.\d+\.\d+\.\d+:8786 with 2 workers/);
    // Under ECS's init (initProcessEnabled) the image's tini is no PID 1; as a subreaper it says nothing.
    expect(log).not.toContain("Tini is not running as PID 1");
    const values = losses(log.split("\n"));
    expect(values).toHaveLength(10);
    expect(values.at(-1)).toBeLessThan((values[0] ?? 0) * 0.9);
    const summary = await step.summary();
    expect(summary).toContain("| job exit code | 0 |");
    expect(summary).toMatch(/final valid-logloss 0\.\d+/);
    expect(summary).toContain("| time: up |");
    expect(summary).toContain(outputs["cost-estimate"]);

    // Scheduler, two workers and the job ran as tasks of our task definitions, from the pushed image, and all stopped.
    const clusterId = outputs["cluster-id"] ?? "";
    const tasks = tasksOf(clusterId);
    expect(tasks.map((t) => t.lastStatus)).toEqual(["STOPPED", "STOPPED", "STOPPED", "STOPPED"]);
    // The task definitions are deleted by the teardown (DeleteTaskDefinitions): the tasks' records keep the image.
    expect(new Set(tasks.map((t) => t.taskDefinitionArn.split("/").pop()?.split(":")[0]))).toEqual(
      new Set(["scheduler", "worker", "job"].map((role) => `${clusterId}-${role}`)),
    );
    expect(tasks.map((t) => t.containers[0]?.image)).toEqual(tasks.map(() => outputs["image"]));
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain("post: nothing to tear down");
  });

  test("a failing job fails the step with its exit code; the unchanged image is pulled from the registry; the cluster is removed", async () => {
    // The engine forgets the image: the build step finds it unchanged in the registry, and every task must pull it.
    expect(await removeLocalImages()).toBe(1);
    const { step, result, outputs } = await runOnFargate("2002", "python3 -m dfa_training --fail-with 3");
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(outputs["rebuilt"]).toBe("false");
    expect((await docker.getImage(outputs["image"] ?? "").inspect()).RepoDigests).toContain(
      outputs["image"]?.replace(/:env-[0-9a-f]{16}@/, "@"),
    );
    expect(result.stdout).toContain("::error::the job exited with code 3");
    expect(jobLog(result.stdout)).toContain("failing on purpose with exit code 3");
    expect(outputs["job-exit-code"]).toBe("3");
    expect(await step.summary()).toContain("| job exit code | 3 |");
    expect(await awsLeftovers(observer, outputs["cluster-id"] ?? "")).toEqual([]);
  });

  test("output-uri: what the job writes to DFA_OUTPUT_DIR goes to S3 under the cluster id, then to output-dir; summary lists it", async () => {
    const bucket = `dfa-action-${randomBytes(3).toString("hex")}`;
    const s3 = new S3Client({ region: "us-east-1", forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // The administrator's one-time step: the static policy on the managed task role that up checks.
    await setupRoles(observer, { outputUri: `s3://${bucket}/nightly` });
    const write = [
      "import json, os",
      "d = os.environ['DFA_OUTPUT_DIR']",
      "json.dump({'auc': 0.93}, open(os.path.join(d, 'metrics.json'), 'w'))",
      "open(os.path.join(d, 'model.bin'), 'wb').write(bytes(4096))",
    ].join("; ");
    const { step, result, outputs } = await runOnFargate("2004", `python3 -c "${write}"`, {
      "output-uri": `s3://${bucket}/nightly`,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const clusterId = outputs["cluster-id"] ?? "";
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();
    // <prefix>/<cluster-id>/<attempt token>/<job id>/: the files, and the manifest signed with the cluster's key.
    const run = `nightly/${clusterId}/[0-9a-f]{24}/[0-9a-f]{12}/`;
    expect(keys).toEqual([
      expect.stringMatching(new RegExp(`^${run}files/metrics\\.json$`)),
      expect.stringMatching(new RegExp(`^${run}files/model\\.bin$`)),
      expect.stringMatching(new RegExp(`^${run}manifest\\.json$`)),
    ]);
    const outputDir = outputs["output-dir"] ?? "";
    expect(JSON.parse(await readFile(join(outputDir, "metrics.json"), "utf8"))).toEqual({ auc: 0.93 });
    expect((await readFile(join(outputDir, "model.bin"))).length).toBe(4096);
    const summary = await step.summary();
    expect(summary).toContain("| output: model.bin | 4.1 kB |");
    expect(summary).toContain("| output: metrics.json |");
    // The preflight ran before anything was created, and its findings are in the summary.
    expect(summary).toMatch(/\| preflight: image \| (ok|note: [^|]+) \|/);
    expect(summary).toContain("| preflight: quota | ok |");
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
  });

  test("up leaves the cluster running for the job's later steps; the post step in a new process removes it", async () => {
    const step = await runnerStep({ ...emulator.env, ...github, GITHUB_RUN_ID: "2003" }, { node });
    steps.push(step);
    const up = await step.main({
      command: "up",
      backend: "fargate",
      image: inject("daskImage"),
      workers: "1",
      "worker-memory": "2GB",
      "scheduler-memory": "2GB",
    });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const clusterId = (await step.outputs())["cluster-id"] ?? "";
    expect(tasksOf(clusterId).map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    // The emulator refuses DeleteCluster while tasks are active, as ECS does: the post step must stop them first.
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain(`post: removing cluster ${clusterId} (fargate)`);
    expect(tasksOf(clusterId).map((t) => t.lastStatus)).toEqual(["STOPPED", "STOPPED"]);
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
  });

  test("command: down acts only on a cluster of the running repository: another repository's is refused and left running", async () => {
    const clusterId = `shared-${randomBytes(3).toString("hex")}`;
    const theirs = await runnerStep(
      { ...emulator.env, ...github, GITHUB_REPOSITORY: "org/other", GITHUB_RUN_ID: "2004" },
      { node },
    );
    steps.push(theirs);
    const up = await theirs.main({
      command: "up",
      backend: "fargate",
      image: inject("daskImage"),
      "cluster-id": clusterId,
      workers: "1",
      "worker-memory": "2GB",
      "scheduler-memory": "2GB",
    });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const mine = await runnerStep({ ...emulator.env, ...github, GITHUB_RUN_ID: "2005" }, { node });
    steps.push(mine);
    const refused = await mine.main({ command: "down", backend: "fargate", "cluster-id": clusterId });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(
      `cluster ${clusterId} was not started from org/repo (its resources are tagged github.repository org/other), and a teardown scoped to org/repo removes only that repository's clusters: nothing was removed`,
    );
    expect(tasksOf(clusterId).map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    // The repository that started it may.
    const own = await runnerStep(
      { ...emulator.env, ...github, GITHUB_REPOSITORY: "org/other", GITHUB_RUN_ID: "2006" },
      { node },
    );
    steps.push(own);
    const down = await own.main({ command: "down", backend: "fargate", "cluster-id": clusterId });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(tasksOf(clusterId).map((t) => t.lastStatus)).toEqual(["STOPPED", "STOPPED"]);
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
    expect((await theirs.post()).code).toBe(0);
  });
});
