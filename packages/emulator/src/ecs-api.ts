import { randomBytes, randomUUID } from "node:crypto";
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, type Subnet } from "@aws-sdk/client-ec2";
import {
  type Cluster,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  type DescribeTasksRequest,
  ListAccountSettingsCommand,
  type ListAccountSettingsRequest,
  ListTaskDefinitionsCommand,
  type ListTasksRequest,
  type RegisterTaskDefinitionRequest,
  type RunTaskRequest,
  type StopTaskRequest,
  type Tag,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import {
  checkDescribeTasks,
  checkFargateRegistration,
  checkListTasks,
  checkRunTaskShape,
  checkStopTask,
  checkTags,
  checkTaskDefinition,
  trustsEcsTasks,
  unableToAssume,
} from "./ecs-rules.js";
import { clientException, clusterNotFound, EcsApiError, invalidParameter } from "./errors.js";
import type { Lifecycle } from "./lifecycle.js";
import type { MotoClients } from "./moto-clients.js";
import type { Rng } from "./rng.js";
import { type ContainerRecord, type TaskRecord, taskJson } from "./task-record.js";
import type { TaskStore } from "./task-store.js";
import type { Throttle } from "./token-bucket.js";

/** The ECS operations the emulator answers itself; every other one goes to moto. */
export const TASK_OPERATIONS = ["RunTask", "DescribeTasks", "StopTask", "ListTasks"] as const;

/**
 * The ECS operations the emulator answers itself (some only when its rule applies: tagging of task ARNs,
 * DeleteCluster while tasks are active, RegisterTaskDefinition's Fargate checks, ListAccountSettings with
 * effectiveSettings); every other one goes to moto. Each must be an operation of ECS's service model.
 */
export const ANSWERED_OPERATIONS = [
  ...TASK_OPERATIONS,
  "TagResource",
  "UntagResource",
  "ListTagsForResource",
  "DeleteCluster",
  "RegisterTaskDefinition",
  "ListAccountSettings",
] as const;

/**
 * The value each account setting has when nobody set it, which ListAccountSettings with effectiveSettings
 * answers (API_ListAccountSettings.html "effectiveSettings": "the account settings for the root user or the
 * default setting for the principalArn are returned"). Values: developer guide, "Access Amazon ECS features with
 * account settings" (the long ARN formats are on by default; Container Insights, trunking and FIPS mode are
 * opt-in; the task retirement wait is 7 days). Settings whose default is not documented there are not listed.
 */
export const ACCOUNT_SETTING_DEFAULTS: Readonly<Record<string, string>> = {
  serviceLongArnFormat: "enabled",
  taskLongArnFormat: "enabled",
  containerInstanceLongArnFormat: "enabled",
  awsvpcTrunking: "disabled",
  containerInsights: "disabled",
  fargateFIPSMode: "disabled",
  fargateTaskRetirementWaitPeriod: "7",
};

/** moto's account. */
const ACCOUNT = "123456789012";

/** What the ECS handlers need. */
export interface EcsApiDeps {
  readonly store: TaskStore;
  readonly lifecycle: Lifecycle;
  readonly moto: (region: string) => MotoClients;
  readonly rng: Rng;
  readonly now: () => number;
  /** Fargate's task-launch buckets; undefined when throttling is off. */
  readonly throttle: () => Throttle | undefined;
  /** How many tasks of the next RunTask calls fail for capacity (the capacity fault). */
  readonly capacityFailures: (operation: string) => number;
  /** Subnet details by id, for ENI answers. */
  readonly subnets: Map<string, Subnet>;
}

/** The answer to an ECS call the emulator handles, or undefined to forward it to moto. */
export type EcsAnswer = Record<string, unknown> | undefined;

/** Handles ECS's task operations (and tagging of task ARNs, and DeleteCluster's active-task rule). */
export class EcsApi {
  constructor(private readonly deps: EcsApiDeps) {}

  async handle(operation: string, body: Record<string, unknown>, region: string): Promise<EcsAnswer> {
    switch (operation) {
      case "RunTask":
        return await this.runTask(body as unknown as RunTaskRequest, region);
      case "DescribeTasks":
        return await this.describeTasks(body as unknown as DescribeTasksRequest, region);
      case "StopTask":
        return await this.stopTask(body as unknown as StopTaskRequest, region);
      case "ListTasks":
        return await this.listTasks(body as ListTasksRequest, region);
      case "TagResource":
      case "UntagResource":
      case "ListTagsForResource":
        return this.tagging(operation, body);
      case "DeleteCluster":
        return await this.deleteCluster(body, region);
      case "ListAccountSettings":
        return await this.listAccountSettings(body as ListAccountSettingsRequest, region);
      case "RegisterTaskDefinition":
        // Checked here, registered by moto.
        checkFargateRegistration(body as unknown as RegisterTaskDefinitionRequest);
        return undefined;
      default:
        return undefined;
    }
  }

  /** The cluster named by `ref` (name or ARN; "default" when absent), ACTIVE in moto, or ClusterNotFoundException. */
  private async cluster(
    ref: string | undefined,
    region: string,
  ): Promise<Cluster & { clusterArn: string; clusterName: string }> {
    const answer = await this.deps.moto(region).ecs.send(new DescribeClustersCommand({ clusters: [ref ?? "default"] }));
    const cluster = answer.clusters?.[0];
    if (!cluster?.clusterArn || !cluster.clusterName || cluster.status !== "ACTIVE") throw clusterNotFound();
    return cluster as Cluster & { clusterArn: string; clusterName: string };
  }

  private async runTask(input: RunTaskRequest, region: string): Promise<EcsAnswer> {
    const shape = checkRunTaskShape(input);
    const cluster = await this.cluster(input.cluster, region);
    // API_RunTask.html "clientToken": the same token in the same cluster within 24 h returns the first call's tasks.
    if (input.clientToken) {
      const earlier = this.deps.store.tokenTasks(cluster.clusterArn, input.clientToken);
      if (earlier) return { tasks: earlier.map((t) => taskJson(t, false)), failures: [] };
    }
    const def = await this.taskDefinition(input.taskDefinition ?? "", region);
    const size = checkTaskDefinition(def.taskDefinition, input.overrides, input.platformVersion);
    await this.checkRoles(def.taskDefinition, region);
    const subnets = await this.subnetsOf(shape.subnets, region);
    await this.checkSecurityGroups(shape.securityGroups, subnets[0]?.VpcId, region);
    // Fargate: task launches have their own bucket, 100 burst and 20 per second per provider (facts.md).
    const throttle = this.deps.throttle();
    if (throttle && !throttle.takeLaunches(region, shape.provider, shape.count))
      throw new EcsApiError("ThrottlingException", "Rate exceeded");
    const failing = Math.min(shape.count, this.deps.capacityFailures("RunTask"));
    const account = cluster.clusterArn.split(":")[4] ?? ACCOUNT;
    const tags = this.tagsFor(input, def.tags, cluster.clusterName);
    const tasks: TaskRecord[] = [];
    const start = Math.floor(this.deps.rng() * subnets.length);
    for (let i = 0; i < shape.count - failing; i++) {
      const subnet = subnets[(start + i) % subnets.length] as Subnet;
      const task = this.newTask({
        input,
        def: def.taskDefinition,
        cluster,
        account,
        region,
        shape,
        size,
        subnet,
        tags,
      });
      this.deps.store.add(task);
      tasks.push(task);
    }
    // A successful call can still list failures[] (facts.md; API_RunTask.html "failures").
    const failures = Array.from({ length: failing }, () => ({
      arn: cluster.clusterArn,
      reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone",
    }));
    if (input.clientToken)
      this.deps.store.rememberToken(
        cluster.clusterArn,
        input.clientToken,
        tasks.map((t) => t.taskArn),
      );
    const answer = { tasks: tasks.map((t) => taskJson(t, false)), failures };
    for (const task of tasks) this.deps.lifecycle.launch(task);
    return answer;
  }

  private async taskDefinition(ref: string, region: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const answer = await this.deps
      .moto(region)
      .ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ["TAGS"] }))
      .catch((error: Error) => {
        if (error.name === "ClientException" || /not found|unable to find/i.test(error.message))
          throw clientException("Unable to describe task definition.");
        throw error;
      });
    if (!answer.taskDefinition) throw clientException("Unable to describe task definition.");
    // API_RunTask.html "taskDefinition": without a revision, the latest ACTIVE revision is used (moto gives the latest).
    if (answer.taskDefinition.status !== "ACTIVE" && !ref.includes(":")) {
      const active = await this.deps
        .moto(region)
        .ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: ref, status: "ACTIVE", sort: "DESC" }));
      const arn = (active.taskDefinitionArns ?? []).find((a) => a.split("/").pop()?.split(":")[0] === ref);
      if (arn) return await this.taskDefinition(arn, region);
    }
    return { taskDefinition: answer.taskDefinition, tags: answer.tags ?? [] };
  }

  /**
   * The task's execution and task roles must exist and trust ecs-tasks.amazonaws.com, or ECS cannot assume them
   * (developer guide, "Task execution IAM role": the trust relationship). IAM authorization itself is not modelled.
   */
  private async checkRoles(def: TaskDefinition, region: string): Promise<void> {
    for (const arn of [def.executionRoleArn, def.taskRoleArn]) {
      if (!arn) continue;
      const name = arn.split("/").pop() ?? arn;
      const role = await this.deps
        .moto(region)
        .iam.send(new GetRoleCommand({ RoleName: name }))
        .catch(() => undefined);
      if (!role?.Role || !trustsEcsTasks(role.Role.AssumeRolePolicyDocument)) throw unableToAssume(arn);
    }
  }

  /** The subnets, which must exist (in any VPC) and share one VPC (API_AwsVpcConfiguration.html). */
  private async subnetsOf(ids: readonly string[], region: string): Promise<Subnet[]> {
    const known = ids.map((id) => this.deps.subnets.get(id));
    let subnets: Subnet[];
    if (known.every((s) => s !== undefined)) subnets = known as Subnet[];
    else {
      const answer = await this.deps
        .moto(region)
        .ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...ids] }))
        .catch((error: Error) => {
          throw invalidParameter(
            `Error retrieving subnet information for [${ids.join(", ")}]: ${error.message} (ErrorCode: ${error.name})`,
          );
        });
      subnets = answer.Subnets ?? [];
      for (const s of subnets) if (s.SubnetId) this.deps.subnets.set(s.SubnetId, s);
    }
    if (subnets.length !== new Set(ids).size)
      throw invalidParameter(`Error retrieving subnet information for [${ids.join(", ")}]: not all of them exist`);
    if (new Set(subnets.map((s) => s.VpcId)).size > 1) throw invalidParameter("Subnets must all be in the same VPC.");
    return subnets;
  }

  private async checkSecurityGroups(ids: readonly string[], vpcId: string | undefined, region: string): Promise<void> {
    if (ids.length === 0) return;
    const answer = await this.deps
      .moto(region)
      .ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...ids] }))
      .catch((error: Error) => {
        throw invalidParameter(
          `Error retrieving security group information for [${ids.join(", ")}]: ${error.message} (ErrorCode: ${error.name})`,
        );
      });
    for (const group of answer.SecurityGroups ?? [])
      if (vpcId && group.VpcId !== vpcId)
        throw invalidParameter(`Security group ${group.GroupId} is not in the VPC of the subnets (${vpcId}).`);
  }

  /**
   * The task's tags: those of the call, plus the task definition's with propagateTags TASK_DEFINITION, plus
   * `aws:ecs:clusterName` with enableECSManagedTags (developer guide, "Tagging your Amazon ECS resources").
   */
  private tagsFor(input: RunTaskRequest, defTags: Tag[], clusterName: string): Tag[] {
    const tags = new Map<string, string>();
    if (input.propagateTags === "TASK_DEFINITION") for (const t of defTags) tags.set(t.key ?? "", t.value ?? "");
    for (const t of input.tags ?? []) tags.set(t.key ?? "", t.value ?? "");
    if (input.enableECSManagedTags) tags.set("aws:ecs:clusterName", clusterName);
    return [...tags].map(([key, value]) => ({ key, value }));
  }

  private newTask(args: {
    input: RunTaskRequest;
    def: TaskDefinition;
    cluster: { clusterArn: string; clusterName: string };
    account: string;
    region: string;
    shape: ReturnType<typeof checkRunTaskShape>;
    size: { cpu: number; memory: number };
    subnet: Subnet;
    tags: Tag[];
  }): TaskRecord {
    const { input, def, cluster, account, region, shape, size, subnet } = args;
    const taskId = randomBytes(16).toString("hex");
    const overrides = new Map((input.overrides?.containerOverrides ?? []).map((o) => [o.name, o]));
    const containers: ContainerRecord[] = (def.containerDefinitions ?? []).map((definition) => {
      const o = overrides.get(definition.name);
      // API_ContainerOverride.html: `command` replaces the definition's; `environment` entries add to or replace it by name.
      const env = new Map((definition.environment ?? []).map((e) => [e.name ?? "", e.value ?? ""]));
      for (const e of o?.environment ?? []) env.set(e.name ?? "", e.value ?? "");
      return {
        name: definition.name ?? "",
        containerArn: `arn:aws:ecs:${region}:${account}:container/${cluster.clusterName}/${taskId}/${randomUUID()}`,
        definition: {
          ...definition,
          ...(o?.memory !== undefined ? { memory: o.memory } : {}),
          ...(o?.memoryReservation !== undefined ? { memoryReservation: o.memoryReservation } : {}),
          ...(o?.cpu !== undefined ? { cpu: o.cpu } : {}),
        },
        command: o?.command ?? definition.command,
        environment: [...env].map(([name, value]) => ({ name, value })),
        // API_ContainerDefinition.html "essential": true when omitted.
        essential: definition.essential !== false,
        lastStatus: "PENDING",
      };
    });
    return {
      taskArn: `arn:aws:ecs:${region}:${account}:task/${cluster.clusterName}/${taskId}`,
      taskId,
      region,
      clusterArn: cluster.clusterArn,
      clusterName: cluster.clusterName,
      taskDefinition: def,
      taskDefinitionArn: def.taskDefinitionArn ?? "",
      // API_RunTask.html "group": family:<family> by default.
      group: input.group ?? `family:${def.family}`,
      startedBy: input.startedBy,
      provider: shape.provider,
      viaStrategy: shape.viaStrategy,
      platformVersion: !input.platformVersion || input.platformVersion === "LATEST" ? "1.4.0" : input.platformVersion,
      cpu: size.cpu,
      memory: size.memory,
      overrides: (input.overrides ?? {}) as Record<string, unknown>,
      containers,
      attachment: { id: randomUUID(), status: "PRECREATED", subnetId: subnet.SubnetId ?? "" },
      securityGroups: shape.securityGroups,
      assignPublicIp: shape.assignPublicIp,
      availabilityZone: subnet.AvailabilityZone ?? `${region}a`,
      vpcId: subnet.VpcId ?? "",
      tags: args.tags,
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      createdAt: this.deps.now(),
      version: 1,
    };
  }

  private async describeTasks(input: DescribeTasksRequest, region: string): Promise<EcsAnswer> {
    const refs = checkDescribeTasks(input);
    const cluster = await this.cluster(input.cluster, region);
    const withTags = (input.include ?? []).includes("TAGS");
    const tasks: Record<string, unknown>[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      const task = this.deps.store.find(cluster.clusterArn, ref);
      // API_DescribeTasks.html "failures": unknown tasks are listed with reason MISSING.
      if (task) tasks.push(taskJson(task, withTags));
      else failures.push({ arn: ref, reason: "MISSING" });
    }
    return { tasks, failures };
  }

  private async stopTask(input: StopTaskRequest, region: string): Promise<EcsAnswer> {
    const { task: ref, reason } = checkStopTask(input);
    const cluster = await this.cluster(input.cluster, region);
    const task = this.deps.store.find(cluster.clusterArn, ref);
    if (!task) throw invalidParameter("The referenced task was not found.");
    // API_StopTask.html: SIGTERM, then SIGKILL after stopTimeout (30 s default); stopCode UserInitiated;
    // "Any tags associated with the task will be deleted."
    if (task.desiredStatus === "RUNNING") task.tags = [];
    this.deps.lifecycle.stop(task, "UserInitiated", reason);
    return { task: taskJson(task, false) };
  }

  private async listTasks(input: ListTasksRequest, region: string): Promise<EcsAnswer> {
    const { maxResults, desiredStatus } = checkListTasks(input);
    const cluster = await this.cluster(input.cluster, region);
    const all = this.deps.store.list({
      clusterArn: cluster.clusterArn,
      desiredStatus,
      family: input.family,
      startedBy: input.startedBy,
      launchType: input.launchType,
    });
    const offset = input.nextToken ? decodeToken(input.nextToken) : 0;
    const page = all.slice(offset, offset + maxResults);
    const next = offset + maxResults < all.length ? encodeToken(offset + maxResults) : undefined;
    return { taskArns: page.map((t) => t.taskArn), ...(next ? { nextToken: next } : {}) };
  }

  private tagging(operation: string, body: Record<string, unknown>): EcsAnswer {
    const arn = String(body["resourceArn"] ?? "");
    if (!/^arn:aws[a-z-]*:ecs:[^:]*:\d+:task\//.test(arn)) return undefined;
    const task = this.deps.store.byArn(arn);
    if (!task) throw invalidParameter("The specified task was not found.");
    if (operation === "ListTagsForResource") return { tags: task.tags };
    if (operation === "TagResource") {
      const tags = (body["tags"] ?? []) as Tag[];
      checkTags(tags);
      const merged = new Map(task.tags.map((t) => [t.key, t.value]));
      for (const t of tags) merged.set(t.key, t.value);
      if (merged.size > 50) throw invalidParameter("Too many tags: at most 50 per resource.");
      task.tags = [...merged].map(([key, value]) => ({ key, value }) as Tag);
      return {};
    }
    const keys = new Set((body["tagKeys"] ?? []) as string[]);
    task.tags = task.tags.filter((t) => !keys.has(t.key ?? ""));
    return {};
  }

  /**
   * With effectiveSettings, ECS always answers a setting's effective value: the one set (moto keeps those) or
   * its default (API_ListAccountSettings.html). moto answers only what was set, so a client that reads
   * `settings[0].value` of `taskLongArnFormat` found nothing. Without effectiveSettings, moto answers.
   */
  private async listAccountSettings(input: ListAccountSettingsRequest, region: string): Promise<EcsAnswer> {
    if (input.effectiveSettings !== true) return undefined;
    const set = await this.deps.moto(region).ecs.send(new ListAccountSettingsCommand({}));
    const values = new Map(Object.entries(ACCOUNT_SETTING_DEFAULTS));
    for (const s of set.settings ?? []) if (s.name && s.value !== undefined) values.set(s.name, s.value);
    // The principal asked about, else the account's root (whose settings are the defaults of every principal).
    const principalArn = input.principalArn ?? `arn:aws:iam::${ACCOUNT}:root`;
    const settings = [...values]
      .filter(
        ([name, value]) =>
          (input.name === undefined || input.name === name) && (input.value === undefined || input.value === value),
      )
      .map(([name, value]) => ({ name, value, principalArn }));
    // "maxResults": 1 to 10, 10 when absent, with a nextToken for the rest.
    const maxResults = input.maxResults ?? 10;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10)
      throw invalidParameter("maxResults must be between 1 and 10.");
    const offset = input.nextToken ? decodeToken(input.nextToken) : 0;
    const next = offset + maxResults < settings.length ? encodeToken(offset + maxResults) : undefined;
    return { settings: settings.slice(offset, offset + maxResults), ...(next ? { nextToken: next } : {}) };
  }

  /** DeleteCluster fails while tasks are active (API_DeleteCluster.html, ClusterContainsTasksException); else moto deletes it. */
  private async deleteCluster(body: Record<string, unknown>, region: string): Promise<EcsAnswer> {
    const ref = String(body["cluster"] ?? "");
    const active = this.deps.store
      .all()
      .filter(
        (t) => t.region === region && (t.clusterArn === ref || t.clusterName === ref) && t.lastStatus !== "STOPPED",
      );
    if (active.length > 0)
      throw new EcsApiError("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
    return undefined;
  }
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64");
}

function decodeToken(token: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown }).offset;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter("Invalid nextToken.");
}
