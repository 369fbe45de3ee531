import { describe, expect, test } from "vitest";
import {
  bindPlan,
  type FargateFacts,
  PLAN_REFS,
  planFargateCluster,
  plannedRequests,
  workerRunInputs,
} from "../src/fargate/fargate-plan.js";
import { FIND_SCHEDULER_ENV, FIND_SCHEDULER_PY } from "../src/fargate/find-scheduler.js";
import { resolveClusterSpec, resolveFargateSpec } from "../src/index.js";

/** The task definitions without the worker's bootstrap program (whose text names DASK_SCHEDULER_ADDRESS: it sets it). */
const withoutBootstrap = (definitions: unknown) =>
  JSON.parse(JSON.stringify(definitions).split(JSON.stringify(FIND_SCHEDULER_PY)).join('""'));

const facts: FargateFacts = {
  ecsCluster: "arn:aws:ecs:us-east-1:123456789012:cluster/c1",
  executionRoleArn: "arn:aws:iam::123456789012:role/dask-fargate-action-execution",
  taskRoleArn: "arn:aws:iam::123456789012:role/dask-fargate-action-task",
  subnets: ["subnet-0a", "subnet-0b"],
  securityGroups: ["sg-0c"],
  assignPublicIp: false,
  tlsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:dask-fargate-action/c1/tls-AbCdEf",
  createdAt: "2026-11-26T00:00:00.000Z",
  expiresAt: "2026-11-26T06:00:00.000Z",
};
const spec = (workers: number, extra: object = {}) =>
  resolveClusterSpec({
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-1",
    clusterId: "c1",
    workers,
    workerCpu: 2,
    // Batching is planned for large clusters too (up to MAX_WORKERS), past the default cost limits.
    allowUnboundedCost: true,
    workerMemory: "8GB",
    ...extra,
  });
const fargate = (s: ReturnType<typeof spec>, extra: object = {}) =>
  resolveFargateSpec({ region: "us-east-1", ...extra }, s);

