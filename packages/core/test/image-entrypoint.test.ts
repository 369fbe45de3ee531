import type Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { createMember } from "../src/docker/members.js";
import { type FargateFacts, planFargateCluster, runTaskInput, workerRunInputs } from "../src/fargate/fargate-plan.js";
import { resolveClusterSpec, resolveFargateSpec } from "../src/index.js";

// A cluster image may bring its own ENTRYPOINT (the tutorial's: tini, then a prepare.sh that ends in exec "$@").
// Our commands must reach it as arguments: Docker's Cmd and ECS's `command` are passed to the image's entrypoint,
// while setting Entrypoint / `entryPoint` would replace it
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_command).
const facts: FargateFacts = {
  ecsCluster: "arn:aws:ecs:us-east-1:123456789012:cluster/c1",
  executionRoleArn: "arn:aws:iam::123456789012:role/execution",
  taskRoleArn: "arn:aws:iam::123456789012:role/task",
  subnets: ["subnet-0a"],
  securityGroups: ["sg-0c"],
  assignPublicIp: false,
  tlsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:dask-fargate-action/c1/tls-AbCdEf",
  createdAt: "2026-11-26T00:00:00.000Z",
  expiresAt: "2026-11-26T06:00:00.000Z",
};

describe.each([true, false])("no entrypoint is ever set (tls %s)", (tls) => {
  const spec = resolveClusterSpec({
    image: "registry.example.com/own:dockerfile-0123456789abcdef",
    clusterId: "c1",
    workers: 12,
    tls,
  });
  const fargate = resolveFargateSpec({ region: "us-east-1" }, spec);

  test("Fargate: every task definition sets the command only, and no RunTask override sets an entrypoint", () => {
    const plan = planFargateCluster(spec, fargate, facts);
    for (const definition of Object.values(plan.taskDefinitions)) {
      for (const container of definition.containerDefinitions ?? []) {
        expect(container).not.toHaveProperty("entryPoint");
        expect(container.command?.length).toBeGreaterThan(0);
      }
    }
    const runs = [
      plan.schedulerRun,
      runTaskInput(spec, fargate, facts, "job", 1, "c1-job", ["python3", "train.py"], false),
    ];
    runs.push(...workerRunInputs(spec, fargate, facts, "tls://10.0.0.1:8786", 0, 12, false));
    for (const run of runs)
      for (const override of run.overrides?.containerOverrides ?? []) expect(override).not.toHaveProperty("entryPoint");
  });

  test("Docker: member containers get Cmd and no Entrypoint", async () => {
    let created: Docker.ContainerCreateOptions | undefined;
    const docker = {
      createContainer: async (options: Docker.ContainerCreateOptions) => (created = options),
    } as unknown as Docker;
    await createMember(docker, spec, {
      role: "worker",
      name: "c1-worker-0",
      command: ["python3", "-m", "distributed.cli.dask_worker"],
      cpu: 1,
      memoryMiB: 1024,
      environment: {},
      createdAt: facts.createdAt,
      expiresAt: facts.expiresAt,
    });
    expect(created).not.toHaveProperty("Entrypoint");
    expect(created?.Cmd).toEqual(["python3", "-m", "distributed.cli.dask_worker"]);
  });
});
