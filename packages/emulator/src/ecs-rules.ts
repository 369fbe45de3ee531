import type {
  DescribeTasksRequest,
  ListTasksRequest,
  RegisterTaskDefinitionRequest,
  RunTaskRequest,
  StopTaskRequest,
  Tag,
  TaskDefinition,
  TaskOverride,
} from "@aws-sdk/client-ecs";
import { clientException, invalidParameter } from "./errors.js";
import { isFargateSize, parseCpu, parseMemory } from "./fargate-sizes.js";

// The rules ECS applies to the task operations, as pure functions: each throws the error ECS answers.
// Sources are the ECS API reference pages (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/)
// and the project's facts.md; each rule names its own.

/** RunTask `count`: 1 to 10 tasks per call (API_RunTask.html "count"; facts.md "at most 10 tasks per call"). */
export const RUN_TASK_MAX_COUNT = 10;
/** `clientToken`: up to 64 ASCII characters, valid for 24 hours (API_RunTask.html "clientToken"; facts.md). */
export const CLIENT_TOKEN_MAX = 64;
export const CLIENT_TOKEN_TTL_MS = 24 * 3600 * 1000;
/** `startedBy`: up to 36 letters, numbers, hyphens, forward slashes and underscores (API_RunTask.html "startedBy"). */
export const STARTED_BY_MAX = 36;
/** Container overrides are capped at 8192 characters (API_TaskOverride.html; facts.md). */
export const OVERRIDES_MAX_CHARS = 8192;
/** DescribeTasks takes up to 100 tasks (API_DescribeTasks.html "tasks"; facts.md). */
export const DESCRIBE_TASKS_MAX = 100;
/** ListTasks `maxResults`: 1 to 100, default 100 (API_ListTasks.html). */
export const LIST_TASKS_MAX = 100;
/** Tags: at most 50 per resource, keys ≤ 128 and values ≤ 256 characters, `aws:` reserved (API_Tag.html). */
export const TAGS_MAX = 50;
/** Stopped tasks stay visible for at least an hour (API_DescribeTasks.html; facts.md). */
export const STOPPED_TASK_RETENTION_MS = 3600 * 1000;
/** `stopTimeout`: default 30 s, at most 120 s on Fargate (API_ContainerDefinition.html "stopTimeout"; facts.md). */
export const STOP_TIMEOUT_DEFAULT_S = 30;
export const STOP_TIMEOUT_MAX_S = 120;
/** Fargate's capacity providers (developer guide, "Amazon ECS clusters for Fargate"). */
export const FARGATE_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
export type FargateProvider = (typeof FARGATE_PROVIDERS)[number];

/** What RunTask needs after its request passed the shape rules. */
export interface RunTaskShape {
  readonly count: number;
  /** Capacity provider every task of this call goes to. */
  readonly provider: FargateProvider;
  /** Whether the call named a launch type (DescribeTasks then shows `launchType`), or a strategy (`capacityProviderName`). */
  readonly viaStrategy: boolean;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
}

