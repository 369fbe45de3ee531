import {
  ClusterConfigError,
  checkJobOverrides,
  resolveClusterSpec,
  resolveFargateSpec,
} from "@dask-fargate-action/core";
import { describe, expect, test } from "vitest";
import { FARGATE_OUTPUTS_STAY } from "../src/fargate-job-checks.js";
import {
  checkImageRequest,
  formatBytes,
  hourlyCostOf,
  jobDeadline,
  outputDirFor,
  parseJobTimeout,
  registryCredentialsFor,
  runPipeline,
} from "../src/index.js";

const refused = (work: () => unknown, field: string) => {
  try {
    work();
  } catch (error) {
    expect(ClusterConfigError.isInstance(error)).toBe(true);
    expect((error as ClusterConfigError).field).toBe(field);
    return (error as Error).message;
  }
  throw new Error("not refused");
};

describe("job-timeout", () => {
  test.each([
    ["5400", 5400],
    ["90m", 5400],
    ["2h", 7200],
    ["45s", 45],
    [" 10 ", 10],
  ])("%s is %i seconds", (text, seconds) => {
    expect(parseJobTimeout(text)).toBe(seconds);
  });
  test("empty means no limit", () => {
    expect(parseJobTimeout(undefined)).toBeUndefined();
    expect(parseJobTimeout("")).toBeUndefined();
  });
  test.each(["0", "-5", "1.5h", "ten minutes", "5d", "90 min"])(
    "%s is refused, naming the input and the forms",
    (text) => {
      expect(refused(() => parseJobTimeout(text), "job-timeout")).toContain("90m");
    },
  );
  test("the deadline aborts the job's signal and says it timed out; an interruption is not a timeout", async () => {
    const run = new AbortController();
    const limited = jobDeadline(run.signal, 0.05);
    await new Promise((r) => setTimeout(r, 120));
    expect(limited.signal.aborted).toBe(true);
    expect(limited.timedOut()).toBe(true);
    const interrupted = jobDeadline(run.signal, 60);
    run.abort();
    expect(interrupted.signal.aborted).toBe(true);
    expect(interrupted.timedOut()).toBe(false);
    interrupted.dispose();
  });
});

