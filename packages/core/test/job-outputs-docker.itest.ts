import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  type ClusterHandle,
  downDockerCluster,
  newClusterId,
  resolveClusterSpec,
  runDockerJob,
  upDockerCluster,
} from "../src/index.js";
import { docker, leftovers, recorder } from "./integration/helpers.js";

/**
 * Job outputs on the real Docker Engine: the output directory is a writable bind mount at DFA_OUTPUT_DIR of the
 * job container, which runs as the image's user. A derived image runs as uid 4321 (not this process's user):
 * what it writes comes back with this process's ownership, readable, also when the job fails.
 */
const run = promisify(execFile);
const image = inject("daskImage");
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const nonRootImage = `dfa-outputs-nonroot:${process.pid}`;
const clusterId = newClusterId();
let handle: ClusterHandle;
let scratch = "";

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "dfa-docker-outputs-"));
  // Same layers as the cluster's image, another user: no pull, no network.
  await new Promise<void>((resolve, reject) => {
    const child = execFile("docker", ["build", "-q", "-t", nonRootImage, "-"], (error) =>
      error ? reject(error) : resolve(),
    );
    child.stdin?.end(`FROM ${image}\nUSER 4321:4321\n`);
  });
  handle = await upDockerCluster(
    resolveClusterSpec({ image, clusterId, workers: 1, schedulerMemory: "1GB", workerMemory: "1536MiB", tls: true }),
    {
      logger: recorder(),
    },
  );
});