/** The shape rules of RunTask: those that need no lookup. */
export function checkRunTaskShape(input: RunTaskRequest): RunTaskShape {
  if (!input.taskDefinition) throw invalidParameter("taskDefinition can not be blank.");
  const count = input.count ?? 1;
  // API_RunTask.html "count": valid range 1-10.
  if (!Number.isInteger(count) || count < 1 || count > RUN_TASK_MAX_COUNT)
    throw invalidParameter(`count must be between 1 and ${RUN_TASK_MAX_COUNT}.`);
  // API_RunTask.html "clientToken": up to 64 ASCII characters.
  if (
    input.clientToken !== undefined &&
    (input.clientToken.length > CLIENT_TOKEN_MAX || !/^[\x20-\x7e]+$/.test(input.clientToken))
  )
    throw invalidParameter(`clientToken must be 1 to ${CLIENT_TOKEN_MAX} ASCII characters.`);
  // API_RunTask.html "startedBy": up to 36 letters, numbers, hyphens, forward slashes and underscores.
  if (
    input.startedBy !== undefined &&
    (input.startedBy.length > STARTED_BY_MAX || !/^[A-Za-z0-9/_-]*$/.test(input.startedBy))
  )
    throw invalidParameter(
      `startedBy must be at most ${STARTED_BY_MAX} letters, numbers, hyphens, forward slashes and underscores.`,
    );
  const strategy = input.capacityProviderStrategy;
  // API_RunTask.html "capacityProviderStrategy": "If a capacityProviderStrategy is specified, the launchType parameter must be omitted."
  if (input.launchType !== undefined && strategy !== undefined)
    throw invalidParameter(
      "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
    );
  let provider: FargateProvider;
  if (strategy !== undefined) {
    if (strategy.length === 0 || strategy.length > 20)
      throw invalidParameter("capacityProviderStrategy must have 1 to 20 items.");
    for (const item of strategy) {
      if (!FARGATE_PROVIDERS.includes(item.capacityProvider as FargateProvider))
        throw invalidParameter(
          `The specified capacity provider ${item.capacityProvider} is not a Fargate capacity provider; the emulator runs FARGATE and FARGATE_SPOT only.`,
        );
      // API_CapacityProviderStrategyItem.html: weight 0-1000, base 0-100000, base on one provider only.
      if ((item.weight ?? 0) < 0 || (item.weight ?? 0) > 1000)
        throw invalidParameter("weight must be between 0 and 1000.");
      if ((item.base ?? 0) < 0 || (item.base ?? 0) > 100000)
        throw invalidParameter("base must be between 0 and 100000.");
    }
    if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1)
      throw invalidParameter("Only one capacity provider in a strategy can have a base defined.");
    const positive = strategy.filter((s) => (s.weight ?? 0) > 0 || (s.base ?? 0) > 0);
    if (positive.length === 0)
      throw invalidParameter("At least one capacity provider in the strategy must have a weight greater than 0.");
    // One provider per call in the emulator: the first one with a base, else the heaviest.
    const chosen =
      strategy.find((s) => (s.base ?? 0) > 0) ?? [...positive].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))[0];
    provider = chosen?.capacityProvider as FargateProvider;
  } else {
    // A launch type other than FARGATE needs EC2/EXTERNAL capacity, which an emulated Fargate account has none of.
    if (input.launchType !== undefined && input.launchType !== "FARGATE")
      throw invalidParameter(
        `launchType ${input.launchType} is not supported by the emulator; use FARGATE or a FARGATE/FARGATE_SPOT capacity provider strategy.`,
      );
    if (input.launchType === undefined)
      // Without either, ECS uses the cluster's default strategy; the emulator asks for an explicit choice.
      throw invalidParameter(
        "No launchType or capacityProviderStrategy given and the emulated cluster has no default capacity provider strategy.",
      );
    provider = "FARGATE";
  }
  // API_AwsVpcConfiguration.html: tasks with the awsvpc network mode (all Fargate tasks) need networkConfiguration with subnets.
  const vpc = input.networkConfiguration?.awsvpcConfiguration;
  if (!vpc) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (!vpc.subnets || vpc.subnets.length === 0) throw invalidParameter("subnets can not be empty.");
  // API_AwsVpcConfiguration.html: at most 16 subnets and 5 security groups.
  if (vpc.subnets.length > 16) throw invalidParameter("At most 16 subnets can be specified.");
  if ((vpc.securityGroups ?? []).length > 5) throw invalidParameter("At most 5 security groups can be specified.");
  checkTags(input.tags ?? []);
  if (input.overrides && JSON.stringify(input.overrides.containerOverrides ?? []).length > OVERRIDES_MAX_CHARS)
    throw invalidParameter(`Container Overrides length must be at most ${OVERRIDES_MAX_CHARS}`);
  return {
    count,
    provider,
    viaStrategy: strategy !== undefined,
    subnets: vpc.subnets,
    securityGroups: vpc.securityGroups ?? [],
    assignPublicIp: vpc.assignPublicIp === "ENABLED",
  };
}

