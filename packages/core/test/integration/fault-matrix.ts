import type { Emulator, FaultRule } from "@dask-fargate-action/emulator";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  type FargateClusterHandle,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../../src/index.js";
import { awsLeftovers } from "./aws-state.js";

/**
 * The fault scenario matrix (issue 14): one table, one runner. Each scenario puts a fault on one phase of a
 * cluster's life on the Fargate emulator (tasks without containers, `--exec none`, so the matrix is fast):
 * through the emulator's fault rules where it makes the fault (throttling, 5xx, dropped connections, slow
 * answers, capacity failures[]), through SDK middleware where AWS's answer is not an emulator rule (IAM
 * propagation, expired tokens, tasks stopped by CannotPullContainerError / ResourceInitializationError).
 * After each: nothing of the cluster remains, and a failure's message names the cause.
 * docs/reliability.md lists this table (a unit test keeps the two the same).
 */

/** The phases of a run, in order; the job and outputs phases need containers and are covered elsewhere. */
export const PHASES = ["roles", "security group", "secret", "task definitions", "scheduler launch", "worker launch", "waiting", "teardown"] as const;
export type Phase = (typeof PHASES)[number];

/** What a scenario must end in: up recovers (retries) and the cluster runs, or up fails with a message naming `cause`. */
export type Outcome = { readonly kind: "recovers" } | { readonly kind: "fails"; readonly cause: RegExp };

export interface Scenario {
  readonly phase: Phase;
  readonly fault: string;
  /** Emulator fault rules, added when the phase starts (before up, or before down for the teardown). */
  readonly rules?: readonly FaultRule[];
  /** SDK middleware faults on the code's clients, for answers the emulator has no rule for. */
  readonly middleware?: (clients: AwsClients) => () => void;
  readonly outcome: Outcome;
}

type ClientName = "ecs" | "ec2" | "iam" | "secrets" | "logs";

/** SDK middleware that answers `operation` with an AWS error named `name` for the first `times` calls. */
export function failWith(client: ClientName, operation: string, name: string, message: string, times: number): (clients: AwsClients) => () => void {
  return (clients) => {
    let left = times;
    const stack = (clients[client] as unknown as { middlewareStack: { add: (m: unknown, o: unknown) => void; remove: (n: string) => boolean } })
      .middlewareStack;
    const id = `fault-${operation}-${name}`;
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        if (context.commandName !== `${operation}Command` || left <= 0) return next(args);
        left -= 1;
        throw Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: 400 } });
      },
      { step: "initialize", name: id, override: true },
    );
    return () => stack.remove(id);
  };
}

/** SDK middleware that shows the first scheduler task STOPPED with `reason` in DescribeTasks (a task that failed to start). */
export function stopsWith(reason: string): (clients: AwsClients) => () => void {
  return (clients) => {
    const stack = (clients.ecs as unknown as { middlewareStack: { add: (m: unknown, o: unknown) => void; remove: (n: string) => boolean } }).middlewareStack;
    type Task = { lastStatus?: string; desiredStatus?: string; stopCode?: string; stoppedReason?: string; group?: string; taskDefinitionArn?: string };
    stack.add(
      (next: (args: unknown) => Promise<{ output: { tasks?: Task[] } }>, context: { commandName?: string }) => async (args: unknown) => {
        const answer = await next(args);
        if (context.commandName !== "DescribeTasksCommand") return answer;
        for (const task of answer.output.tasks ?? []) {
          if (!task.taskDefinitionArn?.includes("-scheduler:")) continue;
          Object.assign(task, { lastStatus: "STOPPED", desiredStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedReason: reason });
        }
        return answer;
      },
      { step: "initialize", name: "stops-with", override: true },
    );
    return () => stack.remove("stops-with");
  };
}

const throttle = (operation: string, times = 3): FaultRule => ({ operation, kind: "throttle", times });
const error5xx = (operation: string, times = 2): FaultRule => ({ operation, kind: "error", status: 503, times });
const slow = (operation: string): FaultRule => ({ operation, kind: "slow", delayMs: 1500, times: 1 });
const drop = (operation: string): FaultRule => ({ operation, kind: "drop", times: 1 });
const recovers: Outcome = { kind: "recovers" };
const fails = (cause: RegExp): Outcome => ({ kind: "fails", cause });

/** The operation of each setup phase that the faults hit. */
const SETUP: Record<Exclude<Phase, "scheduler launch" | "worker launch" | "waiting" | "teardown">, string> = {
  roles: "GetRole",
  "security group": "CreateSecurityGroup",
  secret: "CreateSecret",
  "task definitions": "RegisterTaskDefinition",
};

