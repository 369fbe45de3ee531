import type { Task } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import { dockerTimelineFromEvents } from "../src/docker/docker-timeline.js";
import { fargateStartTimeline } from "../src/fargate/fargate-timeline.js";
import { parseRegistrations, withRegistrations } from "../src/start-timeline.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("the start's timeline", () => {
  test("the scheduler's Register worker lines give each worker's first registration (UTC asctime, name or address)", () => {
    const lines = [
      "2026-01-01 12:00:20,250 - distributed.scheduler - INFO - Register worker <WorkerState 'tls://10.0.1.7:40123', status: init, memory: 0, processing: 0>",
      "2026-01-01 12:00:21,500 - distributed.scheduler - INFO - Register worker <WorkerState 'tcp://172.18.0.3:38001', name: worker-1, status: init, memory: 0, processing: 0>",
      "2026-01-01 12:00:22,000 - distributed.scheduler - INFO - Starting worker compute stream, tcp://172.18.0.3:38001",
      "2026-01-01 12:05:00,000 - distributed.scheduler - INFO - Register worker <WorkerState 'tcp://172.18.0.3:38001', name: worker-1, status: init, memory: 0, processing: 0>",
      "not a log line",
    ];
    const registrations = parseRegistrations(lines);
    expect(registrations).toEqual([
      { worker: "tls://10.0.1.7:40123", address: "tls://10.0.1.7:40123", at: T0 + 20_250 },
      { worker: "worker-1", address: "tcp://172.18.0.3:38001", at: T0 + 21_500 },
      { worker: "worker-1", address: "tcp://172.18.0.3:38001", at: T0 + 300_000 },
    ]);
    const timeline = withRegistrations(
      {
        backend: "fargate",
        startedAt: T0,
        members: [
          { member: "scheduler", role: "scheduler" },
          { member: "worker abc", role: "worker", address: "10.0.1.7" },
          { member: "worker-1", role: "worker" },
          { member: "worker-2", role: "worker" },
        ],
      },
      registrations,
    );
    expect(timeline.members.map((m) => m.registeredAt)).toEqual([undefined, T0 + 20_250, T0 + 21_500, undefined]);
  });

  test("Fargate: ECS's task timestamps, the scheduler first, a stopped task with its stop code and reason", () => {
    const at = (s: number) => new Date(T0 + s * 1000);
    const eni = (ip: string) => [
      { type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: ip }] },
    ];
    const tasks: Task[] = [
      {
        taskArn: "arn:aws:ecs:eu-west-1:1:task/c/w1",
        lastStatus: "RUNNING",
        attachments: eni("10.0.0.5"),
        createdAt: at(3),
        pullStartedAt: at(9),
        pullStoppedAt: at(20),
        startedAt: at(24),
      },
      {
        taskArn: "arn:aws:ecs:eu-west-1:1:task/c/s",
        lastStatus: "RUNNING",
        createdAt: at(1),
        pullStartedAt: at(8),
        pullStoppedAt: at(19),
        startedAt: at(22),
      },
      {
        taskArn: "arn:aws:ecs:eu-west-1:1:task/c/w2",
        lastStatus: "STOPPED",
        createdAt: at(3),
        pullStartedAt: at(9),
        stoppedAt: at(15),
        stopCode: "TaskFailedToStart",
        stoppedReason: "CannotPullContainerError: pull access denied",
      },
    ];
    const timeline = fargateStartTimeline(T0, tasks, "arn:aws:ecs:eu-west-1:1:task/c/s");
    expect(timeline.members).toEqual([
      {
        member: "scheduler",
        role: "scheduler",
        address: undefined,
        createdAt: T0 + 1000,
        pullStartedAt: T0 + 8000,
        pullStoppedAt: T0 + 19_000,
        startedAt: T0 + 22_000,
        stoppedAt: undefined,
        failure: undefined,
      },
      {
        member: "worker w1",
        role: "worker",
        address: "10.0.0.5",
        createdAt: T0 + 3000,
        pullStartedAt: T0 + 9000,
        pullStoppedAt: T0 + 20_000,
        startedAt: T0 + 24_000,
        stoppedAt: undefined,
        failure: undefined,
      },
      {
        member: "worker w2",
        role: "worker",
        address: undefined,
        createdAt: T0 + 3000,
        pullStartedAt: T0 + 9000,
        pullStoppedAt: undefined,
        startedAt: undefined,
        stoppedAt: T0 + 15_000,
        failure: "TaskFailedToStart: CannotPullContainerError: pull access denied",
      },
    ]);
  });

  test("Docker: the engine's create, start and die events of the members (jobs and other containers ignored)", () => {
    const event = (action: string, name: string, role: string, s: number, extra: Record<string, string> = {}) => ({
      Type: "container",
      Action: action,
      timeNano: (T0 + s * 1000) * 1e6,
      Actor: { Attributes: { name: `dfa-x-${name}`, "io.dask-fargate-action.role": role, ...extra } },
    });
    const timeline = dockerTimelineFromEvents("dfa-x", T0, [
      event("create", "worker-1", "worker", 0.3),
      event("create", "scheduler", "scheduler", 0.1),
      event("create", "worker-0", "worker", 0.2),
      event("start", "scheduler", "scheduler", 1),
      event("start", "worker-0", "worker", 1.2),
      event("start", "worker-1", "worker", 1.4),
      event("die", "worker-1", "worker", 3, { exitCode: "137" }),
      event("create", "job-a", "job", 5),
    ]);
    expect(timeline.members).toEqual([
      { member: "scheduler", role: "scheduler", createdAt: T0 + 100, startedAt: T0 + 1000 },
      { member: "worker-0", role: "worker", createdAt: T0 + 200, startedAt: T0 + 1200 },
      {
        member: "worker-1",
        role: "worker",
        createdAt: T0 + 300,
        startedAt: T0 + 1400,
        stoppedAt: T0 + 3000,
        failure: "exit 137",
      },
    ]);
  });
});
