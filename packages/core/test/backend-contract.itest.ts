import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { trainingImage } from "@dask-fargate-action/testkit/training";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  type AwsClients,
  type BackendName,
  type ClusterBackend,
  ClusterConfigError,
  type ClusterHandle,
  type ClusterSpec,
  type ClusterSpecInput,
  CoreError,
  createAwsClients,
  createBackend,
  newClusterId,
  type PartialCluster,
  resolveClusterSpec,
  runClusterJob,
} from "../src/index.js";
import { docker, leftovers, recorder } from "./integration/helpers.js";

// The Backend contract (src/backend.ts), the same scenarios on both backends: the Docker Engine, and Fargate
// on the emulator (ECS API in front of moto, every task a real container). A backend that passes this file
// can be driven by the pipeline, the CLI and the action without knowing which it is.
const region = "us-east-1";
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const small = { schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB", workers: 1 } as const;

interface Engine {
  readonly name: BackendName;
  readonly backend: ClusterBackend;
  readonly image: string;
  /** Everything of the cluster still on the engine or in the account. */
  leftovers(clusterId: string): Promise<string[]>;
  /** A spec this backend cannot run, and how it is refused. */
  readonly bad: { readonly input: Partial<ClusterSpecInput>; readonly refusedBy: "validate" | "up" };
}

let emulator: Emulator | undefined;
let clients: AwsClients;

async function engineOf(name: BackendName): Promise<Engine> {
  const image = await trainingImage(inject("daskImage"));
  if (name === "docker") {
    return {
      name,
      backend: createBackend("docker", { docker }),
      image,
      leftovers,
      // The Docker backend has no settings to check: an image the engine does not hold is refused by up before anything is created.
      bad: { input: { image: "dfa-test-absent:never-built" }, refusedBy: "up" },
    };
  }
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
  return {
    name,
    backend: createBackend("fargate", { fargate: { region }, clients }),
    image,
    leftovers: async (clusterId) => [...(await awsLeftovers(clients, clusterId)), ...(await leftovers(clusterId))],
    // 3 vCPU is no Fargate task size.
    bad: { input: { workerCpu: 3 }, refusedBy: "validate" },
  };
}

describe.each(["docker", "fargate"] as const)("the backend contract on %s", (name) => {
  let engine: Engine;
  let handle: ClusterHandle;
  let root: string;
  /** The cluster's own directory (teardown removes only a directory named after the cluster id). */
  const dirOf = (clusterId: string) => join(root, clusterId);
  const partials: PartialCluster[] = [];
  const spec = (input: Partial<ClusterSpecInput> = {}): ClusterSpec =>
    resolveClusterSpec({ image: engine.image, clusterId: newClusterId(), ...small, ...input });

  beforeAll(async () => {
    engine = await engineOf(name);
    root = await mkdtemp(join(tmpdir(), `dfa-contract-${name}-`));
  });

  afterAll(async () => {
    if (handle)
      await engine.backend.down(
        { clusterId: handle.clusterId, handle, tlsDir: dirOf(handle.clusterId) },
        { logger: recorder() },
      );
    await rm(root, { recursive: true, force: true });
    const id = emulator?.instanceId;
    await emulator?.stop();
    emulator = undefined;
    if (id) expect(await emulatorLeftovers(id)).toEqual([]);
    process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
  });

  test("a spec the backend cannot run is refused with a typed error, and nothing is created", async () => {
    const bad = spec(engine.bad.input);
    if (engine.bad.refusedBy === "validate") expect(() => engine.backend.validate(bad)).toThrow(ClusterConfigError);
    else expect(() => engine.backend.validate(bad)).not.toThrow();
    const seen: PartialCluster[] = [];
    const refused = await engine.backend
      .up(bad, { logger: recorder(), tlsDir: dirOf(bad.clusterId), onPartial: (p) => seen.push(p) })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(CoreError.isInstance(refused), String(refused)).toBe(true);
    expect(seen).toEqual([]);
    expect(await engine.leftovers(bad.clusterId)).toEqual([]);
  });

  test("the plan is typed by backend and names the cluster", () => {
    const s = spec({ workers: 12 });
    const plan = engine.backend.plan(s);
    expect(plan.backend).toBe(name);
    expect(plan.clusterId).toBe(s.clusterId);
    if (plan.backend === "docker") expect(plan.workers.map((w) => w.name)).toHaveLength(12);
    else expect(plan.workerRuns.map((r) => r.count)).toEqual([10, 2]);
  });

  test("up returns a handle of its own backend once ready; partial starts carry the backend", async () => {
    const s = spec();
    handle = await engine.backend.up(s, {
      logger: recorder(),
      tlsDir: dirOf(s.clusterId),
      onPartial: (p) => partials.push(p),
    });
    expect(handle.backend).toBe(name);
    expect(handle.clusterId).toBe(s.clusterId);
    expect(handle.schedulerAddress).toMatch(/^tls:\/\/.+:8786$/);
    expect(handle.spec.workers).toBe(1);
    expect(partials.length).toBeGreaterThan(0);
    expect(new Set(partials.map((p) => p.backend))).toEqual(new Set([name]));
    if (handle.backend === "fargate") expect(handle.fargate.workerTaskArns).toHaveLength(1);
    else expect(handle.fargate).toBeUndefined();
    // The handle is what the CLI and the action save: it survives JSON.
    expect(JSON.parse(JSON.stringify(handle))).toEqual(handle);
  });

  test("a job in the cluster returns its command's exit code", async () => {
    const job = (command: string) =>
      runClusterJob(engine.backend, handle, { command, runsOn: "cluster", workdir: examples }, { logger: recorder() });
    expect((await job("exit 3")).exitCode).toBe(3);
    expect((await job("true")).exitCode).toBe(0);
  });

  test("a job on the runner runs here when the scheduler is reachable from here, and is refused clearly when not", async () => {
    const run = runClusterJob(
      engine.backend,
      handle,
      { command: "exit 5", runsOn: "runner", workdir: examples },
      { logger: recorder() },
    );
    if (handle.clientSchedulerAddress) expect((await run).exitCode).toBe(5);
    else await expect(run).rejects.toThrow(/job-runs-on: cluster/);
  });

  test("scale 1 → 2 → 1 takes the abort signal, and an aborted scale starts nothing", async () => {
    const aborted = AbortSignal.abort();
    await expect(engine.backend.scale(handle, 3, { logger: recorder(), signal: aborted })).rejects.toThrow();
    const signal = new AbortController().signal;
    handle = await engine.backend.scale(handle, 2, { logger: recorder(), signal });
    expect(handle.spec.workers).toBe(2);
    if (handle.backend === "fargate") expect(handle.fargate.workerTaskArns).toHaveLength(2);
    handle = await engine.backend.scale(handle, 1, { logger: recorder(), signal });
    expect(handle.spec.workers).toBe(1);
  });

  test("logs lists the scheduler's output", async () => {
    const logs = await engine.backend.logs(handle.clusterId, { tail: 20 });
    expect(
      logs.some((l) => l.member.includes("scheduler") && l.lines.length > 0),
      JSON.stringify(logs.map((l) => l.member)),
    ).toBe(true);
  });

  test("down removes everything, and a second down finds nothing", async () => {
    const report = await engine.backend.down(
      { clusterId: handle.clusterId, handle, tlsDir: dirOf(handle.clusterId) },
      { logger: recorder() },
    );
    expect(report.removed.length).toBeGreaterThan(0);
    expect(await engine.leftovers(handle.clusterId)).toEqual([]);
    expect((await engine.backend.down({ clusterId: handle.clusterId }, { logger: recorder() })).removed).toEqual([]);
    handle = undefined as unknown as ClusterHandle;
  });

  test("readiness has the same names on both: registered is reached, or refused before anything is created", async () => {
    const s = spec();
    const seen: PartialCluster[] = [];
    const outcome = await engine.backend
      .up(s, {
        logger: recorder(),
        tlsDir: dirOf(s.clusterId),
        readiness: "registered",
        onPartial: (p) => seen.push(p),
      })
      .then(
        (h) => h,
        (error: unknown) => error,
      );
    if (name === "docker") {
      const started = outcome as ClusterHandle;
      expect(started.backend).toBe("docker");
      await engine.backend.down(
        { clusterId: s.clusterId, handle: started, tlsDir: dirOf(s.clusterId) },
        { logger: recorder() },
      );
    } else {
      // The emulator's tasks have no public IP: the dashboard cannot be read from here.
      expect(ClusterConfigError.isInstance(outcome), String(outcome)).toBe(true);
      expect(String(outcome)).toMatch(/registered readiness .* client-cidr/);
      expect(seen).toEqual([]);
    }
    expect(await engine.leftovers(s.clusterId)).toEqual([]);
  });
});