export const SCENARIOS: readonly Scenario[] = [
  ...Object.entries(SETUP).flatMap(([phase, operation]): Scenario[] => [
    { phase: phase as Phase, fault: `ThrottlingException burst (3) on ${operation}`, rules: [throttle(operation)], outcome: recovers },
    { phase: phase as Phase, fault: `HTTP 503 twice on ${operation}`, rules: [error5xx(operation)], outcome: recovers },
    { phase: phase as Phase, fault: `slow answer (1.5 s) on ${operation}`, rules: [slow(operation)], outcome: recovers },
    {
      phase: phase as Phase,
      fault: `HTTP 500 on every ${operation}`,
      rules: [{ operation, kind: "error", status: 500 }],
      outcome: fails(new RegExp(operation)),
    },
  ]),
  { phase: "security group", fault: "dropped connection on AuthorizeSecurityGroupIngress", rules: [drop("AuthorizeSecurityGroupIngress")], outcome: recovers },
  {
    phase: "task definitions",
    fault: "iam:PassRole denied for the first 2 calls (IAM propagation)",
    middleware: failWith("ecs", "RegisterTaskDefinition", "AccessDeniedException", "User is not authorized to perform: iam:PassRole on resource", 2),
    outcome: recovers,
  },
  { phase: "scheduler launch", fault: "ThrottlingException burst (3) on RunTask", rules: [throttle("RunTask")], outcome: recovers },
  { phase: "scheduler launch", fault: "HTTP 503 twice on RunTask", rules: [error5xx("RunTask")], outcome: recovers },
  {
    phase: "scheduler launch",
    fault: "capacity failures[] on every RunTask",
    rules: [{ operation: "RunTask", kind: "capacity" }],
    outcome: fails(/[Cc]apacity/),
  },
  {
    phase: "scheduler launch",
    fault: "ECS unable to assume the role for the first call (IAM propagation)",
    middleware: failWith("ecs", "RunTask", "InvalidParameterException", "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/x'", 1),
    outcome: recovers,
  },
  {
    phase: "scheduler launch",
    fault: "CannotPullContainerError (the scheduler task stops)",
    middleware: stopsWith("CannotPullContainerError: pull image manifest has been retried 5 time(s): not found"),
    outcome: fails(/CannotPullContainerError/),
  },
  {
    phase: "scheduler launch",
    fault: "ResourceInitializationError (the scheduler task stops)",
    middleware: stopsWith("ResourceInitializationError: unable to pull secrets or registry auth"),
    outcome: fails(/ResourceInitializationError/),
  },
  {
    phase: "worker launch",
    fault: "capacity failures[] for 1 task, once",
    rules: [{ operation: "RunTask", kind: "capacity", count: 1, times: 1 }],
    outcome: recovers,
  },
  { phase: "worker launch", fault: "dropped connection on RunTask", rules: [drop("RunTask")], outcome: recovers },
  { phase: "waiting", fault: "ThrottlingException burst (3) on DescribeTasks", rules: [throttle("DescribeTasks")], outcome: recovers },
  { phase: "waiting", fault: "HTTP 503 twice on DescribeTasks", rules: [error5xx("DescribeTasks")], outcome: recovers },
  { phase: "waiting", fault: "slow answer (1.5 s) on DescribeTasks", rules: [slow("DescribeTasks")], outcome: recovers },
  { phase: "teardown", fault: "ThrottlingException burst (3) on StopTask", rules: [throttle("StopTask")], outcome: recovers },
  { phase: "teardown", fault: "HTTP 503 twice on DeleteSecurityGroup", rules: [error5xx("DeleteSecurityGroup")], outcome: recovers },
  {
    phase: "teardown",
    fault: "ExpiredTokenException on StopTask (credentials ran out); a second teardown with fresh ones",
    middleware: failWith("ecs", "StopTask", "ExpiredTokenException", "The security token included in the request is expired", 1000),
    outcome: fails(/ExpiredToken|expired/),
  },
  { phase: "teardown", fault: "teardown twice (the second finds nothing)", rules: [], outcome: recovers },
];

/** What a scenario did: its outcome, the message the user saw, how long it took, and what remained. */
export interface ScenarioResult {
  readonly ok: boolean;
  readonly message: string;
  readonly seconds: number;
  readonly leftovers: readonly string[];
}

/**
 * Runs one scenario: up (with the fault on the setup, launch or waiting phases), then down by cluster id
 * alone (as after a crash) — for the teardown phase the fault is on that first down, and a second down with
 * no fault must finish. `ok` when the outcome matches and nothing of the cluster remains.
 */
export async function runScenario(emulator: Emulator, scenario: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  const clients = createAwsClients({ region: "us-east-1" });
  const spec = resolveClusterSpec({ image: "dask:matrix", clusterId: newClusterId(), workers: 2, workerCpu: 1, workerMemory: "2GB" });
  const arm = () => {
    for (const rule of scenario.rules ?? []) emulator.addFault(rule);
    return scenario.middleware?.(clients) ?? (() => undefined);
  };
  let message = "";
  let handle: FargateClusterHandle | undefined;
  const disarmUp = scenario.phase === "teardown" ? () => undefined : arm();
  try {
    handle = await upFargateCluster(spec, resolveFargateSpec({ region: "us-east-1" }, spec), { clients });
  } catch (error) {
    message = (error as Error).message;
  } finally {
    disarmUp();
    if (scenario.phase !== "teardown") emulator.clearFaults();
  }
  if (scenario.phase === "teardown") {
    const disarm = arm();
    try {
      await downFargateCluster({ clusterId: spec.clusterId, ...(handle?.fargate ? { resources: handle.fargate } : {}) }, { clients });
    } catch (error) {
      message = (error as Error).message;
    } finally {
      disarm();
      emulator.clearFaults();
    }
  }
  await downFargateCluster({ clusterId: spec.clusterId }, { clients });
  const leftovers = await awsLeftovers(createAwsClients({ region: "us-east-1" }), spec.clusterId);
  const outcomeOk =
    scenario.outcome.kind === "recovers" ? message === "" && (scenario.phase === "teardown" || handle !== undefined) : scenario.outcome.cause.test(message);
  return { ok: outcomeOk && leftovers.length === 0, message, seconds: (Date.now() - started) / 1000, leftovers };
}
