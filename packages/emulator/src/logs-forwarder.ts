import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  type InputLogEvent,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { TaskStartError } from "./errors.js";
import type { MotoClients } from "./moto-clients.js";
import type { ContainerRecord, TaskRecord } from "./task-record.js";

/** Where the awslogs driver writes a container's output. */
export interface LogTarget {
  readonly region: string;
  readonly group: string;
  readonly stream: string;
  readonly createGroup: boolean;
}

/**
 * The awslogs target of a container, from its `logConfiguration`. With Fargate the stream is
 * `prefix/container-name/task-id` (developer guide, "Send Amazon ECS logs to CloudWatch", awslogs-stream-prefix).
 */
export function awslogsTarget(task: TaskRecord, container: ContainerRecord): LogTarget | undefined {
  const config = container.definition.logConfiguration;
  if (config?.logDriver !== "awslogs") return undefined;
  const options = config.options ?? {};
  const group = options["awslogs-group"];
  const prefix = options["awslogs-stream-prefix"];
  if (!group)
    throw new TaskStartError("ResourceInitializationError: failed to validate logger args: awslogs-group is required");
  // "The awslogs-stream-prefix option is required if your tasks use Fargate" (same page).
  if (!prefix)
    throw new TaskStartError(
      "ResourceInitializationError: failed to validate logger args: awslogs-stream-prefix is required for Fargate tasks",
    );
  return {
    region: options["awslogs-region"] ?? task.region,
    group,
    stream: `${prefix}/${container.name}/${task.taskId}`,
    createGroup: options["awslogs-create-group"] === "true",
  };
}

/** PutLogEvents limits: 10,000 events and 1,048,576 bytes per batch, 26 bytes overhead per event (CloudWatch Logs API reference). */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/** One event is at most 256 KiB; the awslogs driver splits longer lines. */
const MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD;

/** Writes container output to CloudWatch Logs (moto's) as the awslogs driver does: one event per line. */
export class LogsForwarder {
  constructor(
    private readonly clients: (region: string) => MotoClients,
    private readonly flushEveryMs = 200,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Creates the log stream (and the group with awslogs-create-group). A missing group fails the task as on Fargate. */
  async prepare(target: LogTarget): Promise<void> {
    const logs = this.clients(target.region).logs;
    if (target.createGroup) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: target.group })).catch((error: Error) => {
        if (error.name !== "ResourceAlreadyExistsException") throw error;
      });
    }
    await logs
      .send(new CreateLogStreamCommand({ logGroupName: target.group, logStreamName: target.stream }))
      .catch((error: Error) => {
        if (error.name === "ResourceAlreadyExistsException") return;
        throw new TaskStartError(
          `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ${error.name}: ${error.message} : exit status 1`,
        );
      });
  }

  /** Forwards the lines of `streams` until all end; resolves after the last batch is written. */
  async pipe(target: LogTarget, streams: readonly Readable[]): Promise<void> {
    const pending: InputLogEvent[] = [];
    let last = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = () => {
      if (pending.length === 0) return writing;
      const events = pending.splice(0, pending.length);
      writing = writing.then(() => this.put(target, events));
      return writing;
    };
    const timer = setInterval(() => void flush(), this.flushEveryMs);
    try {
      await Promise.all(
        streams.map(async (stream) => {
          for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
            if (line.length === 0) continue; // CloudWatch Logs takes no empty events; the awslogs driver skips them.
            last = Math.max(last, Date.now());
            for (let i = 0; i < line.length; i += MAX_EVENT_BYTES)
              pending.push({ timestamp: last, message: line.slice(i, i + MAX_EVENT_BYTES) });
          }
        }),
      );
    } finally {
      clearInterval(timer);
      await flush();
    }
  }

  private async put(target: LogTarget, events: InputLogEvent[]): Promise<void> {
    const logs = this.clients(target.region).logs;
    let batch: InputLogEvent[] = [];
    let bytes = 0;
    const send = async () => {
      if (batch.length === 0) return;
      const logEvents = batch;
      batch = [];
      bytes = 0;
      await logs
        .send(new PutLogEventsCommand({ logGroupName: target.group, logStreamName: target.stream, logEvents }))
        .catch((error: Error) => {
          this.warn(
            `could not write ${logEvents.length} log events to ${target.group}/${target.stream}: ${error.name}: ${error.message}`,
          );
        });
    };
    for (const event of events) {
      const size = Buffer.byteLength(event.message ?? "") + EVENT_OVERHEAD;
      if (batch.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES) await send();
      batch.push(event);
      bytes += size;
    }
    await send();
  }
}
