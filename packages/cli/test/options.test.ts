import { describe, expect, test } from "vitest";
import { parseFlags } from "../src/flags.js";
import { HELP } from "../src/index.js";
import {
  backendOf,
  backendSettingsOf,
  clusterInputOf,
  jobEnvOf,
  jobRunsOnOf,
  jobUserOf,
  readinessOf,
} from "../src/options.js";

describe("flags", () => {
  test("flag names are the action's input names and map to spec fields", () => {
    const values = parseFlags("run", [
      "--image",
      "img:1",
      "--job-command",
      "python3 train.py",
      "--workers",
      "4",
      "--worker-cpu",
      "2",
      "--worker-memory",
      "8GB",
      "--scheduler-memory",
      "4GB",
      "--cluster-id",
      "c1",
      "--no-tls",
    ]);
    expect(clusterInputOf(values, "img:1")).toEqual({
      image: "img:1",
      clusterId: "c1",
      workers: "4",
      workerCpu: "2",
      workerMemory: "8GB",
      schedulerMemory: "4GB",
      tls: false,
      allowUnboundedCost: false,
    });
  });
  test("an unknown flag names itself", () => {
    expect(() => parseFlags("up", ["--wrokers", "2"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: up: unknown flag --wrokers (did you mean --workers?); see dask-fargate up --help]`,
    );
  });
  test("backend and job-runs-on accept only their values", () => {
    expect(() => backendOf(parseFlags("plan", ["--backend", "k8s"]))).toThrowErrorMatchingInlineSnapshot(
      `[InputError: backend: "k8s" is not accepted; use one of: fargate, docker]`,
    );
    expect(() =>
      jobRunsOnOf(parseFlags("run", ["--image", "d:1", "--job-command", "x", "--job-runs-on", "laptop"])),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InputError: job-runs-on: "laptop" is not accepted; use one of: cluster, runner]`,
    );
    expect(backendOf(parseFlags("plan", []))).toBe("docker");
  });
  test("every command has help with usage", () => {
    for (const command of [
      "build",
      "plan",
      "up",
      "status",
      "scale",
      "run",
      "logs",
      "down",
      "reap",
      "setup-roles",
    ] as const)
      expect(HELP[command]).toMatch(/^Usage: dask-fargate /);
  });
});

describe("--repository tags what up, run and plan create (the per-repository IAM policy requires it)", () => {
  test("it becomes the github.repository label/tag of the spec; without it there is none", () => {
    expect(clusterInputOf(parseFlags("plan", ["--repository", "octo-org/training"]), "img:1").labels).toEqual({
      "github.repository": "octo-org/training",
    });
    expect(clusterInputOf(parseFlags("plan", []), "img:1").labels).toBeUndefined();
  });
  test("a value that is not OWNER/NAME is refused", () => {
    expect(() =>
      clusterInputOf(parseFlags("plan", ["--repository", "octo-org"]), "img:1"),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InputError: repository: "octo-org" is not a GitHub repository; write OWNER/NAME, e.g. octo-org/training]`,
    );
  });
});

describe("secrets and the job's environment", () => {
  const sm = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
  const ssm = "arn:aws:ssm:eu-west-1:123456789012:parameter/team/wandb";
  test("--secret NAME=ARN (repeatable) becomes the Fargate secrets setting", () => {
    const values = parseFlags("plan", [
      "--backend",
      "fargate",
      "--region",
      "eu-west-1",
      "--secret",
      `DB_PASSWORD=${sm}`,
      "--secret",
      `WANDB_API_KEY=${ssm}`,
    ]);
    expect(backendSettingsOf(values).fargate?.secrets).toEqual({ DB_PASSWORD: sm, WANDB_API_KEY: ssm });
  });
  test("bad --secret values are refused without being shown; the docker backend refuses secrets", () => {
    const error = (argv: string[]) => {
      try {
        backendSettingsOf(parseFlags("plan", argv));
        return "(no error)";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect([
      error(["--backend", "fargate", "--region", "eu-west-1", "--secret", "DB_PASSWORD=hunter2"]),
      error(["--backend", "fargate", "--region", "eu-west-1", "--secret", "hunter2"]),
      error(["--secret", `DB_PASSWORD=${sm}`]),
      error([
        "--backend",
        "fargate",
        "--region",
        "eu-west-1",
        "--secret",
        "STOLEN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:dask-fargate-action/gh-1-abcdef/tls-AbCdEf",
      ]),
    ]).toMatchInlineSnapshot(`
      [
        "secret: the value of DB_PASSWORD is not a Secrets Manager secret or SSM parameter ARN (the value is not shown: it may be the secret itself); write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, never the secret",
        "secret: entry 1 is not NAME=ARN (it is not shown: it may be a secret); write e.g. DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf",
        "secret: the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use --backend fargate, or give a job on the runner its variables with --job-env",
        "secret: STOLEN names a secret under dask-fargate-action/, where this tool keeps every cluster's TLS key (any cluster's, not only this one's); a job may not read them. Store your secret under another name and pass that ARN",
      ]
    `);
  });
  test("--job-env names what a job on this machine inherits, only with --job-runs-on runner", () => {
    const run = (...argv: string[]) => parseFlags("run", ["--image", "d:1", "--job-command", "x", ...argv]);
    expect(
      jobEnvOf(
        run("--job-runs-on", "runner", "--job-env", "WANDB_API_KEY", "--job-env", "HF_TOKEN,MLFLOW_TRACKING_URI"),
      ),
    ).toEqual(["WANDB_API_KEY", "HF_TOKEN", "MLFLOW_TRACKING_URI"]);
    expect(() => jobEnvOf(run("--job-env", "WANDB_API_KEY"))).toThrowErrorMatchingInlineSnapshot(
      `[InputError: job-env: --job-env names variables a job on the runner inherits (--job-runs-on runner); a job in the cluster gets secrets through --secret (Secrets Manager / SSM ARNs, on Fargate)]`,
    );
    expect(() =>
      jobEnvOf(run("--job-runs-on", "runner", "--job-env", "ACTIONS_RUNTIME_TOKEN")),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InputError: job-env: ACTIONS_RUNTIME_TOKEN belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job]`,
    );
  });
});

