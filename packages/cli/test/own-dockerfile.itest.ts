import { spawn } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILDKIT_DOCKERFILE_PROJECT } from "@dask-fargate-action/testkit/fixtures";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// A Dockerfile in the tutorial's style (tini, then its own prepare.sh ending in exec "$@") as the cluster image:
// our scheduler, worker and job commands must run through that entrypoint, since core sets only the command. It is
// written for BuildKit (cache and bind mounts, COPY --chmod, independent stages), which the legacy builder refuses:
// the CLI builds it with BuildKit through the Engine API.
const docker = new Docker();
const baseImage = inject("daskImage");
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const fixture = BUILDKIT_DOCKERFILE_PROJECT;
const trainer = fileURLToPath(new URL("../../../examples/train_xgboost.py", import.meta.url));
let repo: string;
let stateDir: string;
const builtImages: string[] = [];

/** Runs the built CLI in the temporary repository, as a user in their checkout would. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

function cliWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], {
    cwd: repo,
    env: { ...process.env, ...env, DASK_FARGATE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const CHECK = `
import os
from distributed import Client

client = Client(os.environ["DASK_SCHEDULER_ADDRESS"])
client.wait_for_workers(2, timeout=300)
prepared = lambda: os.environ.get("DFA_PREPARED", "not prepared")
print("job:", prepared())
print("scheduler:", client.run_on_scheduler(prepared))
print("workers:", sorted(client.run(prepared).values()))
print("pid 1 of a worker:", sorted(set(client.run(lambda: open("/proc/1/comm").read().strip()).values())))
client.close()
`;

beforeAll(async () => {
  repo = await realpath(await mkdtemp(join(tmpdir(), "dfa-cli-dockerfile-")));
  stateDir = join(repo, ".state");
  await cp(fixture, join(repo, "Docker_image"), { recursive: true });
  // The fixture's FROM is ${BASE}; the CLI has no build-arg flag, so the default is set to the offline base here.
  const dockerfile = join(repo, "Docker_image/Dockerfile");
  // A comment unique to this run gives a content tag of its own, so an image left by an earlier run is not reused.
  const text = (await readFile(dockerfile, "utf8")).replace(/^ARG BASE=.*$/m, `ARG BASE=${baseImage}`);
  await writeFile(dockerfile, `${text}# test run ${process.pid}-${Date.now()}\n`);
  await mkdir(join(repo, "job"));
  await copyFile(trainer, join(repo, "job/train_xgboost.py"));
  await writeFile(join(repo, "job/check_entrypoint.py"), CHECK);
});

afterAll(async () => {
  for (const image of builtImages)
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  await rm(repo, { recursive: true, force: true });
});

describe("the tutorial-style Dockerfile as the cluster image on the Docker backend", () => {
  test("build reports the content tag, then unchanged", async () => {
    const first = await cli("build", "--dockerfile", "Docker_image/Dockerfile", "--json");
    expect(first.code, first.stderr).toBe(0);
    const built = JSON.parse(first.stdout) as { status: string; image: string; notices: string[] };
    builtImages.push(built.image);
    expect(built.status).toBe("built");
    expect(built.image).toMatch(/^dask-fargate-env:dockerfile-[0-9a-f]{16}$/);
    expect(first.stderr).toContain("is not pinned by digest");
    // Built by BuildKit: its steps by stage, the bind-mount step among them.
    expect(first.stderr).toMatch(/\[runtime \d\/\d\] RUN --mount=type=bind,source=app,target=\/mnt\/app/);
    const second = await cli("build", "--dockerfile", "Docker_image/Dockerfile");
    expect(second.code, second.stderr).toBe(0);
    // The second line is what the image holds, read back from it.
    expect(second.stdout.trim().split("\n")).toEqual([
      `unchanged: ${built.image}`,
      expect.stringMatching(
        /^python 3\.11\.\d+, dask 2022\.12\.1\S*, distributed 2022\.12\.1\S*, xgboost 1\.7\.4\S*, scikit-learn \S+$/,
      ),
    ]);
  });

  test("run: scheduler, workers and the job all start through prepare.sh under tini, and XGBoost trains", async () => {
    const id = `cli-own-df-${process.pid}`;
    const result = await cli(
      "run",
      "--dockerfile",
      "Docker_image/Dockerfile",
      "--workers",
      "2",
      "--worker-memory",
      "1536MiB",
      "--scheduler-memory",
      "1GB",
      "--cluster-id",
      id,
      "--job-workdir",
      "job",
      "--job-command",
      "python3 check_entrypoint.py && python3 train_xgboost.py --rounds 5 --workers 2",
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain("job: prepared by prepare.sh");
    expect(result.stdout).toContain("scheduler: prepared by prepare.sh");
    expect(result.stdout).toContain("workers: ['prepared by prepare.sh', 'prepared by prepare.sh']");
    expect(result.stdout).toContain("pid 1 of a worker: ['tini']");
    expect(result.stdout).toMatch(/final valid-logloss 0\.\d+/);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`io.dask-fargate-action.cluster-id=${id}`] },
    });
    expect(left).toEqual([]);
  });

  test("a job on this machine is warned before it starts when its Python differs from the cluster's", async () => {
    // Real interpreters first on PATH: Debian's Python (the base image's own packages), and the same Python without
    // its site packages (-S: no dask), as a runner whose python3 lacks the cluster's versions.
    const same = join(repo, "bin-same");
    const bare = join(repo, "bin-bare");
    await mkdir(same);
    await mkdir(bare);
    await symlink("/usr/bin/python3", join(same, "python3"));
    await writeFile(join(bare, "python3"), '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
    const runOnRunner = (bin: string) =>
      cliWith(
        { PATH: `${bin}:${process.env["PATH"]}` },
        ...[
          "run",
          "--dockerfile",
          "Docker_image/Dockerfile",
          "--workers",
          "1",
          "--worker-memory",
          "1536MiB",
          "--scheduler-memory",
          "1GB",
        ],
        ...["--job-runs-on", "runner", "--job-command", "true"],
      );
    const matching = await runOnRunner(same);
    expect(matching.code, matching.stderr).toBe(0);
    expect(matching.stderr).not.toContain("other versions than the cluster");
    const differing = await runOnRunner(bare);
    expect(differing.code, differing.stderr).toBe(0);
    const warning = differing.stderr.split("\n").find((l) => l.includes("other versions than the cluster")) ?? "";
    expect(warning).toMatch(
      /the job runs on this machine \(python3 on PATH\) with other versions than the cluster: dask missing here, 2022\.12\.1\S* in the image; distributed missing here/,
    );
    // Before the job: the warning precedes the cluster start.
    expect(differing.stderr.indexOf(warning)).toBeLessThan(differing.stderr.indexOf("starting cluster"));
  });

  test("bad input exits 2 before any build: both sources, a context outside the repository", async () => {
    const both = await cli("build", "--dockerfile", "Docker_image/Dockerfile", "--environment-file", "environment.yml");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("not both");
    const outside = await cli("build", "--dockerfile", "Docker_image/Dockerfile", "--context", "..");
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/the build context "\.\." resolves to .+, outside the repository/);
  });
});
