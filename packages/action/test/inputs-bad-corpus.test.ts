import { ClusterConfigError, createBackend, InputError, resolveClusterSpec } from "@dask-fargate-action/core";
import { parseJobTimeout } from "@dask-fargate-action/pipeline";
import { describe, expect, test } from "vitest";
import { type InputName, readInputs } from "../src/inputs.js";

// Issue 14's bad-input corpus for the action's inputs. Every row is refused by the checks the action runs
// before any side effect (readInputs, then the cluster spec and the Fargate plan, which are pure), with an
// InputError (core's settings reader) or a ClusterConfigError (the spec resolvers) whose message starts with the
// input's name (where), says what is wrong and what to write (fix). The step then fails with exit code 1 and the
// message as its annotation (main.ts).

type Inputs = Partial<Record<InputName, string>>;
const base: Inputs = { command: "up", region: "eu-west-1", image: "dask:1" };

/** Every check the action makes before it creates anything: inputs, job-timeout (commands.ts), then the spec, then the plan. */
function check(values: Inputs): void {
  const merged: Inputs = { ...base, ...values };
  const inputs = readInputs((name) => merged[name] ?? "");
  parseJobTimeout(inputs.jobTimeout);
  const spec = resolveClusterSpec({ image: inputs.image ?? "dask:1", clusterId: "c1", ...inputs.cluster });
  createBackend(inputs.backend, inputs.backendSettings).plan(spec);
}

type Row = readonly [name: string, values: Inputs, input: InputName, fragment: string];

