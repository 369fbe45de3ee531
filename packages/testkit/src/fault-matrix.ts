import type { AwsClients } from "@dask-fargate-action/core";
import type { FaultRule } from "@dask-fargate-action/emulator";

/**
 * The fault scenario matrix (issue 14): one table, one runner. Each scenario puts a fault on one phase of a
 * cluster's life on the Fargate emulator (tasks without containers, `--exec none`, so the matrix is fast):
 * through the emulator's fault rules where it makes the fault (throttling, 5xx, dropped connections, slow
 * answers, capacity failures[]), through SDK middleware where AWS's answer is not an emulator rule (IAM
 * propagation, expired tokens, tasks stopped by CannotPullContainerError / ResourceInitializationError).
 * Each row runs as the CLI's and the action's `run` does (the pipeline, `packages/pipeline/test/fault-matrix-emulator.itest.ts`):
 * after it, nothing of the cluster remains; the emulator's record (or the middleware's count) shows the fault was
 * used; a failure's message names the cause and the phase (`up phase: …`, `down phase: …`).
 * docs/reliability.md lists this table (a unit test keeps the two the same).
 */

/** The phases of a cluster's start and teardown, in order; the job and outputs phases need containers ({@link JOB_SCENARIOS}). */
export const PHASES = [
  "roles",
  "security group",
  "secret",
  "task definitions",
  "scheduler launch",
  "worker launch",
  "waiting",
  "teardown",
] as const;
export type Phase = (typeof PHASES)[number];

/** What a scenario must end in: up recovers (retries) and the cluster runs, or up fails with a message naming `cause`. */
export type Outcome = { readonly kind: "recovers" } | { readonly kind: "fails"; readonly cause: RegExp };

/** SDK middleware on the run's clients: installs itself, calls `fired` each time it makes its fault, returns its removal. */
export type Middleware = (clients: AwsClients, fired: () => void) => () => void;

/** The phase of a run a matrix phase belongs to, as the run's message names it: the teardown is `down`, the rest `up`. */
export const runPhaseOf = (phase: Phase): "up" | "down" => (phase === "teardown" ? "down" : "up");

export interface Scenario {
  readonly phase: Phase;
  readonly fault: string;
  /** Emulator fault rules, added when the phase starts (before up, or before down for the teardown). */
  readonly rules?: readonly FaultRule[];
  /** SDK middleware faults on the code's clients, for answers the emulator has no rule for. */
  readonly middleware?: Middleware;
  readonly outcome: Outcome;
}

type ClientName = "ecs" | "ec2" | "iam" | "secrets" | "logs";

/** SDK middleware that answers `operation` with an AWS error named `name` for the first `times` calls. */
export function failWith(
  client: ClientName,
  operation: string,
  name: string,
  message: string,
  times: number,
): Middleware {
  return (clients, fired) => {
    let left = times;
    const stack = (
      clients[client] as unknown as {
        middlewareStack: { add: (m: unknown, o: unknown) => void; remove: (n: string) => boolean };
      }
    ).middlewareStack;
    const id = `fault-${operation}-${name}`;
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        if (context.commandName !== `${operation}Command` || left <= 0) return next(args);
        left -= 1;
        fired();
        throw Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: 400 } });
      },
      { step: "initialize", name: id, override: true },
    );
    return () => stack.remove(id);
  };
}

