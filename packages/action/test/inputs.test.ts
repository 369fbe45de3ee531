import {
  ClusterConfigError,
  createBackend,
  type FargatePlan,
  InputError,
  resolveClusterSpec,
} from "@dask-fargate-action/core";
import { describe, expect, test } from "vitest";
import { type InputName, readInputs } from "../src/inputs.js";

const read = (values: Partial<Record<InputName, string>>) => readInputs((name) => values[name] ?? "");
const errorOf = (values: Partial<Record<InputName, string>>) => {
  try {
    read(values);
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
};

describe("inputs are validated before any side effect", () => {
  test("an unknown command", () =>
    expect(errorOf({ command: "deploy" })).toMatchInlineSnapshot(
      `"command: "deploy" is not accepted; use one of: build, up, run, down, reap"`,
    ));
  test("an unknown backend", () =>
    expect(errorOf({ command: "run", backend: "k8s" })).toMatchInlineSnapshot(
      `"backend: "k8s" is not accepted; use one of: fargate, docker"`,
    ));
  test("a boolean that is not one", () =>
    expect(errorOf({ command: "build", "environment-file": "environment.yml", push: "yes" })).toMatchInlineSnapshot(
      `"push: "yes" is not a boolean; use true or false"`,
    ));
  test("run without a job command", () =>
    expect(errorOf({ command: "run", backend: "docker", image: "dask:1" })).toMatchInlineSnapshot(
      `"job-command: command run needs job-command, e.g. "python train.py""`,
    ));
  test("run without an image or environment file", () =>
    expect(errorOf({ command: "run", backend: "docker", "job-command": "python t.py" })).toMatchInlineSnapshot(
      `"image: command run needs image (an image with Dask), or environment-file or dockerfile (to build one)"`,
    ));
  test("build without an environment file", () =>
    expect(errorOf({ command: "build" })).toMatchInlineSnapshot(
      `"environment-file: command build needs environment-file (environment.yml, requirements.txt or an @EXPLICIT lockfile) or dockerfile (your own Dockerfile)"`,
    ));
  test("both an environment file and a Dockerfile", () =>
    expect(
      errorOf({ command: "build", "environment-file": "environment.yml", dockerfile: "Dockerfile" }),
    ).toMatchInlineSnapshot(
      `"dockerfile: give environment-file (the image is generated from it) or dockerfile (your own Dockerfile), not both"`,
    ));
  test("a context without a Dockerfile", () =>
    expect(errorOf({ command: "build", "environment-file": "environment.yml", context: "." })).toMatchInlineSnapshot(
      `"context: context is the build context of a Dockerfile; set dockerfile too, or remove context"`,
    ));
  test("a Dockerfile with its context is a source to build", () => {
    const inputs = read({ command: "build", dockerfile: "docker/Dockerfile", context: "." });
    expect([inputs.dockerfile, inputs.context, inputs.environmentFile]).toEqual(["docker/Dockerfile", ".", undefined]);
  });
  test("down without a cluster id", () =>
    expect(errorOf({ command: "down", backend: "docker" })).toMatchInlineSnapshot(
      `"cluster-id: command down needs cluster-id (the id printed by up, or the run-derived default of an earlier step)"`,
    ));
  test("a cluster id that is a path, for down and for run", () => {
    expect(errorOf({ command: "down", backend: "docker", "cluster-id": "../../projects" })).toMatchInlineSnapshot(
      `"cluster-id: "../../projects" is not a cluster id: use 2-32 lower-case letters, digits and '-', starting with a letter (e.g. dfa-0123abcd)"`,
    );
    expect(
      errorOf({
        command: "run",
        backend: "docker",
        image: "dask:1",
        "job-command": "python t.py",
        "cluster-id": "a/b",
      }),
    ).toContain("is not a cluster id");
  });
  test("the reaper is limited to the running repository unless reap-repository says otherwise", () => {
    const saved = process.env["GITHUB_REPOSITORY"];
    process.env["GITHUB_REPOSITORY"] = "org/mine";
    try {
      expect(read({ command: "reap", backend: "docker" }).reapRepository).toBe("org/mine");
      expect(read({ command: "reap", backend: "docker", "reap-repository": "org/other" }).reapRepository).toBe(
        "org/other",
      );
      expect(read({ command: "reap", backend: "docker", "reap-repository": "*" }).reapRepository).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env["GITHUB_REPOSITORY"];
      else process.env["GITHUB_REPOSITORY"] = saved;
    }
  });
  test("fargate without a region", () => {
    const saved = { AWS_REGION: process.env["AWS_REGION"], AWS_DEFAULT_REGION: process.env["AWS_DEFAULT_REGION"] };
    delete process.env["AWS_REGION"];
    delete process.env["AWS_DEFAULT_REGION"];
    try {
      expect(errorOf({ command: "up", image: "dask:1" })).toMatchInlineSnapshot(
        `"region: the fargate backend needs a region: set region or AWS_REGION (aws-actions/configure-aws-credentials sets it)"`,
      );
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
  });
  test("a username without a password", () =>
    expect(errorOf({ command: "build", "environment-file": "e.yml", "registry-username": "me" })).toMatchInlineSnapshot(
      `"registry-password: registry-username and registry-password go together"`,
    ));
  test("job-runs-on", () =>
    expect(
      errorOf({ command: "run", backend: "docker", image: "d:1", "job-command": "x", "job-runs-on": "laptop" }),
    ).toMatchInlineSnapshot(`"job-runs-on: "laptop" is not accepted; use one of: cluster, runner"`));
  test("a job on the runner against Fargate without a client CIDR", () =>
    expect(
      errorOf({ command: "run", region: "eu-west-1", image: "d:1", "job-command": "x", "job-runs-on": "runner" }),
    ).toMatchInlineSnapshot(
      `"client-cidr: job-runs-on runner with the fargate backend needs client-cidr (the runner's public address/32) so the runner can reach the scheduler; or use job-runs-on cluster"`,
    ));
  test("secrets on the docker backend", () =>
    expect(
      errorOf({
        command: "run",
        backend: "docker",
        image: "d:1",
        "job-command": "x",
        secrets: "DB=arn:aws:ssm:us-east-1:123456789012:parameter/db",
      }),
    ).toMatchInlineSnapshot(
      `"secrets: the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use backend fargate, or give a job on the runner its variables with job-env"`,
    ));
  test("a secret that is not NAME=ARN is refused without showing it", () =>
    expect(
      errorOf({
        command: "run",
        region: "eu-west-1",
        image: "d:1",
        "job-command": "x",
        secrets: "DB_PASSWORD=hunter2",
      }),
    ).toMatchInlineSnapshot(
      `"secrets: the value of DB_PASSWORD is not a Secrets Manager secret or SSM parameter ARN (the value is not shown: it may be the secret itself); write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, never the secret"`,
    ));
  test("a secret naming one of the tool's own secrets (another cluster's TLS key)", () =>
    expect(
      errorOf({
        command: "run",
        region: "eu-west-1",
        image: "d:1",
        "job-command": "x",
        secrets:
          "STOLEN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:dask-fargate-action/gh-1-abcdef/tls-AbCdEf",
      }),
    ).toMatchInlineSnapshot(
      `"secrets: STOLEN names a secret under dask-fargate-action/, where this tool keeps every cluster's TLS key (any cluster's, not only this one's); a job may not read them. Store your secret under another name and pass that ARN"`,
    ));
  test("job-env for a job in the cluster", () =>
    expect(
      errorOf({ command: "run", backend: "docker", image: "d:1", "job-command": "x", "job-env": "WANDB_API_KEY" }),
    ).toMatchInlineSnapshot(
      `"job-env: job-env names variables a job on the runner inherits (job-runs-on runner); a job in the cluster gets secrets through secrets (Secrets Manager / SSM ARNs, on Fargate)"`,
    ));
  test("job-user for a job in the cluster, or naming no user of this machine", () => {
    expect(
      errorOf({ command: "run", backend: "docker", image: "d:1", "job-command": "x", "job-user": "nobody" }),
    ).toContain("job-user: job-user is the user a job on the runner runs as");
    expect(
      errorOf({
        command: "run",
        backend: "docker",
        image: "d:1",
        "job-command": "x",
        "job-runs-on": "runner",
        "job-user": "no-such-user-here",
      }),
    ).toContain('job-user: there is no user "no-such-user-here" on this machine');
    expect(
      errorOf({
        command: "run",
        backend: "docker",
        image: "d:1",
        "job-command": "x",
        "job-runs-on": "runner",
        "job-user": "root",
      }),
    ).toContain("is root");
  });
  test("job-env naming an input", () =>
    expect(
      errorOf({
        command: "run",
        backend: "docker",
        image: "d:1",
        "job-command": "x",
        "job-runs-on": "runner",
        "job-env": "INPUT_REGISTRY_PASSWORD",
      }),
    ).toMatchInlineSnapshot(
      `"job-env: INPUT_REGISTRY_PASSWORD belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job"`,
    ));
  test("a bad duration", () =>
    expect(errorOf({ command: "reap", backend: "docker", "older-than": "a while" })).toMatchInlineSnapshot(
      `"older-than: "a while" is not a duration; write e.g. 600, 10m or 2h"`,
    ));
});

describe("values", () => {
  test("defaults: run on fargate with the job in the cluster; lists split on commas and spaces", () => {
    const inputs = read({
      command: "run",
      region: "eu-west-1",
      image: "dask:1",
      "job-command": "python t.py",
      subnets: "subnet-0a, subnet-0b",
      "spot-workers": "true",
    });
    expect(inputs).toMatchObject({
      command: "run",
      backend: "fargate",
      jobRunsOn: "cluster",
      push: true,
      force: false,
    });
    expect(inputs.backendSettings.fargate).toMatchObject({
      region: "eu-west-1",
      subnets: ["subnet-0a", "subnet-0b"],
      spotWorkers: true,
    });
  });
  test("build-args: NAME=VALUE lines (the value may hold '='; comments and blank lines skipped) reach the image request", async () => {
    const inputs = read({
      command: "build",
      dockerfile: "examples/Dockerfile",
      "build-args": "# the base\nBASE_IMAGE=python:3.11-slim\n\nPIP_EXTRA=--config-settings=x=1\n",
    });
    expect(inputs.buildArgs).toEqual({ BASE_IMAGE: "python:3.11-slim", PIP_EXTRA: "--config-settings=x=1" });
    const { imageRequestOf } = await import("../src/cluster-step.js");
    expect(imageRequestOf(inputs).buildArgs).toEqual({
      BASE_IMAGE: "python:3.11-slim",
      PIP_EXTRA: "--config-settings=x=1",
    });
    expect(errorOf({ command: "build", dockerfile: "Dockerfile", "build-args": "BASE_IMAGE" })).toContain(
      'build-args: "BASE_IMAGE" is not NAME=VALUE',
    );
    expect(errorOf({ command: "build", dockerfile: "Dockerfile", "build-args": "A=1\nA=2" })).toContain(
      "build-args: A is given twice",
    );
  });
  test("secrets: NAME=ARN lines (comments and blank lines skipped) become the Fargate secrets setting", () => {
    const inputs = read({
      command: "run",
      region: "eu-west-1",
      image: "dask:1",
      "job-command": "python t.py",
      "execution-role-arn": "arn:aws:iam::123456789012:role/reads-secrets",
      secrets:
        "# database\nDB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\n\nWANDB_API_KEY=arn:aws:ssm:eu-west-1:123456789012:parameter/wandb\n",
    });
    expect(inputs.backendSettings.fargate?.secrets).toEqual({
      DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
      WANDB_API_KEY: "arn:aws:ssm:eu-west-1:123456789012:parameter/wandb",
    });
  });
  test("secrets reach every task definition as ARNs only: the plan of the cluster shows them, never a value", () => {
    const inputs = read({
      command: "run",
      region: "eu-west-1",
      image: "dask:1",
      "job-command": "python t.py",
      "execution-role-arn": "arn:aws:iam::123456789012:role/reads-secrets",
      secrets: "DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
    });
    const plan = createBackend("fargate", inputs.backendSettings).plan(
      resolveClusterSpec({ image: "dask:1", clusterId: "c1" }),
    ) as FargatePlan;
    for (const definition of Object.values(plan.taskDefinitions)) {
      expect(definition.containerDefinitions?.[0]?.secrets).toContainEqual({
        name: "DB_PASSWORD",
        valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
      });
    }
  });
  test("job-env: names a job on the runner inherits", () => {
    expect(
      read({
        command: "run",
        backend: "docker",
        image: "d:1",
        "job-command": "x",
        "job-runs-on": "runner",
        "job-env": "WANDB_API_KEY\nHF_TOKEN",
      }).jobEnv,
    ).toEqual(["WANDB_API_KEY", "HF_TOKEN"]);
  });
  test("the docker backend runs the job in the cluster by default and needs no AWS settings", () => {
    expect(read({ command: "run", backend: "docker", image: "dask:1", "job-command": "x" })).toMatchObject({
      jobRunsOn: "cluster",
      backendSettings: {},
    });
  });
  test("task-role-policy-arns reaches the Fargate settings (the start checks them; nothing is attached)", () => {
    const arns = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, arn:aws:iam::123456789012:policy/team-data";
    expect(
      read({ command: "up", region: "eu-west-1", image: "d:1", "task-role-policy-arns": arns }).backendSettings.fargate
        ?.taskRolePolicyArns,
    ).toEqual(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team-data"]);
  });
});

describe("the settings the action gained from the CLI's", () => {
  test("worker-threads, platform-version, ephemeral-storage, allow-public-ingress and keep-logs reach the cluster and Fargate settings", () => {
    const inputs = read({
      command: "up",
      region: "eu-west-1",
      image: "dask:1",
      "worker-threads": "2",
      "platform-version": "1.4.0",
      "ephemeral-storage": "50",
      "allow-public-ingress": "true",
      "keep-logs": "true",
    });
    expect(inputs.cluster.workerThreads).toBe("2");
    expect(inputs.backendSettings.fargate).toMatchObject({
      platformVersion: "1.4.0",
      ephemeralStorage: 50,
      allowPublicIngress: true,
      keepLogs: true,
    });
    const plan = createBackend("fargate", inputs.backendSettings).plan(
      resolveClusterSpec({ image: "dask:1", clusterId: "c1", ...inputs.cluster }),
    ) as FargatePlan;
    for (const definition of Object.values(plan.taskDefinitions))
      expect(definition.ephemeralStorage).toEqual({ sizeInGiB: 50 });
  });
  test("a bad setting is an InputError (the step fails with its message), distinct from a cluster configuration error", () => {
    let error: unknown;
    try {
      read({ command: "up", region: "eu-west-1", image: "d:1", "ephemeral-storage": "many" });
    } catch (caught) {
      error = caught;
    }
    expect(InputError.isInstance(error)).toBe(true);
    expect(ClusterConfigError.isInstance(error)).toBe(false);
    expect((error as InputError).field).toBe("ephemeral-storage");
  });
});
