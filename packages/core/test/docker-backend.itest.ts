import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { losses } from "@dask-fargate-action/testkit/training";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { scaleDockerCluster } from "../src/docker/docker-cluster.js";
import { reapDockerClusters } from "../src/docker/docker-reaper.js";
import {
  CancelledError,
  ClusterConfigError,
  type ClusterHandle,
  CoreError,
  createBackend,
  downDockerCluster,
  MemberStoppedError,
  newClusterId,
  resolveClusterSpec,
  runClusterJob,
  runDockerJob,
  upDockerCluster,
} from "../src/index.js";
import { createClusterTls, writeTlsFiles } from "../src/internal/tls.js";
import { docker, leftovers, recorder } from "./integration/helpers.js";

const run = promisify(execFile);
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
    await downDockerCluster(clusterId, { tlsDir: handle?.tlsDir });
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
    const result = await runClusterJob(
      createBackend("docker", { docker }),
      handle,
      {
        command: '/usr/bin/python3 train_xgboost.py --rounds 10 --model-path "$TMPDIR/model.json"',
        runsOn: "runner",
        workdir: examples,
        environment: { TMPDIR: (await import("node:os")).tmpdir() },
        onOutput: (l) => lines.push(l),
      },
      { logger: recorder() },
    );
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines.some((l) => l.startsWith("connected to tls://127.0.0.1:"))).toBe(true);
    expect(losses(lines)).toHaveLength(10);
  });

  test("mutual TLS refuses a client without the cluster's certificate, and one with another CA's", async () => {
    // Another cluster's client identity: a valid certificate from a CA this cluster never saw.
    const stranger = (await createClusterTls("stranger", 3600)).client;
    const dir = await mkdtemp(join(tmpdir(), "dfa-stranger-"));
    try {
      const files = await writeTlsFiles(dir, stranger);
      const hostPort = (handle.clientSchedulerAddress ?? "").replace(/^tls:\/\//, "");
      const attempt = (security: string) =>
        run(
          "/usr/bin/python3",
          [
            "-c",
            `${security}\nfrom distributed import Client\nClient(SCHEME + "${hostPort}", timeout=5, **KW)\nprint("connected")`,
          ],
          {
            timeout: 60_000,
          },
        ).then(
          (r) => r.stdout,
          (e: { stdout?: string; stderr?: string }) => `refused: ${e.stderr?.split("\n").filter(Boolean).at(-1) ?? ""}`,
        );
      const plain = await attempt('SCHEME = "tcp://"; KW = {}');
      const strangerTls = await attempt(
        `from distributed.security import Security\nSCHEME = "tls://"; KW = {"security": Security(tls_ca_file="${files.ca}", tls_client_cert="${files.cert}", tls_client_key="${files.key}", require_encryption=True)}`,
      );
      const own = handle.clientTlsFiles;
      const member = await attempt(
        `from distributed.security import Security\nSCHEME = "tls://"; KW = {"security": Security(tls_ca_file="${own?.ca}", tls_client_cert="${own?.cert}", tls_client_key="${own?.key}", require_encryption=True)}`,
      );
      expect(plain).toMatch(/^refused/);
      expect(strangerTls).toMatch(/^refused/);
      // The same client code with the cluster's own files connects, so the refusals are about identity.
      expect(member.trim()).toBe("connected");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("the CA's private key is never written: no key on disk belongs to the CA certificate", async () => {
    const ca = new X509Certificate(await readFile(handle.clientTlsFiles?.ca ?? "", "utf8"));
    const caPublic = String(ca.publicKey.export({ type: "spki", format: "pem" }));
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if ((await readFile(path, "utf8")).includes("PRIVATE KEY")) keys.push(path);
      }
    };
    await walk(handle.tlsDir);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const path of keys) {
      const publicOfKey = String(
        createPublicKey(createPrivateKey(await readFile(path, "utf8"))).export({ type: "spki", format: "pem" }),
      );
      expect(publicOfKey, path).not.toBe(caPublic);
    }
    const inside = await docker.getContainer(`${clusterId}-scheduler`).inspect();
    expect(JSON.stringify(inside)).not.toContain(caPublic.split("\n")[1] ?? "missing");
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
    const result = await runDockerJob(handle, {
      command: "echo failing on purpose; exit 3",
      runsOn: "cluster",
      workdir: examples,
    });
    expect(result.exitCode).toBe(3);
  });

  test("a worker container killed with SIGKILL mid-job is started again and the Dask job finishes on both workers", async () => {
    const logger = recorder();
    const lines: string[] = [];
    const workdir = await mkdtemp(join(tmpdir(), "dfa-heal-"));
    // Forty half-second tasks on two one-thread workers (about 10 s), then the worker count once the cluster is whole.
    await writeFile(
      join(workdir, "tasks.py"),
      [
        "import os, time",
        "from distributed import Client",
        "client = Client(os.environ['DASK_SCHEDULER_ADDRESS'])",
        "client.wait_for_workers(2, timeout=120)",
        "print('tasks started', flush=True)",
        "futures = client.map(lambda i: (time.sleep(0.5), i)[1], range(40), pure=False)",
        "total = sum(client.gather(futures))",
        "client.wait_for_workers(2, timeout=120)",
        "print(f\"total {total} on {len(client.scheduler_info()['workers'])} workers\", flush=True)",
      ].join("\n"),
    );
    let killed: Promise<unknown> | undefined;
    const result = await runDockerJob(
      handle,
      {
        command: "python3 tasks.py",
        runsOn: "cluster",
        workdir,
        onOutput: (line) => {
          lines.push(line);
          if (line === "tasks started")
            killed = new Promise((r) => setTimeout(r, 2000)).then(() =>
              docker.getContainer(`${clusterId}-worker-1`).kill({ signal: "SIGKILL" }),
            );
        },
      },
      { logger },
    );
    await killed;
    await rm(workdir, { recursive: true, force: true });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines).toContain("total 780 on 2 workers");
    expect(result.stoppedMembers).toEqual([{ member: `${clusterId}-worker-1`, exitCode: 137, reason: undefined }]);
    expect(result.replacements).toEqual([
      {
        member: `${clusterId}-worker-1`,
        stopCode: "ContainerDied",
        exitCode: 137,
        reason: undefined,
        replacement: `${clusterId}-worker-1 (started again)`,
        startedAt: expect.any(Number),
      },
    ]);
    expect(
      logger.lines.some((l) => l.includes(`replaced ${clusterId}-worker-1 with ${clusterId}-worker-1 (started again)`)),
    ).toBe(true);
    expect((await docker.getContainer(`${clusterId}-worker-1`).inspect()).State.Running).toBe(true);
  });

  test("with max-worker-replacements 0 a killed worker is only reported, with a warning", async () => {
    const logger = recorder();
    const off = { ...handle, spec: { ...handle.spec, maxWorkerReplacements: 0 } };
    // Killed once the job runs (after its wait for both workers): without a replacement, that wait would never end.
    let killed: Promise<unknown> | undefined;
    const onOutput = (line: string) => {
      if (line === "job running") killed ??= docker.getContainer(`${clusterId}-worker-0`).kill();
    };
    const result = await runDockerJob(
      off,
      { command: "echo job running; sleep 6", runsOn: "cluster", workdir: examples, onOutput },
      { logger },
    );
    await killed;
    expect(result.exitCode).toBe(0);
    expect(result.stoppedMembers).toEqual([{ member: `${clusterId}-worker-0`, exitCode: 137, reason: undefined }]);
    expect(result.replacements).toBeUndefined();
    expect(result.unreplaced).toEqual([`${clusterId}-worker-0`]);
    expect(logger.lines.some((l) => l.includes("max-worker-replacements (0) is used up"))).toBe(true);
    expect((await docker.getContainer(`${clusterId}-worker-0`).inspect()).State.Running).toBe(false);
  });

  test("teardown removes every container and the network, and a second teardown is a no-op", async () => {
    const report = await downDockerCluster(clusterId, { tlsDir: handle.tlsDir });
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
      await downDockerCluster(clusterId, { tlsDir: handle.tlsDir });
    }
    expect(await leftovers(clusterId)).toEqual([]);
  });
});

