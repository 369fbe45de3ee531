import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { node24 } from "./integration/node24.js";
import { runnerCommands, runnerStep } from "./integration/runner.js";

// Issue 14: a cancelled workflow run sends the step SIGINT or SIGTERM. The bundle, on the runner's Node 24, gets
// each signal in each phase of `command: run` on the docker backend, sent when the step prints that phase's line
// (no fixed sleeps). Each run must end with exit code 130, a warning at the signal and a failure message naming
// the phase and the signal, nothing of the cluster left on the engine (by the cluster-id label), and a post step
// that finds nothing to do. The job's files reach output-dir through a mount on this backend, inside the job
// phase: there is no separate outputs phase to interrupt here (Fargate's is in fargate-emulator.itest.ts).
const docker = new Docker();
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const github = {
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_WORKFLOW: "nightly",
  GITHUB_JOB: "train",
  GITHUB_RUN_ATTEMPT: "1",
};
const small = { backend: "docker", workers: "1", "worker-memory": "1536MiB", "scheduler-memory": "1GB" };
let node: string;

beforeAll(async () => {
  node = await node24();
});

async function leftovers(clusterId: string): Promise<string[]> {
  const filters = { label: [`io.dask-fargate-action.cluster-id=${clusterId}`] };
  return [
    ...(await docker.listContainers({ all: true, filters })).map((c) => `container ${c.Names[0] ?? c.Id}`),
    ...(await docker.listNetworks({ filters })).map((n) => `network ${n.Name}`),
  ];
}

interface PhaseCase {
  readonly phase: "image" | "up" | "job" | "down";
  /** The step's inputs besides the cluster id and the small docker cluster. */
  readonly inputs: Record<string, string>;
  /** Whether the step's output so far shows the phase under way. */
  readonly reached: (stdout: string) => boolean;
  /** What the step's failure message says became of the cluster. */
  readonly outcome: string;
}

const cases: PhaseCase[] = [
  {
    // force: a real build (from the engine's layer cache), which runs to its end; nothing is started after it.
    phase: "image",
    inputs: {
      "environment-file": join(examples, "requirements.txt"),
      "base-image": inject("daskImage"),
      force: "true",
      "job-command": "true",
    },
    reached: (stdout) => stdout.includes("::group::Image"),
    outcome: "no cluster was created",
  },
  {
    // The containers exist and the start waits for the workers: the start is aborted and what it made removed.
    phase: "up",
    inputs: { image: inject("daskImage"), "job-command": "true" },
    reached: (stdout) =>
      stdout.includes("::group::Start cluster") &&
      /workers running/.test(stdout.split("::group::Start cluster")[1] ?? ""),
    outcome: "the cluster was removed",
  },
  {
    phase: "job",
    inputs: { image: inject("daskImage"), "job-command": "echo job-is-running; sleep 600" },
    reached: (stdout) =>
      stdout.includes("::group::Job: ") && (stdout.split("::group::Job: ")[1] ?? "").includes("\njob-is-running"),
    outcome: "the job was stopped and the cluster removed",
  },
  {
    // The teardown does not take the signal: it goes on to its end.
    phase: "down",
    inputs: { image: inject("daskImage"), "job-command": "true" },
    reached: (stdout) => stdout.includes("::group::Teardown"),
    outcome: "the teardown went on to its end",
  },
];

const runs = cases.flatMap((c) => (["SIGINT", "SIGTERM"] as const).map((signal) => ({ ...c, signal })));

describe("SIGINT and SIGTERM in each phase of command: run (docker backend, Node 24)", () => {
  test.each(runs)("$signal during the $phase phase", async ({ phase, inputs, reached, outcome, signal }) => {
    const clusterId = `sig-${phase}-${signal.toLowerCase()}-${randomBytes(2).toString("hex")}`;
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1401" }, { node });
    let sentAt: number | undefined;
    const result = await step.main(
      { command: "run", "cluster-id": clusterId, ...small, ...inputs },
      {},
      (stdout, child) => {
        if (sentAt === undefined && reached(stdout)) {
          sentAt = Date.now();
          child.kill(signal);
        }
      },
    );
    const output = result.stdout + result.stderr;
    expect(sentAt, output).toBeDefined();
    // A job of `sleep 600` was stopped, not waited for.
    expect(Date.now() - (sentAt ?? 0)).toBeLessThan(120_000);
    expect(result.code, output).toBe(130);
    // Both are workflow commands the runner acts on (a warning written while the build's or the job's output
    // streams inside a stop-commands window would otherwise be shown as plain text).
    const acted = runnerCommands(result.stdout);
    const warnings = acted.filter((c) => c.command === "warning").map((c) => c.data);
    expect(
      warnings.filter((w) => w.startsWith(`${signal} during the ${phase} phase: the run is being cancelled; `)),
      output,
    ).toHaveLength(1);
    const message = `cancelled during the ${phase} phase by ${signal}: ${outcome}`;
    expect(acted.filter((c) => c.command === "error").map((c) => c.data)).toEqual([message]);
    expect(await step.summary()).toContain(`| outcome | ${message} |`);
    expect(await leftovers(clusterId)).toEqual([]);
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain("post: nothing to tear down");
    expect(await leftovers(clusterId)).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });
});
