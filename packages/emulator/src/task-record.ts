import type { ContainerDefinition, KeyValuePair, Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import type { FargateProvider } from "./ecs-rules.js";

/** ECS's `lastStatus` values of a Fargate task, in order (developer guide, "Amazon ECS task lifecycle"; facts.md). */
export const TASK_STATUSES = [
  "PROVISIONING",
  "PENDING",
  "ACTIVATING",
  "RUNNING",
  "DEACTIVATING",
  "STOPPING",
  "DEPROVISIONING",
  "STOPPED",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** ECS stop codes the emulator sets (API_Task.html "stopCode"). */
export type StopCode = "TaskFailedToStart" | "EssentialContainerExited" | "UserInitiated" | "SpotInterruption";

/** One container of a task, as the emulator tracks it. */
export interface ContainerRecord {
  readonly name: string;
  readonly containerArn: string;
  readonly definition: ContainerDefinition;
  /** The command after overrides, if any. */
  readonly command: readonly string[] | undefined;
  /** The environment after overrides (override entries replace those of the same name). */
  readonly environment: readonly KeyValuePair[];
  readonly essential: boolean;
  lastStatus: "PENDING" | "RUNNING" | "STOPPED";
  exitCode?: number;
  reason?: string;
  /** The Docker container id, when tasks run as containers. */
  runtimeId?: string;
  imageDigest?: string;
}

/** The ElasticNetworkInterface attachment of an awsvpc task (API_Attachment.html). */
export interface AttachmentRecord {
  readonly id: string;
  status: "PRECREATED" | "ATTACHING" | "ATTACHED" | "DETACHING" | "DETACHED" | "DELETED";
  readonly subnetId: string;
  networkInterfaceId?: string;
  macAddress?: string;
  privateIPv4Address?: string;
  privateDnsName?: string;
}

/** Everything the emulator knows about one task. */
export interface TaskRecord {
  readonly taskArn: string;
  readonly taskId: string;
  readonly region: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly taskDefinition: TaskDefinition;
  readonly taskDefinitionArn: string;
  readonly group: string;
  readonly startedBy: string | undefined;
  readonly provider: FargateProvider;
  readonly viaStrategy: boolean;
  readonly platformVersion: string;
  readonly cpu: number;
  readonly memory: number;
  readonly overrides: Record<string, unknown>;
  readonly containers: ContainerRecord[];
  readonly attachment: AttachmentRecord;
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
  readonly availabilityZone: string;
  readonly vpcId: string;
  tags: Tag[];
  lastStatus: TaskStatus;
  desiredStatus: "RUNNING" | "STOPPED";
  readonly createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** Incremented on every change (ECS's `version`). */
  version: number;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** A task as ECS's JSON API shows it (API_Task.html); timestamps are epoch seconds as in AWS JSON 1.1. */
export function taskJson(task: TaskRecord, withTags: boolean): Record<string, unknown> {
  const a = task.attachment;
  const details = [
    { name: "subnetId", value: a.subnetId },
    ...(a.networkInterfaceId ? [{ name: "networkInterfaceId", value: a.networkInterfaceId }] : []),
    ...(a.macAddress ? [{ name: "macAddress", value: a.macAddress }] : []),
    ...(a.privateDnsName ? [{ name: "privateDnsName", value: a.privateDnsName }] : []),
    ...(a.privateIPv4Address ? [{ name: "privateIPv4Address", value: a.privateIPv4Address }] : []),
  ];
  return strip({
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    startedBy: task.startedBy,
    ...(task.viaStrategy ? { capacityProviderName: task.provider } : { launchType: "FARGATE" }),
    platformVersion: task.platformVersion,
    platformFamily: "Linux",
    cpu: String(task.cpu),
    memory: String(task.memory),
    availabilityZone: task.availabilityZone,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: "UNKNOWN",
    connectivity: task.connectivityAt ? "CONNECTED" : undefined,
    connectivityAt: seconds(task.connectivityAt),
    createdAt: seconds(task.createdAt),
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    stoppingAt: seconds(task.stoppingAt),
    executionStoppedAt: seconds(task.executionStoppedAt),
    stoppedAt: seconds(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    version: task.version,
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...task.overrides },
    attachments: [{ id: a.id, type: "ElasticNetworkInterface", status: a.status, details }],
    ephemeralStorage: { sizeInGiB: task.taskDefinition.ephemeralStorage?.sizeInGiB ?? 20 },
    enableExecuteCommand: false,
    containers: task.containers.map((c) =>
      strip({
        containerArn: c.containerArn,
        taskArn: task.taskArn,
        name: c.name,
        image: c.definition.image,
        imageDigest: c.imageDigest,
        runtimeId: c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        healthStatus: "UNKNOWN",
        cpu: String(c.definition.cpu ?? 0),
        memory: c.definition.memory === undefined ? undefined : String(c.definition.memory),
        memoryReservation:
          c.definition.memoryReservation === undefined ? undefined : String(c.definition.memoryReservation),
        networkInterfaces: a.privateIPv4Address
          ? [{ attachmentId: a.id, privateIpv4Address: a.privateIPv4Address }]
          : [],
      }),
    ),
    ...(withTags ? { tags: task.tags } : {}),
  });
}

/** Drops undefined fields (ECS omits absent ones). */
function strip<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