describe("failures and cancellation leave nothing behind", () => {
  test("a missing image fails before anything is created", async () => {
    const clusterId = newClusterId();
    const logger = recorder();
    const error = await upDockerCluster(
      resolveClusterSpec({ ...small, image: "dfa-tests/no-such-image:1", clusterId }),
      { logger },
    ).catch((e: unknown) => e);
    expect(CoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not on the local Docker Engine/);
    expect(logger.lines.filter((l) => l.includes("removing what was created"))).toEqual([]);
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("a second start of a cluster id that exists is refused and leaves the first cluster running", async () => {
    const clusterId = newClusterId();
    const first = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false }), {
      readiness: "running",
    });
    try {
      const before = (await leftovers(clusterId)).sort();
      const created: string[] = [];
      const error = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false }), {
        onResource: (r) => created.push(r),
      }).catch((e: unknown) => e);
      expect(ClusterConfigError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(`a cluster ${clusterId} already exists on this Docker Engine`);
      expect(created).toEqual([]);
      // The refused start removed nothing of the first one.
      expect((await leftovers(clusterId)).sort()).toEqual(before);
    } finally {
      await downDockerCluster(first.clusterId, { tlsDir: first.tlsDir });
    }
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("a scheduler that exits is reported with its exit code and output, and everything is removed", async () => {
    const clusterId = newClusterId();
    const error = await upDockerCluster(
      resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false, python: "no-such-python" }),
      {
        readyTimeoutSeconds: 60,
      },
    ).catch((e: unknown) => e);
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
    // The TLS files were being written while the members started: none is left behind either.
    expect(existsSync(join(tmpdir(), "dask-fargate", clusterId))).toBe(false);
  });
});

