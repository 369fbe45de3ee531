import type Docker from "dockerode";
import { LABEL } from "../internal/labels.js";
import type { MemberStart, StartTimeline } from "../start-timeline.js";

/** A container event as the engine reports it (`GET /events`). */
interface EngineEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly timeNano?: number;
  readonly time?: number;
  readonly Actor?: { readonly Attributes?: Record<string, string> };
}

/**
 * The start as the Docker Engine recorded it: each member container's `create`, `start` and `die` events from the
 * start until now (the engine keeps recent events). The image is local, so there is no pull.
 */
export async function dockerStartTimeline(
  docker: Docker,
  clusterId: string,
  startedAt: number,
): Promise<StartTimeline> {
  // `until` ends the stream; as seconds with a fraction (the engine reads `seconds.nanoseconds`) it is now, not
  // the next whole second, so reading the events adds milliseconds to a start, not up to a second.
  const options = {
    since: Math.floor(startedAt / 1000) - 1,
    until: (Date.now() / 1000).toFixed(3),
    filters: { type: ["container"], event: ["create", "start", "die"], label: [`${LABEL.clusterId}=${clusterId}`] },
  };
  // dockerode types `until` as a number; the engine takes the string form with its fraction.
  const stream = (await docker.getEvents(
    options as unknown as Docker.GetEventsOptions,
  )) as unknown as NodeJS.ReadableStream;
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  const events = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
  return dockerTimelineFromEvents(clusterId, startedAt, events);
}

/** The timeline from the engine's events (pure, for tests): the first `create` and `start`, and a `die` with its exit code. */
export function dockerTimelineFromEvents(
  clusterId: string,
  startedAt: number,
  events: readonly EngineEvent[],
): StartTimeline {
  const members = new Map<string, { -readonly [K in keyof MemberStart]: MemberStart[K] }>();
  for (const event of events) {
    const attributes = event.Actor?.Attributes ?? {};
    const role = attributes[LABEL.role];
    if (role !== "scheduler" && role !== "worker") continue;
    const name = (attributes["name"] ?? "").replace(`${clusterId}-`, "");
    const at = event.timeNano !== undefined ? Math.round(event.timeNano / 1e6) : (event.time ?? 0) * 1000;
    const member = members.get(name) ?? { member: name, role };
    if (event.Action === "create") member.createdAt ??= at;
    if (event.Action === "start") member.startedAt ??= at;
    if (event.Action === "die") {
      member.stoppedAt ??= at;
      member.failure ??= `exit ${attributes["exitCode"] ?? "?"}`;
    }
    members.set(name, member);
  }
  const order = (m: MemberStart) => (m.role === "scheduler" ? -1 : Number(m.member.split("-").pop()));
  return { backend: "docker", startedAt, members: [...members.values()].sort((a, b) => order(a) - order(b)) };
}
