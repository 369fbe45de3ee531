import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { ClusterHandle } from "../src/cluster.js";
import { resolveClusterSpec } from "../src/index.js";
import { runJobOnRunner } from "../src/runner-job.js";
import { resolveJobUser } from "../src/runner-user.js";

const handle = (tls: boolean): ClusterHandle => ({
  backend: "docker",
  clusterId: "c1",
  spec: resolveClusterSpec({ image: "dask:1", clusterId: "c1", tls, environment: { FROM_SPEC: "spec" } }),
  schedulerAddress: "tls://c1-scheduler:8786",
  clientSchedulerAddress: "tls://127.0.0.1:40001",
  dashboardUrl: undefined,
  clientTlsFiles: tls ? { ca: "/state/ca.pem", cert: "/state/client.pem", key: "/state/client-key.pem" } : undefined,
  memberTlsFiles: undefined,
  tlsDir: "/state",
  createdAt: "2026-11-26T00:00:00.000Z",
  expiresAt: "2026-11-26T06:00:00.000Z",
});

/** What the action's process has on a GitHub runner: tokens, inputs and file-command paths among the ordinary variables. */
const planted: Record<string, string> = {
  "INPUT_REGISTRY-PASSWORD": "planted-registry-password",
  INPUT_WORKERS: "2",
  ACTIONS_RUNTIME_TOKEN: "planted-runtime-token",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "planted-id-token",
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.example/",
  ACTIONS_RESULTS_URL: "https://results.example/",
  GITHUB_TOKEN: "planted-github-token",
  GITHUB_ENV: "/runner/file-commands/set_env",
  GITHUB_OUTPUT: "/runner/file-commands/set_output",
  GITHUB_STATE: "/runner/file-commands/save_state",
  GITHUB_PATH: "/runner/file-commands/add_path",
  GITHUB_STEP_SUMMARY: "/runner/file-commands/step_summary",
  STATE_cluster: "{}",
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  RUNNER_TEMP: "/runner/temp",
  RUNNER_OS: "Linux",
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "aws-secret",
  AWS_SESSION_TOKEN: "aws-session",
  AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/token",
  LC_ALL: "C.UTF-8",
  WANDB_API_KEY: "passed-only-when-named",
  DASK_SCHEDULER_ADDRESS: "tcp://stale:8786",
};