/** SDK middleware that shows the first scheduler task STOPPED with `reason` in DescribeTasks (a task that failed to start). */
export function stopsWith(reason: string): Middleware {
  return (clients, fired) => {
    const stack = (
      clients.ecs as unknown as {
        middlewareStack: { add: (m: unknown, o: unknown) => void; remove: (n: string) => boolean };
      }
    ).middlewareStack;
    type Task = {
      lastStatus?: string;
      desiredStatus?: string;
      stopCode?: string;
      stoppedReason?: string;
      group?: string;
      taskDefinitionArn?: string;
    };
    stack.add(
      (next: (args: unknown) => Promise<{ output: { tasks?: Task[] } }>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const answer = await next(args);
          if (context.commandName !== "DescribeTasksCommand") return answer;
          for (const task of answer.output.tasks ?? []) {
            if (!task.taskDefinitionArn?.includes("-scheduler:")) continue;
            fired();
            Object.assign(task, {
              lastStatus: "STOPPED",
              desiredStatus: "STOPPED",
              stopCode: "TaskFailedToStart",
              stoppedReason: reason,
            });
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
    {
      phase: phase as Phase,
      fault: `ThrottlingException burst (3) on ${operation}`,
      rules: [throttle(operation)],
      outcome: recovers,
    },
    { phase: phase as Phase, fault: `HTTP 503 twice on ${operation}`, rules: [error5xx(operation)], outcome: recovers },
    {
      phase: phase as Phase,
      fault: `slow answer (1.5 s) on ${operation}`,
      rules: [slow(operation)],
      outcome: recovers,
    },
    {
      phase: phase as Phase,
      fault: `HTTP 500 on every ${operation}`,
      rules: [{ operation, kind: "error", status: 500 }],
      outcome: fails(new RegExp(operation)),
    },
  ]),
  {
    phase: "security group",
    fault: "dropped connection on AuthorizeSecurityGroupIngress",
    rules: [drop("AuthorizeSecurityGroupIngress")],
    outcome: recovers,
  },
  {
    phase: "task definitions",
    fault: "iam:PassRole denied for the first 2 calls (IAM propagation)",
    middleware: failWith(
      "ecs",
      "RegisterTaskDefinition",
      "AccessDeniedException",
      "User is not authorized to perform: iam:PassRole on resource",
      2,
    ),
    outcome: recovers,
  },
  {
    phase: "scheduler launch",
    fault: "ThrottlingException burst (3) on RunTask",
    rules: [throttle("RunTask")],
    outcome: recovers,
  },
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
    middleware: failWith(
      "ecs",
      "RunTask",
      "InvalidParameterException",
      "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/x'",
      1,
    ),
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
  {
    phase: "waiting",
    fault: "ThrottlingException burst (3) on DescribeTasks",
    rules: [throttle("DescribeTasks")],
    outcome: recovers,
  },
  { phase: "waiting", fault: "HTTP 503 twice on DescribeTasks", rules: [error5xx("DescribeTasks")], outcome: recovers },
  {
    phase: "waiting",
    fault: "slow answer (1.5 s) on DescribeTasks",
    rules: [slow("DescribeTasks")],
    outcome: recovers,
  },
  {
    phase: "teardown",
    fault: "ThrottlingException burst (3) on StopTask",
    rules: [throttle("StopTask")],
    outcome: recovers,
  },
  {
    phase: "teardown",
    fault: "HTTP 503 twice on DeleteSecurityGroup",
    rules: [error5xx("DeleteSecurityGroup")],
    outcome: recovers,
  },
  {
    phase: "teardown",
    fault: "ExpiredTokenException on StopTask (credentials ran out); a second teardown with fresh ones",
    middleware: failWith(
      "ecs",
      "StopTask",
      "ExpiredTokenException",
      "The security token included in the request is expired",
      1000,
    ),
    outcome: fails(/ExpiredToken|expired/),
  },
  { phase: "teardown", fault: "teardown twice (the second finds nothing)", rules: [], outcome: recovers },
];

/**
 * The job and outputs phases: a real job (a container of the job task definition, real Dask in the image) on a
 * real cluster (the emulator with `--exec docker`), run the way the CLI and the action run it — the pipeline's
 * `runPipeline` (image given → up → job → outputs → down); `packages/pipeline/test/fault-matrix-jobs-emulator.itest.ts`
 * is the runner. After each: nothing of the cluster remains in AWS, and the run's one-line message names the
 * cause and the phase (`job phase`, `outputs phase`). The faults are armed once the cluster is ready, so they hit
 * the job and its outputs, not the start; they are cleared before the teardown.
 */
export const JOB_PHASES = ["job", "outputs"] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

/** The job a scenario runs: writes `model.json` to DFA_OUTPUT_DIR; waits 12 s after saying "job running"; or writes past its task's memory. */
export type JobKind = "outputs" | "wait" | "oom";

/** How a container scenario must end: the job succeeds (and every output came back), or the message names `cause` and the phase. */
export type JobOutcome =
  | { readonly kind: "recovers" }
  | { readonly kind: "reports"; readonly cause: RegExp }
  | { readonly kind: "fails"; readonly cause: RegExp };

export interface JobScenario {
  readonly phase: JobPhase;
  readonly fault: string;
  readonly job: JobKind;
  /** Emulator fault rules, armed when the cluster is ready (S3 rules hit the job task's uploader or the runner's download by operation). */
  readonly rules?: readonly FaultRule[];
  /** A Spot interruption (the emulator's admin call) of the first worker once the job says it runs; workers on FARGATE_SPOT. */
  readonly interruptSpotWorker?: boolean;
  /** What makes the fault when it is not a rule (the doc's "injected by"). */
  readonly injectedBy?: string;
  readonly outcome: JobOutcome;
}

export const JOB_SCENARIOS: readonly JobScenario[] = [
  {
    phase: "job",
    fault: "the job task writes past its memory (a real container killed by the kernel: OutOfMemoryError)",
    job: "oom",
    injectedBy: "real container",
    outcome: { kind: "fails", cause: /OutOfMemoryError/ },
  },
  {
    phase: "job",
    fault: "Spot interruption of a worker while the job runs",
    job: "wait",
    interruptSpotWorker: true,
    injectedBy: "emulator admin call",
    outcome: { kind: "reports", cause: /SpotInterruption/ },
  },
  {
    phase: "job",
    fault: "ThrottlingException burst (3) on DescribeTasks while the job is polled",
    job: "wait",
    rules: [throttle("DescribeTasks")],
    outcome: recovers,
  },
  {
    phase: "job",
    fault: "HTTP 500 on every GetLogEvents while the job's log is read",
    job: "wait",
    rules: [{ operation: "GetLogEvents", kind: "error", status: 500 }],
    outcome: { kind: "fails", cause: /GetLogEvents/ },
  },
  {
    phase: "outputs",
    fault: "HTTP 503 twice on PutObject (the job task's uploader)",
    job: "outputs",
    rules: [error5xx("PutObject")],
    outcome: recovers,
  },
  {
    phase: "outputs",
    fault: "HTTP 500 on every PutObject (the job task's uploader)",
    job: "outputs",
    rules: [{ operation: "PutObject", kind: "error", status: 500 }],
    outcome: { kind: "fails", cause: /could not upload/ },
  },
  {
    phase: "outputs",
    fault: "dropped connection on GetObject (the download)",
    job: "outputs",
    rules: [drop("GetObject")],
    outcome: recovers,
  },
  {
    phase: "outputs",
    fault: "HTTP 500 on every GetObject (the download)",
    job: "outputs",
    rules: [{ operation: "GetObject", kind: "error", status: 500 }],
    outcome: { kind: "fails", cause: /GetObject/ },
  },
];