const rows: Row[] = [
  ["negative worker count", { workers: "-1" }, "workers", "is not a whole number"],
  ["fractional worker count", { workers: "1.5" }, "workers", "is not a whole number"],
  ["worker count as a word", { workers: "abc" }, "workers", "is not a whole number"],
  ["worker count beyond the limit", { workers: "100000" }, "workers", "from 0 to 500"],
  ["a CPU size Fargate does not have", { "worker-cpu": "3" }, "worker-cpu", "use 0.25, 0.5, 1, 2, 4, 8 or 16"],
  ["negative CPU", { "worker-cpu": "-1" }, "worker-cpu", "is not a CPU size"],
  [
    "too much memory for 1 vCPU",
    { "worker-cpu": "1", "worker-memory": "64GB" },
    "worker-memory",
    "valid memory for 1 vCPU",
  ],
  [
    "too little memory for 16 vCPU",
    { "worker-cpu": "16", "worker-memory": "1GB" },
    "worker-memory",
    "valid memory for 16 vCPU",
  ],
  ["zero memory", { "worker-memory": "0" }, "worker-memory", "is not a whole number of MiB"],
  ["memory as a word", { "worker-memory": "lots" }, "worker-memory", "write e.g. 4GB"],
  ["scheduler CPU not a Fargate size", { "scheduler-cpu": "0.3" }, "scheduler-cpu", "is not a Fargate size"],
  ["scheduler memory too small", { "scheduler-memory": "100MB" }, "scheduler-memory", "use at least 512 MiB"],
  ["negative idle timeout", { "idle-timeout": "-5m" }, "idle-timeout", "is not a duration"],
  ["idle timeout as a word", { "idle-timeout": "forever" }, "idle-timeout", "is not a duration"],
  ["zero lifetime", { "max-lifetime": "0" }, "max-lifetime", "use at least 5m"],
  ["lifetime in days", { "max-lifetime": "100d" }, "max-lifetime", "write e.g. 600, 10m or 2h"],
  [
    "execution role that is not an ARN",
    { "execution-role-arn": "not-an-arn" },
    "execution-role-arn",
    "is not an IAM role ARN",
  ],
  [
    "execution role with a short account",
    { "execution-role-arn": "arn:aws:iam::123:role/x" },
    "execution-role-arn",
    "is not an IAM role ARN",
  ],
  ["task role that is a bucket", { "task-role-arn": "arn:aws:s3:::bucket" }, "task-role-arn", "is not an IAM role ARN"],
  [
    "task role that is a user",
    { "task-role-arn": "arn:aws:iam::123456789012:user/bob" },
    "task-role-arn",
    "is not an IAM role ARN",
  ],
  ["subnet id with letters beyond hex", { subnets: "subnet-zzz" }, "subnets", "is not a subnet id"],
  ["security group given as a subnet", { subnets: "sg-123" }, "subnets", "is not a subnet id"],
  ["subnet id with shell", { subnets: "subnet-0123456789abcdef0;rm" }, "subnets", "is not a subnet id"],
  [
    "subnet given as a security group",
    { "security-groups": "subnet-1234abcd" },
    "security-groups",
    "is not a security group id",
  ],
  ["empty security group id", { "security-groups": "sg-" }, "security-groups", "is not a security group id"],
  [
    "client CIDR of the whole internet",
    { "client-cidr": "0.0.0.0/0" },
    "client-cidr",
    "opens the scheduler to the internet",
  ],
  ["client CIDR of the whole IPv6 internet", { "client-cidr": "::/0" }, "client-cidr", "is not an IPv4 CIDR"],
  ["client CIDR without a prefix", { "client-cidr": "10.0.0.1" }, "client-cidr", "is not an IPv4 CIDR"],
  ["client CIDR with an octet over 255", { "client-cidr": "300.1.1.1/32" }, "client-cidr", "is not an IPv4 CIDR"],
  ["client CIDR with prefix 33", { "client-cidr": "10.0.0.0/33" }, "client-cidr", "is not an IPv4 CIDR"],
  ["client CIDR with a host name", { "client-cidr": "example.com/32" }, "client-cidr", "is not an IPv4 CIDR"],
  ["client CIDR that is too wide", { "client-cidr": "10.0.0.0/8" }, "client-cidr", "admits"],
  ["unknown command", { command: "deploy" }, "command", "use one of: build, up, run, down, reap"],
  ["command in capitals", { command: "UP" }, "command", "use one of"],
  ["unknown backend", { backend: "ec2" }, "backend", "use one of: fargate, docker"],
  ["cluster id that is a path", { "cluster-id": "../x" }, "cluster-id", "is not a cluster id"],
  ["cluster id with a space", { "cluster-id": "a b" }, "cluster-id", "is not a cluster id"],
  ["cluster id of 100 characters", { "cluster-id": "x".repeat(100) }, "cluster-id", "2-32 lower-case letters"],
  ["negative log retention", { "log-retention-days": "-1" }, "log-retention-days", "is not a whole number"],
  [
    "log retention CloudWatch does not offer",
    { "log-retention-days": "4" },
    "log-retention-days",
    "is not a CloudWatch Logs retention",
  ],
  ["architecture x86", { architecture: "x86" }, "architecture", "use one of: X86_64, ARM64"],
  ["spot-workers maybe", { "spot-workers": "maybe" }, "spot-workers", "is not a boolean"],
  ["tls no", { tls: "no" }, "tls", "is not a boolean"],
  ["assign-public-ip yes", { "assign-public-ip": "yes" }, "assign-public-ip", "use one of: true, false"],
  ["ephemeral storage as a word", { "ephemeral-storage": "lots" }, "ephemeral-storage", "is not a whole number"],
  ["ephemeral storage below Fargate's 21 GiB", { "ephemeral-storage": "20" }, "ephemeral-storage", "21"],
  ["keep-logs maybe", { "keep-logs": "maybe" }, "keep-logs", "is not a boolean"],
  ["allow-public-ingress yes", { "allow-public-ingress": "yes" }, "allow-public-ingress", "is not a boolean"],
  ["worker threads as a word", { "worker-threads": "many" }, "worker-threads", "whole number"],
  [
    "ECS cluster given as a service ARN",
    { "ecs-cluster": "arn:aws:ecs:eu-west-1:123456789012:service/x" },
    "ecs-cluster",
    "is not an ECS cluster name or ARN",
  ],
  [
    "ECS cluster name with a space and !",
    { "ecs-cluster": "bad name!" },
    "ecs-cluster",
    "is not an ECS cluster name or ARN",
  ],
  ["a secret given as its value", { secrets: "A=plaintext" }, "secrets", "the value is not shown"],
  [
    "a secret without a name",
    { secrets: "=arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" },
    "secrets",
    "is not an environment variable name",
  ],
  [
    "a secret name with a space",
    { secrets: "lower case=arn:aws:ssm:eu-west-1:123456789012:parameter/x" },
    "secrets",
    "is not an environment variable name",
  ],
  ["an http output URI", { "output-uri": "http://bucket/x" }, "output-uri", "is not an S3 URI"],
  ["an output URI without a bucket", { "output-uri": "s3://" }, "output-uri", "is not an S3 bucket name"],
  ["older-than as a word", { command: "reap", "older-than": "yesterday" }, "older-than", "is not a duration"],
  ["negative job timeout", { "job-timeout": "-1" }, "job-timeout", "is not a positive duration"],
  ["a job timeout as a word", { "job-timeout": "soon" }, "job-timeout", "is not a positive duration"],
  ["registry user without a password", { "registry-username": "u" }, "registry-password", "go together"],
  ["registry password without a user", { "registry-password": "p" }, "registry-username", "go together"],
  ["a region that does not exist", { region: "mars-1" }, "region", "is not an AWS region"],
  [
    "job-env for a job in the cluster",
    { "job-env": "A B" },
    "job-env",
    "a job in the cluster gets secrets through secrets",
  ],
  ["run without a job command", { command: "run" }, "job-command", "needs job-command"],
  ["down without a cluster id", { command: "down" }, "cluster-id", "needs cluster-id"],
  [
    "an environment file and a Dockerfile",
    { "environment-file": "e.yml", dockerfile: "Dockerfile" },
    "dockerfile",
    "not both",
  ],
  ["a context without a Dockerfile", { context: "." }, "context", "set dockerfile too"],
  [
    "runner job on Fargate without a client CIDR",
    { command: "run", "job-command": "x", "job-runs-on": "runner" },
    "client-cidr",
    "needs client-cidr",
  ],
  [
    "secrets on the docker backend",
    { backend: "docker", secrets: "A=arn:aws:ssm:eu-west-1:123456789012:parameter/a" },
    "secrets",
    "docker backend",
  ],
  [
    "output-uri on the docker backend",
    { backend: "docker", "output-uri": "s3://b/x" },
    "output-uri",
    "remove output-uri",
  ],
  ["job-runs-on elsewhere", { "job-runs-on": "laptop" }, "job-runs-on", "use one of: cluster, runner"],
];

