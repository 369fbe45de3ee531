import { afterEach, describe, expect, test } from "vitest";
import type { ClusterHandle } from "../src/cluster.js";
import { resolveClusterSpec } from "../src/index.js";
import { runJobOnRunner } from "../src/runner-job.js";

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
    for (const name of ["GITHUB_TOKEN", "GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "WANDB_API_KEY"]) {
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
