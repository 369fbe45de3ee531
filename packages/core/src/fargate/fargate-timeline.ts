import type { Task } from "@aws-sdk/client-ecs";
import type { MemberStart, StartTimeline } from "../start-timeline.js";
import { privateIp } from "./fargate-tasks.js";

/**
 * The start as ECS recorded it: each task's createdAt, pullStartedAt, pullStoppedAt, startedAt and, for a task
 * that stopped during the start, stoppedAt with its stop code and reason ("Task" in the ECS API reference);
 * `seenAt` stands in for a stopped task's stop time while ECS has not filled it in.
 */
export function fargateStartTimeline(
  startedAt: number,
  tasks: readonly Task[],
  schedulerTaskArn: string | undefined,
  seenAt: number = Date.now(),
): StartTimeline {
  const members = tasks.map((task): MemberStart => {
    const role = task.taskArn === schedulerTaskArn ? "scheduler" : "worker";
    const id = task.taskArn?.split("/").pop() ?? "?";
    const stopped = task.lastStatus === "STOPPED";
    return {
      member: role === "scheduler" ? "scheduler" : `worker ${id}`,
      role,
      address: privateIp(task),
      createdAt: task.createdAt?.getTime(),
      pullStartedAt: task.pullStartedAt?.getTime(),
      pullStoppedAt: task.pullStoppedAt?.getTime(),
      startedAt: task.startedAt?.getTime(),
      // A STOPPED task without its stop times yet is drawn as stopped when the start saw it so.
      stoppedAt: stopped ? (task.stoppedAt?.getTime() ?? task.stoppingAt?.getTime() ?? seenAt) : undefined,
      failure: stopped ? [task.stopCode, task.stoppedReason].filter(Boolean).join(": ") || "stopped" : undefined,
    };
  });
  return {
    backend: "fargate",
    startedAt,
    members: members.sort((a, b) => (a.role === b.role ? 0 : a.role === "scheduler" ? -1 : 1)),
  };
}