describe("action inputs: bad values are refused before any side effect", () => {
  test.each(rows)("%s", (_name, values, input, fragment) => {
    let error: unknown;
    try {
      check(values);
    } catch (caught) {
      error = caught;
    }
    expect(
      InputError.isInstance(error) || ClusterConfigError.isInstance(error),
      `accepted: ${JSON.stringify(values)}`,
    ).toBe(true);
    // A refusal of the settings reader is an InputError; only the spec resolvers' (sizes, ARNs, CIDRs) are ClusterConfigErrors.
    let readerError: unknown;
    try {
      readInputs((name) => ({ ...base, ...values })[name] ?? "");
    } catch (caught) {
      readerError = caught;
    }
    if (readerError !== undefined)
      expect(InputError.isInstance(readerError) && !ClusterConfigError.isInstance(readerError)).toBe(true);
    const message = (error as Error).message;
    // where (the input's name first), what (the fragment) and how to fix (a "use", "write", "set", … clause).
    expect(message.startsWith(`${input}: `)).toBe(true);
    expect(message).toContain(fragment);
    expect(message).toMatch(
      /(use|write|set|give|remove|needs|turn|go together|not both|valid memory for|gets secrets through|from 0 to 500|whole number|such as|is not X86_64 or ARM64|is not true or false)/,
    );
    // A value refused as a possible secret is not echoed.
    expect(message).not.toContain("plaintext");
  });
  test("the corpus has at least 60 rows, each with its own name", () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map(([name]) => name)).size).toBe(rows.length);
  });
});