describe("--job-user", () => {
  test("only for a job on this machine, only an existing unprivileged user; absent: none", () => {
    const runner = (...argv: string[]) =>
      parseFlags("run", ["--image", "d:1", "--job-command", "x", "--job-runs-on", "runner", ...argv]);
    expect(jobUserOf(runner())).toBeUndefined();
    expect(() =>
      jobUserOf(parseFlags("run", ["--image", "d:1", "--job-command", "x", "--job-user", "nobody"])),
    ).toThrow(/job-user: --job-user is the user a job on the runner runs as \(--job-runs-on runner\)/);
    expect(() => jobUserOf(runner("--job-user", "root"))).toThrow(/job-user: root is root/);
    expect(() => jobUserOf(runner("--job-user", "no-such-user-here"))).toThrow(/there is no user "no-such-user-here"/);
    if (process.getuid?.() === 0) expect(jobUserOf(runner("--job-user", "nobody"))).toBe("nobody");
    else expect(() => jobUserOf(runner("--job-user", "nobody"))).toThrow(/needs this process to run as root/);
  });
});

describe("readiness", () => {
  test("up and run take --readiness running|registered; anything else is refused naming the flag; no flag: the backend's default", () => {
    expect(readinessOf(parseFlags("run", ["--image", "d:1", "--job-command", "x", "--readiness", "registered"]))).toBe(
      "registered",
    );
    expect(readinessOf(parseFlags("up", ["--image", "d:1", "--readiness", "running"]))).toBe("running");
    expect(readinessOf(parseFlags("up", ["--image", "d:1"]))).toBeUndefined();
    expect(() => readinessOf(parseFlags("up", ["--image", "d:1", "--readiness", "dask"]))).toThrow(
      /readiness: "dask" is not accepted; use one of: running, registered/,
    );
    expect(() => parseFlags("status", ["--readiness", "running"])).toThrow(/status does not take --readiness/);
  });
});