afterAll(async () => {
  await downDockerCluster(clusterId, { tlsDir: handle?.tlsDir });
  await run("docker", ["image", "rm", nonRootImage]).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

describe("a Docker job container's outputs land in outputDir", () => {
  test("a job running as another uid writes a model and metrics, exits 3: the files are here, ours, with their content", async () => {
    const outputDir = join(scratch, "nonroot", "out");
    const lines: string[] = [];
    const asOtherUser: ClusterHandle = { ...handle, spec: { ...handle.spec, image: nonRootImage } };
    const result = await runDockerJob(asOtherUser, {
      command:
        'id -u; mkdir -p "$DFA_OUTPUT_DIR/metrics" && printf "{\\"rmse\\": 0.5}" > "$DFA_OUTPUT_DIR/metrics/metrics.json" && printf model > "$DFA_OUTPUT_DIR/model.json"; exit 3',
      runsOn: "cluster",
      workdir: scratch,
      outputDir,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(3);
    expect(lines).toContain("4321");
    expect(result.outputs).toEqual({
      dir: outputDir,
      files: [
        { path: "metrics/metrics.json", bytes: 13 },
        { path: "model.json", bytes: 5 },
      ],
    });
    expect(await readFile(join(outputDir, "model.json"), "utf8")).toBe("model");
    expect(JSON.parse(await readFile(join(outputDir, "metrics", "metrics.json"), "utf8"))).toEqual({ rmse: 0.5 });
    for (const path of [
      outputDir,
      join(outputDir, "metrics"),
      join(outputDir, "model.json"),
      join(outputDir, "metrics", "metrics.json"),
    ]) {
      const info = await stat(path);
      expect(info.uid, path).toBe(process.getuid?.());
      expect(info.mode & 0o444, path).toBe(0o444);
    }
    // The directory's mode is put back after the job (it was opened to the container's user only meanwhile).
    expect((await stat(outputDir)).mode & 0o777).toBe(0o755);
  });

  test("the image's own user (root here) writes into an existing directory; the job container and the chown helper are gone", async () => {
    const outputDir = join(scratch, "root-out");
    const result = await runDockerJob(handle, {
      command: 'echo "$DFA_OUTPUT_DIR" > "$DFA_OUTPUT_DIR/where.txt"',
      runsOn: "cluster",
      workdir: scratch,
      outputDir,
    });
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(outputDir, "where.txt"), "utf8")).toBe("/tmp/dask-fargate-output\n");
    const jobs = await docker.listContainers({
      all: true,
      filters: { label: [`io.dask-fargate-action.cluster-id=${clusterId}`, "io.dask-fargate-action.role=job"] },
    });
    expect(jobs).toEqual([]);
  });

  test("links, pipes and sockets the job leaves are removed and reported: only regular files come back (issue 20)", async () => {
    const outputDir = join(scratch, "links", "out");
    const lines: string[] = [];
    const logger = recorder();
    const result = await runDockerJob(
      handle,
      {
        command: [
          'echo ok > "$DFA_OUTPUT_DIR/ok.txt"',
          'ln -s /etc/hostname "$DFA_OUTPUT_DIR/leak"',
          'mkdir "$DFA_OUTPUT_DIR/sub" && ln -s / "$DFA_OUTPUT_DIR/sub/root"',
          'mkfifo "$DFA_OUTPUT_DIR/pipe"',
          "python3 -c \"import socket,os; socket.socket(socket.AF_UNIX).bind(os.environ['DFA_OUTPUT_DIR'] + '/sock')\"",
        ].join(" && "),
        runsOn: "cluster",
        workdir: scratch,
        outputDir,
        onOutput: (l) => lines.push(l),
      },
      { logger },
    );
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(result.outputs?.files).toEqual([{ path: "ok.txt", bytes: 3 }]);
    expect(result.outputs?.skipped).toEqual([
      { path: "leak", reason: "symbolic link" },
      { path: "pipe", reason: "named pipe" },
      { path: "sock", reason: "socket" },
      { path: "sub/root", reason: "symbolic link" },
    ]);
    // On the runner: nothing but the regular file and the directory is left for an upload step to follow.
    const left = (await run("find", [outputDir, "-mindepth", "1", "-printf", "%P %y\n"])).stdout
      .trim()
      .split("\n")
      .sort();
    expect(left).toEqual(["ok.txt f", "sub d"]);
    expect(logger.lines).toContain(
      "warning: removed leak (a symbolic link) from the job's output directory: only regular files come back",
    );
  });

  test("the job does not see the working directory's .git: a checkout's persisted token in .git/config stays on the runner (issue 20)", async () => {
    const workdir = join(scratch, "checkout");
    await mkdir(join(workdir, ".git"), { recursive: true });
    await writeFile(
      join(workdir, ".git", "config"),
      '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n',
    );
    await mkdir(join(workdir, "nested"), { recursive: true });
    await writeFile(join(workdir, "nested", ".git"), "gitdir: ../.git/worktrees/nested\n");
    await writeFile(join(workdir, "train.py"), "print('hello')\n");
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command:
        "cat train.py; ls -A .git | wc -l; cat .git/config || echo no-config; wc -c < nested/.git; cat nested/.git",
      runsOn: "cluster",
      workdir,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines).toContain("print('hello')");
    expect(lines).toContain("no-config");
    expect(lines.filter((l) => l.trim() === "0")).toHaveLength(2);
    expect(lines.join("\n")).not.toContain("extraheader");
    expect(lines.join("\n")).not.toContain("gitdir");
    // The runner's files are untouched.
    expect(await readFile(join(workdir, ".git", "config"), "utf8")).toContain("extraheader");
  });

  test("without outputDir the job still gets DFA_OUTPUT_DIR, a directory inside its container", async () => {
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command: 'test -d "$DFA_OUTPUT_DIR" && echo "ok $DFA_OUTPUT_DIR"',
      runsOn: "cluster",
      workdir: scratch,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(lines).toContain("ok /tmp/dask-fargate-output");
    expect(result.outputs).toBeUndefined();
  });

  test("examples/train_xgboost.py in the cluster leaves its model and metrics in outputDir", async () => {
    const outputDir = join(scratch, "xgboost");
    const lines: string[] = [];
    const result = await runDockerJob(handle, {
      command: "python3 train_xgboost.py --rows 20000 --rounds 5",
      runsOn: "cluster",
      workdir: examples,
      outputDir,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(result.outputs?.files.map((f) => f.path)).toEqual([
      "metrics.jsonl",
      "xgboost-metrics.json",
      "xgboost-model.json",
    ]);
    const metrics = JSON.parse(await readFile(join(outputDir, "xgboost-metrics.json"), "utf8")) as {
      final_valid_logloss: number;
      valid_logloss: number[];
    };
    expect(metrics.valid_logloss).toHaveLength(5);
    expect(lines).toContain(`final valid-logloss ${metrics.final_valid_logloss.toFixed(6)}`);
    expect(JSON.parse(await readFile(join(outputDir, "xgboost-model.json"), "utf8"))).toHaveProperty("learner");
  });

  test("teardown leaves nothing", async () => {
    await downDockerCluster(clusterId, { tlsDir: handle.tlsDir });
    expect(await leftovers(clusterId)).toEqual([]);
  });
});
