import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  CancelledError,
  type ClusterHandle,
  CoreError,
  downDockerCluster,
  MemberStoppedError,
  newClusterId,
  reapDockerClusters,
  resolveClusterSpec,
  runDockerJob,
  scaleDockerCluster,
  upDockerCluster,
} from "../src/index.js";
import { docker, leftovers, losses, recorder } from "./integration/helpers.js";

const image = inject("daskImage");
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const small = { image, schedulerMemory: "1GB", workerMemory: "1536MiB", workerCpu: 1 } as const;

describe("a 1+2 cluster with TLS runs the training examples", () => {
  const clusterId = newClusterId();
  let handle: ClusterHandle;

  beforeAll(async () => {
    handle = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 2 }), { logger: recorder() });
  });

  afterAll(async () => {
    await downDockerCluster(clusterId, { stateDir: handle?.stateDir });
  });

  test("addresses are TLS, ports are published on loopback only, keys are not in container metadata", async () => {
    expect(handle.schedulerAddress).toBe(`tls://${clusterId}-scheduler:8786`);
    expect(handle.clientSchedulerAddress).toMatch(/^tls:\/\/127\.0\.0\.1:\d+$/);
    expect(handle.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const inspected = await docker.getContainer(`${clusterId}-scheduler`).inspect();
    for (const bindings of Object.values(inspected.HostConfig.PortBindings ?? {}) as { HostIp: string }[][]) {
      for (const binding of bindings) expect(binding.HostIp).toBe("127.0.0.1");
    }
    const key = (await import("node:fs/promises")).readFile(handle.memberTlsFiles?.key ?? "", "utf8");
    const keyBody = (await key).split("\n")[1] ?? "missing";
    expect(JSON.stringify(inspected)).not.toContain(keyBody);
    expect(inspected.Config.Labels["io.dask-fargate-action.expires-at"]).toBe(handle.expiresAt);
  });

  test("XGBoost as an in-cluster job: exit 0 and the validation loss decreases", async () => {
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command: "python3 train_xgboost.py --rounds 20",
      runsOn: "cluster",
      workdir: examples,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    const values = losses(lines);
    expect(values).toHaveLength(20);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual((values[i - 1] ?? 0) * 1.001);
    expect(values.at(-1)).toBeLessThan((values[0] ?? 0) * 0.7);
    expect(lines).toContain(`final valid-logloss ${(values.at(-1) ?? 0).toFixed(6)}`);
  });

  test("XGBoost as a job on the host (Debian's python3) with the client TLS files", async () => {
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command: '/usr/bin/python3 train_xgboost.py --rounds 10 --model-path "$TMPDIR/model.json"',
      runsOn: "runner",
      workdir: examples,
      environment: { TMPDIR: (await import("node:os")).tmpdir() },
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines.some((l) => l.startsWith("connected to tls://127.0.0.1:"))).toBe(true);
    expect(losses(lines)).toHaveLength(10);
  });

  test("the scikit-learn grid search runs on the cluster's workers", async () => {
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command: "python3 train_sklearn.py --samples 1500",
      runsOn: "cluster",
      workdir: examples,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines).toContain("tasks ran on 2 workers");
    expect(lines.some((l) => /^best cv accuracy 0\.\d+$/.test(l))).toBe(true);
  });

  test("a job's exit code comes back (3)", async () => {
    const result = await runDockerJob(handle, { command: "echo failing on purpose; exit 3", runsOn: "cluster", workdir: examples });
    expect(result.exitCode).toBe(3);
  });

  test("a worker killed during the job is reported with its exit code", async () => {
    const logger = recorder();
    const job = runDockerJob(handle, { command: "sleep 6", runsOn: "cluster", workdir: examples }, { logger });
    await new Promise((r) => setTimeout(r, 3000));
    await docker.getContainer(`${clusterId}-worker-1`).kill();
    const result = await job;
    expect(result.exitCode).toBe(0);
    expect(result.stoppedMembers).toEqual([{ member: `${clusterId}-worker-1`, exitCode: 137 }]);
    expect(logger.lines).toContain(`warning: ${clusterId}-worker-1 stopped with exit code 137 while the job ran`);
  });

  test("teardown removes every container and the network, and a second teardown is a no-op", async () => {
    const report = await downDockerCluster(clusterId, { stateDir: handle.stateDir });
    expect(report.removed).toContain(`network ${clusterId}`);
    expect(await leftovers(clusterId)).toEqual([]);
    expect((await downDockerCluster(clusterId)).removed).toEqual([]);
  });
});