/** Tag rules (API_Tag.html; "Tagging your Amazon ECS resources"). */
export function checkTags(tags: readonly Tag[]): void {
  if (tags.length > TAGS_MAX) throw invalidParameter(`Too many tags: at most ${TAGS_MAX} per resource.`);
  for (const tag of tags) {
    if (!tag.key || tag.key.length > 128) throw invalidParameter("Tag keys must be 1 to 128 characters.");
    if ((tag.value ?? "").length > 256) throw invalidParameter("Tag values must be at most 256 characters.");
    if (/^aws:/i.test(tag.key)) throw invalidParameter("Tag keys starting with 'aws:' are reserved for AWS use.");
  }
}

/** The task-level size a task runs with: the override if given, else the task definition's (API_TaskOverride.html). */
export interface TaskSize {
  readonly cpu: number;
  readonly memory: number;
}

/**
 * The rules between a RunTask call and its task definition: ACTIVE, FARGATE-compatible, awsvpc,
 * overrides naming its containers, a valid Fargate task size.
 */
export function checkTaskDefinition(
  def: TaskDefinition,
  overrides: TaskOverride | undefined,
  platformVersion: string | undefined,
): TaskSize {
  // API_DeregisterTaskDefinition.html: "You can't use an INACTIVE task definition to run new tasks".
  if (def.status !== "ACTIVE") throw clientException("TaskDefinition is inactive");
  // Developer guide, "Amazon ECS launch types": a Fargate task needs a definition that requires FARGATE compatibility.
  if (!(def.requiresCompatibilities ?? []).includes("FARGATE") && !(def.compatibilities ?? []).includes("FARGATE"))
    throw clientException("Task definition does not support launch_type FARGATE.");
  // Developer guide, "Fargate task networking": Fargate tasks use the awsvpc network mode.
  if (def.networkMode !== "awsvpc") throw clientException("Fargate only supports network mode 'awsvpc'.");
  const names = new Set((def.containerDefinitions ?? []).map((c) => c.name));
  for (const o of overrides?.containerOverrides ?? []) {
    // API_ContainerOverride.html "name": the name of a container in the task definition.
    if (!o.name || !names.has(o.name))
      throw invalidParameter(`Override for container named ${o.name} is not a container in the TaskDefinition.`);
  }
  const cpu = parseCpu(overrides?.cpu ?? def.cpu);
  const memory = parseMemory(overrides?.memory ?? def.memory);
  // Developer guide, "Task CPU and memory": Fargate needs task-level cpu and memory; facts.md lists the valid pairs.
  if (cpu === undefined || memory === undefined)
    throw clientException(
      "Fargate requires task-level cpu and memory values in the task definition (or in overrides).",
    );
  if (!isFargateSize(cpu, memory))
    throw clientException(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  // facts.md: 8 and 16 vCPU need platform version 1.4.0 or later.
  if (cpu >= 8192 && platformVersion && platformVersion !== "LATEST" && compareVersions(platformVersion, "1.4.0") < 0)
    throw clientException(`Task size of ${cpu} CPU needs platform version 1.4.0 or later.`);
  return { cpu, memory };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** DescribeTasks: 1 to 100 tasks (API_DescribeTasks.html "tasks"). */
export function checkDescribeTasks(input: DescribeTasksRequest): readonly string[] {
  const tasks = input.tasks ?? [];
  if (tasks.length === 0) throw invalidParameter("Tasks cannot be empty.");
  if (tasks.length > DESCRIBE_TASKS_MAX)
    throw invalidParameter(`Tasks cannot have more than ${DESCRIBE_TASKS_MAX} elements`);
  for (const include of input.include ?? [])
    if (include !== "TAGS") throw invalidParameter(`Invalid include value: ${include}`);
  return tasks;
}

/** ListTasks: `desiredStatus` RUNNING or STOPPED (PENDING is accepted and treated as RUNNING by ECS); `maxResults` 1 to 100 (API_ListTasks.html). */
export function checkListTasks(input: ListTasksRequest): { maxResults: number; desiredStatus: "RUNNING" | "STOPPED" } {
  const maxResults = input.maxResults ?? LIST_TASKS_MAX;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIST_TASKS_MAX)
    throw invalidParameter(`maxResults must be between 1 and ${LIST_TASKS_MAX}.`);
  const status = input.desiredStatus ?? "RUNNING";
  if (status !== "RUNNING" && status !== "STOPPED" && status !== "PENDING")
    throw invalidParameter(`Invalid desiredStatus: ${status}`);
  // API_ListTasks.html "desiredStatus": "PENDING ... doesn't return any results" is not modelled; PENDING counts as RUNNING here.
  return { maxResults, desiredStatus: status === "STOPPED" ? "STOPPED" : "RUNNING" };
}

/** StopTask: a task is required; `reason` is at most 255 characters (API_StopTask.html). */
export function checkStopTask(input: StopTaskRequest): { task: string; reason: string } {
  if (!input.task) throw invalidParameter("task can not be blank.");
  if ((input.reason ?? "").length > 255) throw invalidParameter("reason must be at most 255 characters.");
  return { task: input.task, reason: input.reason ?? "Task stopped by user" };
}

/** The stop timeout of a container: its `stopTimeout`, default 30 s, at most 120 s (API_ContainerDefinition.html). */
export function stopTimeoutSeconds(stopTimeout: number | undefined): number {
  if (stopTimeout === undefined) return STOP_TIMEOUT_DEFAULT_S;
  return Math.max(0, Math.min(STOP_TIMEOUT_MAX_S, stopTimeout));
}

/**
 * RegisterTaskDefinition's Fargate rules (moto registers anything): awsvpc, task-level cpu and memory of a
 * valid pair, and an execution role when the agent must act for the task (awslogs, secrets, private
 * registry credentials). Developer guide, "Amazon ECS task definition differences for Fargate" and
 * "Amazon ECS task execution IAM role". Definitions without FARGATE compatibility are left to moto.
 */
export function checkFargateRegistration(input: RegisterTaskDefinitionRequest): void {
  if (!(input.requiresCompatibilities ?? []).includes("FARGATE")) return;
  if (input.networkMode !== "awsvpc") throw clientException("Fargate only supports network mode 'awsvpc'.");
  const cpu = parseCpu(input.cpu);
  const memory = parseMemory(input.memory);
  if (cpu === undefined) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
  if (memory === undefined) throw clientException("Fargate requires that 'memory' be defined at the task level.");
  if (!isFargateSize(cpu, memory))
    throw clientException(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  if (input.executionRoleArn) return;
  for (const c of input.containerDefinitions ?? []) {
    if (c.logConfiguration?.logDriver === "awslogs")
      throw clientException(
        "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
      );
    if ((c.secrets ?? []).length > 0)
      throw clientException("Fargate requires task definition to have execution role ARN to support secrets.");
    if (c.repositoryCredentials)
      throw clientException(
        "Fargate requires task definition to have execution role ARN to support private registry authentication.",
      );
  }
}

/** Whether an IAM trust policy (URL-encoded JSON, as IAM returns it) lets ECS tasks assume the role. */
export function trustsEcsTasks(policyDocument: string | undefined): boolean {
  if (!policyDocument) return false;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(
      policyDocument.trim().startsWith("{") ? policyDocument : decodeURIComponent(policyDocument),
    ) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as {
    Effect?: string;
    Action?: string | string[];
    Principal?: { Service?: string | string[] };
  }[];
  return statements.some((st) => {
    const actions = ([] as string[]).concat(st?.Action ?? []);
    const services = ([] as string[]).concat(st?.Principal?.Service ?? []);
    return (
      st?.Effect === "Allow" &&
      actions.some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*") &&
      services.includes("ecs-tasks.amazonaws.com")
    );
  });
}

/** ECS's answer when it cannot assume a task's role (facts.md, IAM: "ECS was unable to assume the role"). */
export function unableToAssume(roleArn: string): Error {
  return clientException(
    `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
  );
}
