import { describe, expect, test } from "vitest";
import { parseFlags } from "../src/flags.js";
import { HELP } from "../src/index.js";
import { backendOf, backendSettingsOf, clusterInputOf, jobEnvOf, jobRunsOnOf, jobUserOf, readinessOf } from "../src/options.js";

describe("flags", () => {
  test("flag names are the action's input names and map to spec fields", () => {
    const values = parseFlags("run", [
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
    expect(() => backendOf(parseFlags("run", ["--backend", "k8s"]))).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: backend: "k8s" is not docker or fargate]`,
    );
    expect(() => jobRunsOnOf(parseFlags("run", ["--job-runs-on", "laptop"]))).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: job-runs-on: "laptop" is not cluster or runner]`,
    );
    expect(backendOf(parseFlags("run", []))).toBe("docker");
  });
  test("every command has help with usage", () => {
    for (const command of ["build", "plan", "up", "status", "scale", "run", "logs", "down", "reap", "setup-roles"] as const)
      expect(HELP[command]).toMatch(/^Usage: dask-fargate /);
  });
});

describe("--repository tags what up, run and plan create (the per-repository IAM policy requires it)", () => {
  test("it becomes the github.repository label/tag of the spec; without it there is none", () => {
    expect(clusterInputOf(parseFlags("up", ["--repository", "octo-org/training"]), "img:1").labels).toEqual({ "github.repository": "octo-org/training" });
    expect(clusterInputOf(parseFlags("up", []), "img:1").labels).toBeUndefined();
  });
  test("a value that is not OWNER/NAME is refused", () => {
    expect(() => clusterInputOf(parseFlags("run", ["--repository", "octo-org"]), "img:1")).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: repository: "octo-org" is not a GitHub repository; write OWNER/NAME, e.g. octo-org/training]`,
    );
  });
});

describe("secrets and the job's environment", () => {
  const sm = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
  const ssm = "arn:aws:ssm:eu-west-1:123456789012:parameter/team/wandb";
  test("--secret NAME=ARN (repeatable) becomes the Fargate secrets setting", () => {
    const values = parseFlags("run", ["--backend", "fargate", "--region", "eu-west-1", "--secret", `DB_PASSWORD=${sm}`, "--secret", `WANDB_API_KEY=${ssm}`]);
    expect(backendSettingsOf(values).fargate?.secrets).toEqual({ DB_PASSWORD: sm, WANDB_API_KEY: ssm });
  });
  test("bad --secret values are refused without being shown; the docker backend refuses secrets", () => {
    const error = (argv: string[]) => {
      try {
        backendSettingsOf(parseFlags("run", argv));
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
        "secret: the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use --backend fargate, or --job-runs-on runner with --job-env",
        "secret: STOLEN names a secret under dask-fargate-action/, where this tool keeps every cluster's TLS key (any cluster's, not only this one's); a job may not read them. Store your secret under another name and pass that ARN",
      ]
    `);
  });
  test("--job-env names what a job on this machine inherits, only with --job-runs-on runner", () => {
    expect(jobEnvOf(parseFlags("run", ["--job-runs-on", "runner", "--job-env", "WANDB_API_KEY", "--job-env", "HF_TOKEN,MLFLOW_TRACKING_URI"]))).toEqual([
      "WANDB_API_KEY",
      "HF_TOKEN",
      "MLFLOW_TRACKING_URI",
    ]);
    expect(() => jobEnvOf(parseFlags("run", ["--job-env", "WANDB_API_KEY"]))).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: job-env: --job-env names variables a job on this machine inherits (--job-runs-on runner); a job in the cluster gets secrets with --secret]`,
    );
    expect(() => jobEnvOf(parseFlags("run", ["--job-runs-on", "runner", "--job-env", "ACTIONS_RUNTIME_TOKEN"]))).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: job-env: ACTIONS_RUNTIME_TOKEN belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job]`,
    );
  });
});

describe("--job-user", () => {
  test("only for a job on this machine, only an existing unprivileged user; absent: none", () => {
    expect(jobUserOf(parseFlags("run", []), "runner")).toBeUndefined();
    expect(() => jobUserOf(parseFlags("run", ["--job-user", "nobody"]), "cluster")).toThrow(/job-user: --job-user is the user a job on this machine runs as/);
    expect(() => jobUserOf(parseFlags("run", ["--job-user", "root"]), "runner")).toThrow(/job-user: root is root/);
    expect(() => jobUserOf(parseFlags("run", ["--job-user", "no-such-user-here"]), "runner")).toThrow(/there is no user "no-such-user-here"/);
    if (process.getuid?.() === 0) expect(jobUserOf(parseFlags("run", ["--job-user", "nobody"]), "runner")).toBe("nobody");
    else expect(() => jobUserOf(parseFlags("run", ["--job-user", "nobody"]), "runner")).toThrow(/needs this process to run as root/);
  });
});

describe("readiness", () => {
  test("up and run take --readiness running|registered; anything else is refused naming the flag; no flag: the backend's default", () => {
    expect(readinessOf(parseFlags("run", ["--readiness", "registered"]))).toBe("registered");
    expect(readinessOf(parseFlags("up", ["--readiness", "running"]))).toBe("running");
    expect(readinessOf(parseFlags("up", []))).toBeUndefined();
    expect(() => readinessOf(parseFlags("up", ["--readiness", "dask"]))).toThrow(/readiness: "dask" is not running or registered/);
    expect(() => parseFlags("status", ["--readiness", "running"])).toThrow(/status does not take --readiness/);
  });
});