describe("a job on the runner", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  test("inherits only the allow-listed environment: no INPUT_*, ACTIONS_*, tokens or file-command paths (a real process prints it)", async () => {
    Object.assign(process.env, planted);
    const lines: string[] = [];
    // /proc/$$/environ is what the shell was started with, whatever the shell itself imports (dash drops `INPUT_REGISTRY-PASSWORD`, bash keeps it).
    const result = await runJobOnRunner(handle(true), {
      command: "tr '\\0' '\\n' < /proc/$$/environ",
      runsOn: "runner",
      workdir: ".",
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(0);
    const env = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    const names = Object.keys(env);
    expect(names.filter((n) => /^(INPUT_|ACTIONS_|STATE_)/.test(n))).toEqual([]);
    expect(lines.join("\n")).not.toMatch(/planted-/);
    for (const name of [
      "GITHUB_TOKEN",
      "GITHUB_ENV",
      "GITHUB_OUTPUT",
      "GITHUB_STATE",
      "GITHUB_PATH",
      "GITHUB_STEP_SUMMARY",
      "WANDB_API_KEY",
    ]) {
      expect(names, name).not.toContain(name);
    }
    expect(env).toMatchObject({
      PATH: process.env["PATH"],
      GITHUB_REPOSITORY: "org/repo",
      GITHUB_SHA: planted["GITHUB_SHA"],
      RUNNER_TEMP: "/runner/temp",
      RUNNER_OS: "Linux",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "aws-secret",
      AWS_SESSION_TOKEN: "aws-session",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/token",
      LC_ALL: "C.UTF-8",
      FROM_SPEC: "spec",
      DASK_SCHEDULER_ADDRESS: "tls://127.0.0.1:40001",
      DFA_EXPECTED_WORKERS: "2",
      DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY: "/state/client-key.pem",
    });
  });

  test("inherits the variables named in job-env, and explicit values win", async () => {
    Object.assign(process.env, planted);
    const lines: string[] = [];
    await runJobOnRunner(handle(false), {
      command: 'echo "$WANDB_API_KEY $EXPLICIT"',
      runsOn: "runner",
      workdir: ".",
      inheritEnv: ["WANDB_API_KEY", "NOT_SET_ANYWHERE"],
      environment: { EXPLICIT: "explicit" },
      onOutput: (l) => lines.push(l),
    });
    expect(lines).toEqual(["passed-only-when-named explicit"]);
  });
});

describe("a job on the runner under job-user (issue 20)", () => {
  const asRoot = process.getuid?.() === 0;

  /** The drop as root (this machine and CI run the tests as root). */
  const asNobody = async () => {
    const dir = await mkdtemp(join(tmpdir(), "dfa-job-user-"));
    await chmod(dir, 0o755);
    const state = join(dir, "state");
    await mkdir(state, { mode: 0o700 });
    const tls = { ca: join(state, "ca.pem"), cert: join(state, "client.pem"), key: join(state, "client-key.pem") };
    for (const [name, path] of Object.entries(tls)) await writeFile(path, `${name} of the client\n`, { mode: 0o600 });
    const outputDir = join(dir, "out");
    const lines: string[] = [];
    const control: string[] = [];
    try {
      // Same uid (no job-user): the parent's environment is readable, which is what job-user closes.
      const same = await runJobOnRunner(handle(true), {
        command: "tr '\\0' '\\n' < /proc/$PPID/environ | grep -c =",
        runsOn: "runner",
        workdir: dir,
        onOutput: (l) => control.push(l),
      });
      expect(same.exitCode).toBe(0);
      expect(Number(control[0])).toBeGreaterThan(0);
      const result = await runJobOnRunner(
        { ...handle(true), clientTlsFiles: tls },
        {
          command: [
            "id -u",
            "cat /proc/$PPID/environ > /dev/null 2>&1 && echo parent-environ-readable || echo parent-environ-denied",
            'cat "$DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"',
            `cat ${tls.key} 2>/dev/null || echo original-key-denied`,
            'echo model > "$DFA_OUTPUT_DIR/model.txt"',
            'echo "home=$HOME"',
          ].join("; "),
          runsOn: "runner",
          workdir: dir,
          outputDir,
          runAs: "nobody",
          onOutput: (l) => lines.push(l),
        },
      );
      expect(result.exitCode, lines.join("\n")).toBe(0);
      expect(lines[0]).toBe("65534");
      expect(lines).toContain("parent-environ-denied");
      expect(lines).toContain("key of the client");
      expect(lines).toContain("original-key-denied");
      // The outputs are the controller's again, and the job's home (its key copy) is gone.
      expect(result.outputs?.files).toEqual([{ path: "model.txt", bytes: 6 }]);
      expect((await stat(join(outputDir, "model.txt"))).uid).toBe(0);
      expect((await stat(outputDir)).uid).toBe(0);
      const home = lines.find((l) => l.startsWith("home="))?.slice(5) ?? "";
      expect(home).toMatch(/dfa-job-home-/);
      await expect(stat(home)).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  test("runs as that uid when this process is root: /proc/$PPID/environ (the controller's tokens) is unreadable, yet it reads its TLS copy and writes its outputs; refused otherwise", async () => {
    if (asRoot) await asNobody();
    else
      await expect(
        runJobOnRunner(handle(false), { command: "true", runsOn: "runner", workdir: ".", runAs: "nobody" }),
      ).rejects.toThrow(/needs this process to run as root/);
  });

  test("job-user must name an unprivileged user that exists", () => {
    const passwd = () => "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    expect(() => resolveJobUser("root", "job-user", passwd)).toThrow(/is root/);
    expect(() => resolveJobUser("0:0", "job-user", passwd)).toThrow(/is root/);
    expect(() => resolveJobUser("ghost", "job-user", passwd)).toThrow(/there is no user "ghost"/);
    expect(() => resolveJobUser("a b", "job-user", passwd)).toThrow(/neither a user name nor uid/);
  });
});
