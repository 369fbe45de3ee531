import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterConfigError, newClusterId } from "@dask-fargate-action/core";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { JOB_TIMEOUT_EXIT_CODE, type JobRequest, type RunRequest, runPipeline } from "../src/index.js";

// The pipeline the CLI and the action share, on the real Docker Engine with the offline Dask image.
const docker = new Docker();
const CLUSTER_LABEL = "io.dask-fargate-action.cluster-id";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dfa-pipeline-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Containers and networks left with the cluster's label (teardown must leave none). */
async function leftovers(clusterId: string): Promise<string[]> {
  const filters = { label: [`${CLUSTER_LABEL}=${clusterId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`)];
}

function logger() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => void lines.push(m),
    warn: (m: string) => void lines.push(`warning: ${m}`),
    debug: () => {},
  };
}

function request(clusterId: string, job: Partial<JobRequest> & { command: string }): RunRequest {
  return {
    backend: "docker",
    settings: {},
    cluster: { clusterId, workers: 1, workerCpu: 1, workerMemory: "1GB", schedulerMemory: "1GB" },
    image: { image: inject("daskImage") },
    tlsDirFor: (id) => join(dir, "state", id),
    job: { runsOn: "cluster", workdir: dir, outputDir: join(dir, "out", clusterId), ...job },
  };
}

describe("run pipeline on the Docker backend", () => {
  test("the job's files in DFA_OUTPUT_DIR come back to this machine, listed with sizes; nothing remains", async () => {
    const clusterId = newClusterId();
    const log = logger();
    const write =
      "python3 -c \"import json, os; d = os.environ['DFA_OUTPUT_DIR']; json.dump({'auc': 0.91}, open(os.path.join(d, 'metrics.json'), 'w')); open(os.path.join(d, 'model.json'), 'w').write('x' * 2048)\"";
    const phases: string[] = [];
    const result = await runPipeline(request(clusterId, { command: write }), {
      logger: log,
      signal: new AbortController().signal,
      phase: (phase, _title, work) => {
        phases.push(phase);
        return work();
      },
    });
    expect(result.ending, result.message).toBe("succeeded");
    expect(phases).toEqual(["image", "up", "job", "down"]);
    expect(result.teardown).toEqual({ state: "done" });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual([
      { path: "metrics.json", bytes: expect.any(Number) },
      { path: "model.json", bytes: 2048 },
    ]);
    expect(JSON.parse(await readFile(join(dir, "out", clusterId, "metrics.json"), "utf8"))).toEqual({ auc: 0.91 });
    expect(Object.keys(result.phasesMs)).toEqual(["image", "up", "job", "down"]);
    expect(result.cost?.usd).toBe(0);
    // A given image on this engine: what it holds is read back from it (here by its Python, the image has no record file).
    expect(result.image?.record?.python).toMatch(/^3\.\d+/);
    expect(result.image?.record?.packages["distributed"]).toMatch(/^\d{4}\./);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("job-timeout stops a hung job, removes the cluster and ends with 124 and a message naming the limit", async () => {
    const clusterId = newClusterId();
    const started = Date.now();
    const result = await runPipeline(request(clusterId, { command: "sleep 600", timeoutSeconds: 3 }), {
      logger: logger(),
      signal: new AbortController().signal,
    });
    expect(result.ending).toBe("timed-out");
    expect(result.exitCode).toBe(JOB_TIMEOUT_EXIT_CODE);
    expect(result.message).toContain("job-timeout (3 s)");
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("a worker that dies during the job is reported with its exit code and last log lines; the job's exit code is kept", async () => {
    const clusterId = newClusterId();
    // Once the job's command runs (it waits for the workers first), kill the worker as the kernel's OOM killer would.
    const kill = async () => {
      const [worker] = await docker.listContainers({
        filters: { label: [`${CLUSTER_LABEL}=${clusterId}`, "io.dask-fargate-action.role=worker"] },
      });
      if (worker) await docker.getContainer(worker.Id).kill({ signal: "SIGKILL" });
    };
    let killed: Promise<void> | undefined;
    const result = await runPipeline(request(clusterId, { command: "echo job-running; sleep 8; exit 5" }), {
      logger: logger(),
      signal: new AbortController().signal,
      onJobOutput: (line) => {
        if (line.includes("job-running")) killed ??= kill();
      },
    });
    await killed;
    expect(result.exitCode).toBe(5);
    expect(result.stoppedMembers).toHaveLength(1);
    const [member] = result.stoppedMembers;
    expect(member?.member).toContain("worker");
    expect(member?.exitCode).toBe(137);
    expect(member?.lastLines.length).toBeGreaterThan(0);
    expect(result.message).toContain("stopped while the job ran");
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("an interruption during the job ends with 130 and removes everything", async () => {
    const clusterId = newClusterId();
    const controller = new AbortController();
    const result = await runPipeline(request(clusterId, { command: "sleep 600" }), {
      logger: logger(),
      signal: controller.signal,
      onReady: () => {
        setTimeout(() => controller.abort(new Error("SIGINT")), 1000);
      },
    });
    expect(result.ending).toBe("interrupted");
    expect(result.failedPhase).toBe("job");
    expect(result.teardown).toEqual({ state: "done" });
    expect(result.exitCode).toBe(130);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("Fargate with an image built but not pushed is refused before anything is built or created", async () => {
    const before = (await docker.listImages()).length;
    const started = Date.now();
    const run = runPipeline(
      {
        ...request(newClusterId(), { command: "true" }),
        backend: "fargate",
        cluster: { workers: 1 },
        settings: { fargate: { region: "us-east-1" } },
        image: { environmentFile: "examples/requirements.txt" },
      },
      { logger: logger(), signal: new AbortController().signal },
    );
    await expect(run).rejects.toSatisfy(
      (error) =>
        ClusterConfigError.isInstance(error) && /pulls the image from a registry/.test((error as Error).message),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await docker.listImages()).length).toBe(before);
  });
});
