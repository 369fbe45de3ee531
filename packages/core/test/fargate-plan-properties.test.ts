import fc from "fast-check";
import { expect, test } from "vitest";
import { type FargateFacts, planFargateCluster, runTaskInput } from "../src/fargate/fargate-plan.js";
import { ClusterConfigError, resolveClusterSpec, resolveFargateSpec } from "../src/index.js";
import { jobEnvironment } from "../src/internal/dask-commands.js";

// Property-based test (issue 14): every cluster spec the checks accept plans task definitions Fargate
// takes, and every refused one is refused with a ClusterConfigError. Fargate's rules are written out here
// from the AWS documentation, not taken from fargate-sizes.ts, so a wrong table there makes this fail:
// - "Task CPU and memory" (ECS developer guide, Fargate): the CPU/memory pairs below.
// - RunTask `overrides`: "A total of 8192 characters are allowed for overrides. This limit includes the JSON
//   formatting characters of the override structure" (ECS API reference, TaskOverride/ContainerOverride).
// - RunTask `count`: "You can specify up to 10 tasks for each call."

const range = (from: number, to: number, step: number) =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
const AWS_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};
const OVERRIDES_LIMIT = 8192;

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

/** Mostly pairs Fargate has (so the property has accepted specs to check), sometimes any CPU and memory. */
const validPair = fc
  .constantFrom(...Object.entries(AWS_SIZES))
  .chain(([units, memories]) => fc.constantFrom(...memories).map((m) => [Number(units) / 1024, m] as const));
const anyPair = fc.tuple(
  fc.constantFrom(0.25, 0.5, 1, 2, 4, 8, 16, 3, 0.3, 32),
  fc.integer({ min: 256, max: 130_000 }),
);
const pair = fc.oneof({ arbitrary: validPair, weight: 5 }, { arbitrary: anyPair, weight: 1 });
const clusterInput = fc
  .record({
    workers: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 500 })),
    worker: pair,
    scheduler: pair,
    tls: fc.boolean(),
    allowUnboundedCost: fc.oneof(
      { arbitrary: fc.constant(true), weight: 3 },
      { arbitrary: fc.constant(false), weight: 1 },
    ),
  })
  .map(({ worker, scheduler, ...rest }) => ({
    ...rest,
    workerCpu: worker[0],
    workerMemory: `${worker[1]}MiB`,
    schedulerCpu: scheduler[0],
    schedulerMemory: `${scheduler[1]}MiB`,
  }));
const fargateInput = fc.record({
  spotWorkers: fc.boolean(),
  secrets: fc.dictionary(
    fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
    fc
      .stringMatching(/^[a-z0-9-]{1,40}$/)
      .map((n) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${n}-AbCdEf`),
    { maxKeys: 20 },
  ),
});

/** The override text RunTask counts: the JSON of `overrides`. */
const overrideSize = (input: { overrides?: unknown }) => JSON.stringify(input.overrides ?? {}).length;

test("every accepted cluster spec plans task definitions and RunTask requests within Fargate's limits", () => {
  let accepted = 0;
  fc.assert(
    fc.property(clusterInput, fargateInput, fc.string({ maxLength: 600 }), (cluster, fargate, jobCommand) => {
      let plan: ReturnType<typeof planFargateCluster>;
      let spec: ReturnType<typeof resolveClusterSpec>;
      let resolved: ReturnType<typeof resolveFargateSpec>;
      try {
        spec = resolveClusterSpec({
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-1",
          clusterId: "c1",
          ...cluster,
        });
        resolved = resolveFargateSpec(
          { region: "us-east-1", executionRoleArn: "arn:aws:iam::123456789012:role/reads-secrets", ...fargate },
          spec,
        );
        plan = planFargateCluster(spec, resolved, facts);
      } catch (error) {
        expect(ClusterConfigError.isInstance(error), String(error)).toBe(true);
        return;
      }
      accepted += 1;
      for (const definition of Object.values(plan.taskDefinitions)) {
        const units = Number(definition.cpu);
        expect(AWS_SIZES[units], `cpu ${definition.cpu}`).toBeDefined();
        expect(AWS_SIZES[units]).toContain(Number(definition.memory));
        expect(definition.requiresCompatibilities).toEqual(["FARGATE"]);
        expect(definition.networkMode).toBe("awsvpc");
      }
      const runs = [plan.schedulerRun, ...plan.workerRuns];
      for (const run of runs) {
        expect(run.count ?? 1).toBeLessThanOrEqual(10);
        expect(overrideSize(run)).toBeLessThanOrEqual(OVERRIDES_LIMIT);
      }
      expect(plan.workerRuns.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(spec.workers);
      // The job's RunTask: its command and the cluster's settings travel as environment overrides.
      const job = runTaskInput(
        spec,
        resolved,
        facts,
        "job",
        1,
        "c1-job",
        undefined,
        false,
        jobEnvironment(spec, "tls://10.0.0.1:8786", jobCommand),
      );
      expect(overrideSize(job)).toBeLessThanOrEqual(OVERRIDES_LIMIT);
    }),
    { numRuns: 400 },
  );
  expect(accepted).toBeGreaterThan(20);
});