describe("every Dask CLI form starts a working cluster", () => {
  // The offline image has distributed 2022.12, which still ships dask-scheduler next to `dask scheduler`.
  test.each(["dask", "legacy"] as const)("%s", async (daskCli) => {
    const clusterId = newClusterId();
    const handle = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1, daskCli }));
    try {
      const lines: string[] = [];
      const result = await runDockerJob(handle, {
        command: "python3 train_xgboost.py --rounds 2",
        runsOn: "cluster",
        workdir: examples,
        onOutput: (l) => lines.push(l),
      });
      expect(result.exitCode, lines.join("\n")).toBe(0);
    } finally {
      await downDockerCluster(clusterId, { stateDir: handle.stateDir });
    }
    expect(await leftovers(clusterId)).toEqual([]);
  });
});

describe("failures and cancellation leave nothing behind", () => {
  test("a missing image fails before anything is created", async () => {
    const clusterId = newClusterId();
    const logger = recorder();
    const error = await upDockerCluster(resolveClusterSpec({ ...small, image: "dfa-tests/no-such-image:1", clusterId }), { logger }).catch((e: unknown) => e);
    expect(CoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not on the local Docker Engine/);
    expect(logger.lines.filter((l) => l.includes("removing what was created"))).toEqual([]);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("a scheduler that exits is reported with its exit code and output, and everything is removed", async () => {
    const clusterId = newClusterId();
    const error = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false, python: "no-such-python" }), {
      readyTimeoutSeconds: 60,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberStoppedError);
    expect((error as MemberStoppedError).exitCode).toBe(127);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("aborting during up removes what was created", async () => {
    const clusterId = newClusterId();
    const controller = new AbortController();
    const created: string[] = [];
    const up = upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 2 }), {
      signal: controller.signal,
      onResource: (r) => {
        created.push(r);
        if (r.startsWith("container") && created.length >= 3) controller.abort();
      },
    });
    await expect(up).rejects.toBeInstanceOf(CancelledError);
    expect(created.length).toBeGreaterThanOrEqual(3);
    expect(await leftovers(clusterId)).toEqual([]);
  });
});

describe("scale and reap", () => {
  test("scale up with TLS and back down", async () => {
    const clusterId = newClusterId();
    const handle = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1 }));
    try {
      const bigger = await scaleDockerCluster(handle, 2);
      expect(bigger.spec.workers).toBe(2);
      const result = await runDockerJob(bigger, { command: "python3 train_xgboost.py --rounds 3", runsOn: "cluster", workdir: examples });
      expect(result.exitCode).toBe(0);
      await scaleDockerCluster(bigger, 1);
      const workers = await docker.listContainers({
        filters: { label: [`io.dask-fargate-action.cluster-id=${clusterId}`, "io.dask-fargate-action.role=worker"] },
      });
      expect(workers.map((w) => w.Names[0])).toEqual([`/${clusterId}-worker-0`]);
    } finally {
      await downDockerCluster(clusterId, { stateDir: handle.stateDir });
    }
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("the reaper removes an expired cluster, spares a live one and never touches unlabelled containers", async () => {
    const expired = newClusterId();
    const live = newClusterId();
    const spec = (clusterId: string, maxLifetime: string) => resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false, maxLifetime });
    await upDockerCluster(spec(expired, "5m"), { readiness: "started" });
    await upDockerCluster(spec(live, "6h"), { readiness: "started" });
    const bystander = await docker.createContainer({
      Image: image,
      Cmd: ["sleep", "600"],
      name: `dfa-bystander-${live}`,
      Labels: { "io.dask-fargate-action.cluster-id": "not-ours-without-managed-by" },
    });
    try {
      const now = () => Date.now() + 10 * 60_000;
      const dry = await reapDockerClusters({ dryRun: true, now });
      expect(dry.reaped).toContain(expired);
      expect(await leftovers(expired)).not.toEqual([]);
      const result = await reapDockerClusters({ now });
      expect(result.reaped).toContain(expired);
      expect(result.kept).toContain(live);
      expect(result.reaped).not.toContain(live);
      expect(await leftovers(expired)).toEqual([]);
      expect(await leftovers(live)).not.toEqual([]);
      expect((await bystander.inspect()).Id).toBe(bystander.id);
    } finally {
      await bystander.remove({ force: true });
      await downDockerCluster(live);
    }
  });
});