describe("the plan", () => {
  test("task definitions for scheduler, worker and job", () => {
    const s = spec(3);
    const plan = planFargateCluster(
      s,
      fargate(s, {
        architecture: "ARM64",
        ephemeralStorage: 40,
        executionRoleArn: "arn:aws:iam::123456789012:role/reads-db-secret",
        secrets: { DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" },
      }),
      facts,
    );
    expect(plan.taskDefinitions.worker).toMatchSnapshot();
    expect(plan.taskDefinitions.scheduler.containerDefinitions?.[0]?.portMappings).toEqual([
      { containerPort: 8786, protocol: "tcp" },
      { containerPort: 8787, protocol: "tcp" },
    ]);
    expect([
      plan.taskDefinitions.scheduler.cpu,
      plan.taskDefinitions.scheduler.memory,
      plan.taskDefinitions.worker.cpu,
      plan.taskDefinitions.worker.memory,
    ]).toEqual(["1024", "2048", "2048", "8192"]);
    expect(JSON.stringify(plan)).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });

  test("resources: cluster, log group, security group, TLS secret; none of ours when the user brings them", () => {
    const s = spec(1);
    const own = planFargateCluster(s, fargate(s, { clientCidr: "203.0.113.7/32" }), facts);
    expect([
      own.createCluster?.clusterName,
      own.logGroup.name,
      own.securityGroup?.name,
      own.securityGroup?.clientCidrs,
      own.tlsSecret?.name,
    ]).toEqual([
      "c1",
      "/dask-fargate-action/c1",
      "dask-fargate-action-c1",
      ["203.0.113.7/32"],
      "dask-fargate-action/c1/tls",
    ]);
    const byo = planFargateCluster(
      s,
      fargate(s, { ecsCluster: "team", securityGroups: ["sg-0123"], subnets: ["subnet-0123"] }),
      facts,
    );
    expect([byo.createCluster, byo.securityGroup]).toEqual([undefined, undefined]);
    const plain = planFargateCluster(spec(1, { tls: false }), fargate(spec(1, { tls: false })), {
      ...facts,
      tlsSecretArn: undefined,
    });
    expect(plain.tlsSecret).toBeUndefined();
    expect(plain.taskDefinitions.worker.containerDefinitions?.[0]?.command?.[0]).toBe("timeout");
  });

  test.each([
    [1, [1]],
    [10, [10]],
    [11, [10, 1]],
    [95, [10, 10, 10, 10, 10, 10, 10, 10, 10, 5]],
  ])("%i workers → RunTask batches %j with distinct client tokens ≤ 64 characters", (workers, counts) => {
    const s = spec(workers);
    const batches = workerRunInputs(s, fargate(s), facts, "tls://10.0.0.5:8786", 0, workers, false);
    expect(batches.map((b) => b.count)).toEqual(counts);
    const tokens = batches.map((b) => b.clientToken ?? "");
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) expect(token.length).toBeLessThanOrEqual(64);
    for (const batch of batches) {
      expect(batch.launchType).toBe("FARGATE");
      expect(batch.startedBy).toBe("c1");
      // TLS on or off, the address travels in the command override; the TLS files never do.
      expect(JSON.stringify(batch.overrides)).toContain("tls://10.0.0.5:8786");
      expect(JSON.stringify(batch.overrides).length).toBeLessThan(8192);
    }
    const plain = spec(workers, { tls: false });
    for (const batch of workerRunInputs(
      plain,
      fargate(plain),
      { ...facts, tlsSecretArn: undefined },
      "tcp://10.0.0.5:8786",
      0,
      workers,
      false,
    )) {
      expect(JSON.stringify(batch.overrides)).toContain("tcp://10.0.0.5:8786");
      expect(JSON.stringify(batch.overrides).length).toBeLessThan(8192);
    }
  });

  test("Spot workers use the FARGATE_SPOT capacity provider instead of a launch type", () => {
    const s = spec(2);
    const [batch] = workerRunInputs(s, fargate(s, { spotWorkers: true }), facts, "tls://10.0.0.5:8786", 0, 2, true);
    expect(batch?.launchType).toBeUndefined();
    expect(batch?.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
  });
});

test("Fargate settings are validated before any AWS call (all cases in one inline snapshot)", () => {
  const cases: [string, object, object][] = [
    ["memory that does not fit the CPU", { workerCpu: 1, workerMemory: "1GB" }, {}],
    ["memory above the CPU's range", { workerCpu: 4, workerMemory: "32GB" }, {}],
    ["a CPU size Fargate does not have", { workerCpu: 3 }, {}],
    ["scheduler memory", { schedulerCpu: 0.25, schedulerMemory: "4GB" }, {}],
    ["region", {}, { region: "mars-1" }],
    ["ephemeral storage", {}, { ephemeralStorage: 500 }],
    ["role ARN", {}, { executionRoleArn: "my-role" }],
    ["secret ARN", {}, { secrets: { TOKEN: "plain-text-token" } }],
    ["client CIDR", {}, { clientCidr: "10.0.0.300/32" }],
    ["client CIDR that is the whole internet", {}, { clientCidr: "0.0.0.0/0" }],
    ["client CIDR wider than a /16", {}, { clientCidr: "0.0.0.0/1" }],
    ["TLS off with a client CIDR", { tls: false }, { clientCidr: "203.0.113.7/32" }],
    ["TLS off with public ingress", { tls: false }, { allowPublicIngress: true }],
    ["dashboard without a client CIDR", {}, { openDashboard: true }],
    ["log retention", {}, { logRetentionDays: 10 }],
    ["subnet id", {}, { subnets: ["my-subnet"] }],
  ];
  const messages = cases.map(([name, specInput, fargateInput]) => {
    try {
      resolveFargateSpec(
        { region: "us-east-1", ...fargateInput },
        resolveClusterSpec({ image: "dask:1", clusterId: "c1", ...specInput }),
      );
      return [name, "(no error)"];
    } catch (error) {
      return [name, (error as Error).message];
    }
  });
  expect(Object.fromEntries(messages)).toMatchInlineSnapshot(`
    {
      "TLS off with a client CIDR": "tls: TLS is off while client-cidr 203.0.113.7/32 opens the scheduler to clients outside the cluster; turn TLS on (the default), or drop the ingress and run the job in the cluster (job-runs-on: cluster)",
      "TLS off with public ingress": "tls: TLS is off while allow-public-ingress opens the scheduler to clients outside the cluster; turn TLS on (the default), or drop the ingress and run the job in the cluster (job-runs-on: cluster)",
      "a CPU size Fargate does not have": "worker-cpu: 3 vCPU is not a Fargate size; use 0.25, 0.5, 1, 2, 4, 8 or 16",
      "client CIDR": "client-cidr: "10.0.0.300/32" is not an IPv4 CIDR such as 203.0.113.7/32",
      "client CIDR that is the whole internet": "client-cidr: 0.0.0.0/0 opens the scheduler to the internet; set allow-public-ingress instead if you really mean it",
      "client CIDR wider than a /16": "client-cidr: 0.0.0.0/1 admits 2147483648 addresses; a client CIDR may be at most a /16 (use the runner's or your address/32), or set allow-public-ingress if you really mean it",
      "dashboard without a client CIDR": "open-dashboard: open-dashboard opens the dashboard to client-cidr: set client-cidr to your address/32 as well",
      "ephemeral storage": "ephemeral-storage: 500 GiB is outside Fargate's 21-200 GiB (leave it unset for the default 20 GiB)",
      "log retention": "log-retention-days: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      "memory above the CPU's range": "worker-memory: 32768 MiB does not fit 4 vCPU on Fargate; valid memory for 4 vCPU: 8192 to 30720 MiB in steps of 1024",
      "memory that does not fit the CPU": "worker-memory: 1024 MiB does not fit 1 vCPU on Fargate; valid memory for 1 vCPU: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB",
      "region": "region: "mars-1" is not an AWS region; write e.g. us-east-1",
      "role ARN": "execution-role-arn: "my-role" is not an IAM role ARN; write e.g. arn:aws:iam::123456789012:role/NAME",
      "scheduler memory": "scheduler-memory: 4096 MiB does not fit 0.25 vCPU on Fargate; valid memory for 0.25 vCPU: 512, 1024, 2048 MiB",
      "secret ARN": "secrets: the value of TOKEN is not a Secrets Manager secret or SSM parameter ARN",
      "subnet id": "subnets: "my-subnet" is not a subnet id; write ids such as subnet-0123456789abcdef0, separated by commas",
    }
  `);
});

describe("the plan holds every request up sends", () => {
  test("workers carry the scheduler's address in their RunTask overrides (never in a secret), ingress points at the group's own id marker, Spot falls back on demand", () => {
    const s = spec(12);
    const plan = planFargateCluster(s, fargate(s, { spotWorkers: true, clientCidr: "203.0.113.7/32" }), {
      ...facts,
      securityGroups: [PLAN_REFS.securityGroupId],
      tlsSecretArn: PLAN_REFS.tlsSecretArn,
    });
    expect(plan.workerRuns.map((r) => [r.count, r.clientToken])).toEqual([
      [10, "c1-w0-10-spot"],
      [2, "c1-w10-2-spot"],
    ]);
    // The secret holds the TLS files only, each key present from its creation: when ECS reads it cannot matter.
    expect(plan.taskDefinitions.worker.containerDefinitions?.[0]?.secrets?.map((x) => x.valueFrom)).toEqual(
      ["ca", "cert", "key"].map((key) => `${PLAN_REFS.tlsSecretArn}:${key}::`),
    );
    expect(JSON.stringify(withoutBootstrap(plan.taskDefinitions))).not.toContain("DASK_SCHEDULER_ADDRESS");
    for (const run of plan.workerRuns) {
      const overrides = JSON.stringify(run.overrides);
      expect(overrides).toContain(PLAN_REFS.schedulerAddress);
      // The TLS material never travels in an override: only the preamble that reads it from the environment.
      expect(overrides).not.toMatch(/BEGIN|PRIVATE KEY|DFA_TLS_[A-Z]+=/);
    }
    expect(plan.workerFallback).toBe("on-demand");
    expect(plan.securityGroup?.ingress).toEqual([
      {
        IpProtocol: "tcp",
        FromPort: 0,
        ToPort: 65535,
        UserIdGroupPairs: [{ GroupId: PLAN_REFS.securityGroupId, Description: "cluster members: Dask and XGBoost" }],
      },
      {
        IpProtocol: "tcp",
        FromPort: 8786,
        ToPort: 8786,
        IpRanges: [{ CidrIp: "203.0.113.7/32", Description: "Dask client: scheduler" }],
      },
    ]);
    const bound = bindPlan(plannedRequests(plan), {
      securityGroupId: "sg-1",
      tlsSecretArn: "arn:s",
      schedulerAddress: "tls://10.0.0.5:8786",
    });
    expect(JSON.stringify(bound)).not.toMatch(/<created:|<scheduler address>/);
    expect(bound.map((r) => `${r.stage} ${r.lane}: ${r.operation}`)).toEqual([
      "1 ecs cluster: ecs:CreateCluster",
      "1 log group: logs:CreateLogGroup",
      "1 log group: logs:PutRetentionPolicy",
      "1 security group: ec2:CreateSecurityGroup",
      "1 security group: ec2:AuthorizeSecurityGroupIngress",
      "1 secret and task definitions: secretsmanager:CreateSecret",
      "1 secret and task definitions: ecs:RegisterTaskDefinition",
      "1 secret and task definitions: ecs:RegisterTaskDefinition",
      "1 secret and task definitions: ecs:RegisterTaskDefinition",
      "2 scheduler: ecs:RunTask",
      "3 workers: ecs:RunTask",
      "3 workers: ecs:RunTask",
    ]);
  });

  test("without TLS there is no secret: the worker batches carry the scheduler-address marker and follow the scheduler's IP", () => {
    const s = spec(3, { tls: false });
    const plan = planFargateCluster(s, fargate(s), { ...facts, tlsSecretArn: undefined });
    expect(JSON.stringify(plan.workerRuns[0]?.overrides)).toContain(PLAN_REFS.schedulerAddress);
    expect(JSON.stringify(withoutBootstrap(plan.taskDefinitions))).not.toContain("DASK_SCHEDULER_ADDRESS");
    expect(plannedRequests(plan).map((r) => r.operation)).not.toContain("secretsmanager:PutSecretValue");
  });

  test("on-demand workers have no fallback; bindPlan leaves markers without a value in place", () => {
    const s = spec(1);
    const plan = planFargateCluster(s, fargate(s), facts);
    expect(plan.workerFallback).toBe("none");
    expect(bindPlan({ a: [`${PLAN_REFS.tlsSecretArn}:ca::`] }, { securityGroupId: "sg-1" })).toEqual({
      a: [`${PLAN_REFS.tlsSecretArn}:ca::`],
    });
    expect(bindPlan({ a: [`${PLAN_REFS.tlsSecretArn}:ca::`] }, { tlsSecretArn: "arn:s" })).toEqual({
      a: ["arn:s:ca::"],
    });
  });
});

describe("workers that find their scheduler (schedulerLookup workers-find-it)", () => {
  test("are planned right after the scheduler, with its task ARN, the cluster, protocol and port in their overrides and nothing secret", () => {
    const s = spec(12, { clientCidr: "203.0.113.7/32" });
    const plan = planFargateCluster(s, fargate(s), {
      ...facts,
      securityGroups: [PLAN_REFS.securityGroupId],
      tlsSecretArn: PLAN_REFS.tlsSecretArn,
      schedulerLookup: "workers-find-it",
    });
    expect(plan.schedulerLookup).toBe("workers-find-it");
    expect(plan.workerRuns.map((r) => [r.count, r.clientToken])).toEqual([
      [10, "c1-w0-10"],
      [2, "c1-w10-2"],
    ]);
    for (const run of plan.workerRuns) {
      const container = run.overrides?.containerOverrides?.[0];
      expect(container?.environment).toEqual([
        { name: "DFA_SCHEDULER_TASK", value: PLAN_REFS.schedulerTaskArn },
        { name: "DFA_ECS_CLUSTER", value: facts.ecsCluster },
        { name: "DFA_SCHEDULER_PROTOCOL", value: "tls" },
        { name: "DFA_SCHEDULER_PORT", value: "8786" },
      ]);
      const command = container?.command ?? [];
      // The TLS preamble, then the bootstrap from the definition's environment, then the worker without an address.
      expect(command.slice(4, 8)).toEqual(["sh", "-c", `exec "$0" -c "$${FIND_SCHEDULER_ENV}" "$@"`, "python3"]);
      expect(command).toContain("distributed.cli.dask_worker");
      expect(command).not.toContain(PLAN_REFS.schedulerAddress);
      expect(JSON.stringify(run.overrides)).not.toMatch(/BEGIN|PRIVATE KEY|DFA_TLS_[A-Z]+=|<scheduler address>/);
    }
    expect(plan.taskDefinitions.worker.containerDefinitions?.[0]?.environment).toContainEqual({
      name: FIND_SCHEDULER_ENV,
      value: FIND_SCHEDULER_PY,
    });
    expect(plan.taskDefinitions.scheduler.containerDefinitions?.[0]?.environment?.map((e) => e.name)).not.toContain(
      FIND_SCHEDULER_ENV,
    );
    const bound = bindPlan(plannedRequests(plan), {
      securityGroupId: "sg-1",
      tlsSecretArn: "arn:s",
      schedulerTaskArn: "arn:aws:ecs:us-east-1:1:task/c1/abc",
    });
    expect(JSON.stringify(bound)).not.toMatch(/<created:|<scheduler address>/);
    expect(bound.filter((r) => r.operation === "ecs:RunTask").map((r) => `${r.stage} ${r.lane}`)).toEqual([
      "2 scheduler",
      "2 workers",
      "2 workers",
    ]);
  });

  test("without TLS the protocol is tcp; the default stays the launch after the scheduler's IP", () => {
    const s = spec(3, { tls: false });
    const early = planFargateCluster(s, fargate(s), {
      ...facts,
      tlsSecretArn: undefined,
      schedulerLookup: "workers-find-it",
    });
    expect(early.workerRuns[0]?.overrides?.containerOverrides?.[0]?.environment).toContainEqual({
      name: "DFA_SCHEDULER_PROTOCOL",
      value: "tcp",
    });
    const late = planFargateCluster(s, fargate(s), { ...facts, tlsSecretArn: undefined });
    expect(late.schedulerLookup).toBe("after-ip");
    expect(JSON.stringify(late.workerRuns)).toContain(PLAN_REFS.schedulerAddress);
    expect(JSON.stringify(late.workerRuns)).not.toContain("DFA_SCHEDULER_TASK");
  });
});
