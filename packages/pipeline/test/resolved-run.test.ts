import type { AwsClients } from "@dask-fargate-action/core";
import type Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { type RunPhase, type RunRequest, resolveRun, runPipeline, withImage } from "../src/index.js";

const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

/** AWS clients that answer every request with an error: the start fails before it creates anything. */
const offlineClients = new Proxy(
  {},
  {
    get: (_target, name) =>
      name === "then" ? undefined : { send: async () => Promise.reject(new Error(`offline: ${String(name)}`)) },
  },
) as AwsClients;

/** A Docker Engine client that answers every call with an error. */
const offlineDocker = new Proxy(
  {},
  {
    get: (_target, name) =>
      name === "then"
        ? undefined
        : () => {
            throw new Error(`engine gone: ${String(name)}`);
          },
  },
) as unknown as Docker;

const fargateRequest: RunRequest = {
  backend: "fargate",
  settings: { fargate: { region: "us-east-1", spotWorkers: true }, clients: offlineClients },
  cluster: { workers: 2 },
  image: { image: "registry.example/dask:1", record: false },
  tlsDirFor: (id) => `/nonexistent/${id}`,
  job: { command: "true", runsOn: "runner", workdir: "." },
};

describe("one resolved run", () => {
  test("resolveRun applies every default once and changes nothing but the image after the image phase", () => {
    const run = resolveRun({
      ...fargateRequest,
      image: { environmentFile: "environment.yml", image: "registry.example/dask" },
    });
    expect(Object.isFrozen(run) && Object.isFrozen(run.cluster) && Object.isFrozen(run.backendSpec)).toBe(true);
    expect(run.backendSpec).toMatchObject({
      backend: "fargate",
      fargate: { architecture: "X86_64", platformVersion: "LATEST", spotWorkers: true },
    });
    expect(run.cluster.image).toBe("registry.example/dask");
    expect(run.tlsDir).toBe(`/nonexistent/${run.cluster.clusterId}`);
    const built = withImage(run, "registry.example/dask:env-0123@sha256:abc");
    expect(built.cluster).toEqual({ ...run.cluster, image: "registry.example/dask:env-0123@sha256:abc" });
    expect(built.backendSpec).toBe(run.backendSpec);
    expect(built.job).toBe(run.job);
  });

  // That the start uses the very spec resolveRun made (no second resolution below the pipeline) is proven on the
  // emulator: fault-matrix-emulator.itest.ts compares the started handle's Fargate spec with the run's by identity.
  test("a Fargate run fails in its up phase with the run's resolved backend spec in its result", async () => {
    const result = await runPipeline(fargateRequest, { logger: quiet, signal: new AbortController().signal });
    // The start reached AWS (and failed there, offline): every verb that needs the Fargate spec had run by then.
    expect(result.ending, result.message).toBe("error");
    expect(result.failedPhase).toBe("up");
    expect(result.message).toContain("offline");
    expect(result.run.backendSpec.backend).toBe("fargate");
  });
});

describe("phases and the teardown in the result", () => {
  test("the hooks hear each phase by its name, whatever its title says", async () => {
    const seen: [RunPhase, string][] = [];
    const result = await runPipeline(
      {
        backend: "docker",
        settings: { docker: offlineDocker },
        cluster: { workers: 1 },
        image: { image: "dask:1", record: false },
        tlsDirFor: (id) => `/nonexistent/${id}`,
        job: { command: "python3 train.py", runsOn: "cluster", workdir: "." },
      },
      {
        logger: quiet,
        signal: new AbortController().signal,
        phase: (phase, title, work) => {
          seen.push([phase, title]);
          return work();
        },
      },
    );
    expect(seen.map(([phase]) => phase)).toEqual(["image", "up"]);
    expect(seen[1]?.[1]).toMatch(/^Start cluster /);
    expect(result.ending).toBe("error");
    // The start failed before it created anything: nothing to remove.
    expect(result.teardown).toEqual({ state: "not needed" });
  });

  test("a failed teardown is in the result with its own error, also after an earlier failure", async () => {
    const phases: RunPhase[] = [];
    const result = await runPipeline(
      {
        backend: "docker",
        settings: { docker: offlineDocker },
        cluster: { workers: 1 },
        image: { image: "dask:1", record: false },
        tlsDirFor: (id) => `/nonexistent/${id}`,
        job: { command: "true", runsOn: "cluster", workdir: "." },
        // A re-run's replacement removes first: it fails at the engine, and so does the teardown after it.
        replaceExisting: true,
      },
      {
        logger: quiet,
        signal: new AbortController().signal,
        phase: (phase, _title, work) => {
          phases.push(phase);
          return work();
        },
      },
    );
    expect(phases).toEqual(["image", "up", "down"]);
    expect(result.ending).toBe("error");
    expect(result.failedPhase).toBe("up");
    expect(result.teardown.state).toBe("failed");
    expect(result.teardown.state === "failed" && String(result.teardown.error)).toContain("engine gone");
    expect(result.teardown.state === "failed" && result.teardown.error).not.toBe(result.error);
  });
});