describe("image request", () => {
  test("Fargate refuses a build without a repository or with push off, before anything is built", () => {
    expect(refused(() => checkImageRequest({ environmentFile: "environment.yml" }, "fargate"), "image")).toContain(
      "pulls the image from a registry",
    );
    expect(
      refused(
        () =>
          checkImageRequest(
            { environmentFile: "environment.yml", image: "registry.example/dask", push: false },
            "fargate",
          ),
        "image",
      ),
    ).toContain("keep push on");
    expect(() =>
      checkImageRequest({ environmentFile: "environment.yml", image: "registry.example/dask" }, "fargate"),
    ).not.toThrow();
    expect(() => checkImageRequest({ environmentFile: "environment.yml" }, "docker")).not.toThrow();
  });
  test("an environment file and a Dockerfile at once are the front ends' to refuse: here a programming error", () => {
    expect(() => checkImageRequest({ environmentFile: "environment.yml", dockerfile: "Dockerfile" }, "docker")).toThrow(
      /both an environment file and a Dockerfile: the front end refuses that/,
    );
  });
  test("no source needs an image; a context needs a Dockerfile", () => {
    expect(refused(() => checkImageRequest({}, "docker"), "image")).toContain("environment-file or dockerfile");
    expect(refused(() => checkImageRequest({ context: ".", image: "x" }, "docker"), "context")).toContain("dockerfile");
  });
  test("registry login: user and password, else ECR by its host, else anonymous", () => {
    expect(registryCredentialsFor("ghcr.io/org/dask", { username: "u", password: "p" })).toEqual({
      kind: "basic",
      username: "u",
      password: "p",
    });
    expect(registryCredentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com/dask", {})).toEqual({ kind: "ecr" });
    expect(registryCredentialsFor("ghcr.io/org/dask", {})).toBeUndefined();
    expect(registryCredentialsFor(undefined, { username: "u" })).toBeUndefined();
  });
});

describe("cost", () => {
  const spec = resolveClusterSpec({ image: "x", workers: 4 });
  test("a job in the cluster adds one scheduler-sized task (and its public address) to the hourly price", () => {
    const fargate = { backend: "fargate", fargate: resolveFargateSpec({ region: "us-east-1" }, spec) } as const;
    const without = hourlyCostOf(fargate, spec, false);
    const withJob = hourlyCostOf(fargate, spec, true);
    const task = spec.schedulerCpu * 0.04048 + (spec.schedulerMemory / 1024) * 0.004445 + 0.005;
    expect((withJob?.usd ?? 0) - (without?.usd ?? 0)).toBeCloseTo(task, 6);
    expect(withJob?.method).toContain("+ 1 job task");
    expect(hourlyCostOf({ backend: "docker" }, spec, true)).toBeUndefined();
  });
  test.each([
    [999, "999 B"],
    [2048, "2.0 kB"],
    [12_345_678, "12.3 MB"],
  ])("%i bytes read %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("output directory", () => {
  const fargate = { fargate: { region: "us-east-1" } };
  test("a job in a Fargate cluster gets a default output directory only with output-uri; elsewhere always", () => {
    expect(outputDirFor("fargate", fargate, "cluster", undefined, "out")).toBeUndefined();
    expect(
      outputDirFor(
        "fargate",
        { fargate: { region: "us-east-1", outputUri: "s3://team-models/p" } },
        "cluster",
        undefined,
        "out",
      ),
    ).toBe("out");
    expect(outputDirFor("fargate", fargate, "runner", undefined, "out")).toBe("out");
    expect(outputDirFor("docker", {}, "cluster", undefined, "out")).toBe("out");
    expect(outputDirFor("fargate", fargate, "cluster", "mine", "out")).toBe("mine");
  });
});

test("an output-dir for a job in a Fargate cluster without output-uri is refused before anything is sent", async () => {
  const sent: string[] = [];
  const run = runPipeline(
    {
      backend: "fargate",
      settings: { fargate: { region: "us-east-1" } },
      cluster: { workers: 1 },
      image: { image: "registry.example/dask:1" },
      tlsDirFor: () => "unused",
      job: { command: "true", runsOn: "cluster", workdir: ".", outputDir: "out" },
    },
    {
      logger: { info: (m) => void sent.push(m), warn: (m) => void sent.push(m), debug: () => {} },
      signal: new AbortController().signal,
    },
  );
  await expect(run).rejects.toSatisfy(
    (error) => ClusterConfigError.isInstance(error) && (error as ClusterConfigError).field === "output-uri",
  );
  expect(sent).toEqual([]);
});

test("adaptive workers without a job (up) are refused before anything is sent; with a job the overrides count the sidecar", async () => {
  const sent: string[] = [];
  const logger = { info: (m: string) => void sent.push(m), warn: (m: string) => void sent.push(m), debug: () => {} };
  const up = runPipeline(
    {
      backend: "docker",
      settings: {},
      cluster: { workers: "2-8" },
      image: { image: "dask:1" },
      tlsDirFor: () => "unused",
    },
    { logger, signal: AbortSignal.abort() },
  );
  await expect(up).rejects.toSatisfy(
    (error) =>
      ClusterConfigError.isInstance(error) &&
      (error as ClusterConfigError).field === "workers" &&
      /write workers: 8/.test((error as Error).message),
  );
  const bad = runPipeline(
    {
      backend: "docker",
      settings: {},
      cluster: { workers: "16-2" },
      image: { image: "dask:1" },
      tlsDirFor: () => "unused",
      job: { command: "true", runsOn: "cluster", workdir: "." },
    },
    { logger, signal: AbortSignal.abort() },
  );
  await expect(bad).rejects.toSatisfy(
    (error) => ClusterConfigError.isInstance(error) && (error as ClusterConfigError).field === "workers",
  );
  // The sidecar travels in the job task's overrides: a command that fits a fixed cluster's can be too long for an adaptive one's.
  const command = `python3 -c "${"x".repeat(6000)}"`;
  expect(() => checkJobOverrides(resolveClusterSpec({ image: "d:1", workers: 1 }), command)).not.toThrow();
  expect(
    refused(() => checkJobOverrides(resolveClusterSpec({ image: "d:1", workers: "1-4" }), command), "job-command"),
  ).toMatch(/over ECS's limit of 8192/);
  expect(sent).toEqual([]);
});

test("a job command too long for RunTask's overrides on Fargate is refused before anything is sent", async () => {
  const sent: string[] = [];
  const request = (command: string) =>
    runPipeline(
      {
        backend: "fargate",
        settings: { fargate: { region: "us-east-1" } },
        cluster: { workers: 1 },
        image: { image: "registry.example/dask:1" },
        tlsDirFor: () => "unused",
        job: { command, runsOn: "cluster", workdir: "." },
      },
      {
        logger: { info: (m) => void sent.push(m), warn: (m) => void sent.push(m), debug: () => {} },
        signal: AbortSignal.abort(),
      },
    );
  await expect(request(`python3 -c "${"x".repeat(8000)}"`)).rejects.toSatisfy(
    (error) =>
      ClusterConfigError.isInstance(error) &&
      (error as ClusterConfigError).field === "job-command" &&
      /over ECS's limit of 8192/.test((error as Error).message),
  );
  expect(sent).toEqual([]);
});

describe("a job in a Fargate cluster", () => {
  const fargateRun = (
    job: { command: string; runsOn: "cluster" | "runner"; workdir: string },
    outputUri: string | undefined,
    sent: string[],
  ) =>
    runPipeline(
      {
        backend: "fargate",
        settings: { fargate: { region: "us-east-1", ...(outputUri ? { outputUri } : {}) } },
        cluster: { workers: 1 },
        image: { image: "registry.example/dask:1" },
        tlsDirFor: () => "unused",
        job,
      },
      // Interrupted from the start: the run ends before its image phase, so nothing is sent anywhere.
      {
        logger: {
          info: (m) => void sent.push(`info: ${m}`),
          warn: (m) => void sent.push(`warn: ${m}`),
          debug: () => {},
        },
        signal: AbortSignal.abort(),
      },
    );

  test("job-workdir other than the current directory is refused with the fix, before anything is sent", async () => {
    const sent: string[] = [];
    await expect(
      fargateRun(
        { command: "python3 train_xgboost.py", runsOn: "cluster", workdir: "examples" },
        "s3://team-models/p",
        sent,
      ),
    ).rejects.toSatisfy(
      (error) =>
        ClusterConfigError.isInstance(error) &&
        (error as ClusterConfigError).field === "job-workdir" &&
        /bake the code into the image .* or run the job here \(job-runs-on: runner\)/.test((error as Error).message),
    );
    expect(sent).toEqual([]);
    // The current directory (the action's default ".") and a job on the runner are fine.
    await expect(
      fargateRun({ command: "true", runsOn: "cluster", workdir: process.cwd() }, "s3://team-models/p", []),
    ).resolves.toMatchObject({
      ending: "interrupted",
    });
    await expect(
      fargateRun({ command: "true", runsOn: "runner", workdir: "examples" }, undefined, []),
    ).resolves.toMatchObject({ ending: "interrupted" });
  });

  test("without output-uri the run warns before it starts that DFA_OUTPUT_DIR stays in the task; with it, no warning", async () => {
    const sent: string[] = [];
    await fargateRun({ command: "true", runsOn: "cluster", workdir: "." }, undefined, sent);
    expect(sent[0]).toBe(`warn: ${FARGATE_OUTPUTS_STAY}`);
    expect(FARGATE_OUTPUTS_STAY).toContain("DFA_OUTPUT_DIR stays in that task");
    const withUri: string[] = [];
    await fargateRun({ command: "true", runsOn: "cluster", workdir: "." }, "s3://team-models/p", withUri);
    expect(withUri.filter((m) => m.includes("output-uri"))).toEqual([]);
  });
});