describe("scale and reap", () => {
  test("scale up with TLS and back down", async () => {
    const clusterId = newClusterId();
    const handle = await upDockerCluster(resolveClusterSpec({ ...small, clusterId, workers: 1 }));
    try {
      const bigger = await scaleDockerCluster(handle, 2);
      expect(bigger.spec.workers).toBe(2);
      const result = await runDockerJob(bigger, {
        command: "python3 train_xgboost.py --rounds 3",
        runsOn: "cluster",
        workdir: examples,
      });
      expect(result.exitCode).toBe(0);
      await scaleDockerCluster(bigger, 1);
      const workers = await docker.listContainers({
        filters: { label: [`io.dask-fargate-action.cluster-id=${clusterId}`, "io.dask-fargate-action.role=worker"] },
      });
      expect(workers.map((w) => w.Names[0])).toEqual([`/${clusterId}-worker-0`]);
    } finally {
      await downDockerCluster(clusterId, { tlsDir: handle.tlsDir });
    }
    expect(await leftovers(clusterId)).toEqual([]);
  });

  test("the reaper removes an expired cluster, spares a live one and never touches unlabelled containers", async () => {
    const expired = newClusterId();
    const live = newClusterId();
    const spec = (clusterId: string, maxLifetime: string) =>
      resolveClusterSpec({ ...small, clusterId, workers: 1, tls: false, maxLifetime });
    await upDockerCluster(spec(expired, "5m"), { readiness: "running" });
    await upDockerCluster(spec(live, "6h"), { readiness: "running" });
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

  test("a reaper scoped to one repository spares another repository's expired cluster; a label that is not a cluster id is ignored", async () => {
    const mine = newClusterId();
    const theirs = newClusterId();
    const spec = (clusterId: string, repository: string) =>
      resolveClusterSpec({
        ...small,
        clusterId,
        workers: 0,
        tls: false,
        maxLifetime: "5m",
        labels: { "github.repository": repository },
      });
    await upDockerCluster(spec(mine, "org/mine"), { readiness: "running" });
    await upDockerCluster(spec(theirs, "org/theirs"), { readiness: "running" });
    // Anyone can label a container as ours; an id that is a path must never reach a teardown.
    const forged = await docker.createContainer({
      Image: image,
      Cmd: ["sleep", "600"],
      name: `dfa-forged-${mine}`,
      Labels: {
        "io.dask-fargate-action.managed-by": "dask-fargate-action",
        "io.dask-fargate-action.cluster-id": "../../projects",
        "io.dask-fargate-action.expires-at": "2000-01-01T00:00:00Z",
      },
    });
    const logger = recorder();
    try {
      const result = await reapDockerClusters({ now: () => Date.now() + 10 * 60_000, repository: "org/mine", logger });
      expect(result.reaped).toEqual([mine]);
      expect(await leftovers(mine)).toEqual([]);
      expect(await leftovers(theirs)).not.toEqual([]);
      expect((await forged.inspect()).Id).toBe(forged.id);
      expect(logger.lines.join("\n")).toContain(
        'ignoring an object labelled with "../../projects", which is not a cluster id',
      );
    } finally {
      await forged.remove({ force: true });
      await downDockerCluster(theirs);
    }
  });

  test("a teardown scoped to a repository (the action's down) refuses another repository's cluster and removes nothing", async () => {
    const theirs = newClusterId();
    await upDockerCluster(
      resolveClusterSpec({
        ...small,
        clusterId: theirs,
        workers: 0,
        tls: false,
        labels: { "github.repository": "org/theirs" },
      }),
      {
        readiness: "running",
      },
    );
    const backend = createBackend("docker");
    await expect(backend.down({ clusterId: theirs, repository: "org/mine" }, { logger: recorder() })).rejects.toThrow(
      `cluster-id: cluster ${theirs} was not started from org/mine (its containers are labelled github.repository org/theirs)`,
    );
    expect(await leftovers(theirs)).not.toEqual([]);
    expect(
      (await backend.down({ clusterId: theirs, repository: "org/theirs" }, { logger: recorder() })).removed,
    ).not.toEqual([]);
    expect(await leftovers(theirs)).toEqual([]);
  });
});
