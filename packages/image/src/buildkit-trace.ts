import protobuf from "protobufjs";

/**
 * The part of BuildKit's `StatusResponse` (moby/buildkit api/services/control/control.proto, package
 * moby.buildkit.v1) that the Docker Engine sends, base64-encoded, as the `aux` of each `moby.buildkit.trace`
 * message of a `POST /build?version=2` stream. Field numbers are control.proto's; fields we do not show
 * (progress groups, source ranges of warnings) are left out and skipped by the decoder.
 */
const SCHEMA = {
  nested: {
    Timestamp: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
    StatusResponse: {
      fields: {
        vertexes: { rule: "repeated", type: "Vertex", id: 1 },
        statuses: { rule: "repeated", type: "VertexStatus", id: 2 },
        logs: { rule: "repeated", type: "VertexLog", id: 3 },
        warnings: { rule: "repeated", type: "VertexWarning", id: 4 },
      },
    },
    Vertex: {
      fields: {
        digest: { type: "string", id: 1 },
        inputs: { rule: "repeated", type: "string", id: 2 },
        name: { type: "string", id: 3 },
        cached: { type: "bool", id: 4 },
        started: { type: "Timestamp", id: 5 },
        completed: { type: "Timestamp", id: 6 },
        error: { type: "string", id: 7 },
      },
    },
    VertexStatus: {
      fields: {
        ID: { type: "string", id: 1 },
        vertex: { type: "string", id: 2 },
        name: { type: "string", id: 3 },
        current: { type: "int64", id: 4 },
        total: { type: "int64", id: 5 },
      },
    },
    VertexLog: {
      fields: {
        vertex: { type: "string", id: 1 },
        timestamp: { type: "Timestamp", id: 2 },
        stream: { type: "int64", id: 3 },
        msg: { type: "bytes", id: 4 },
      },
    },
    VertexWarning: {
      fields: {
        vertex: { type: "string", id: 1 },
        level: { type: "int64", id: 2 },
        short: { type: "bytes", id: 3 },
        detail: { rule: "repeated", type: "bytes", id: 4 },
        url: { type: "string", id: 5 },
      },
    },
  },
};

const StatusResponseType = protobuf.Root.fromJSON(SCHEMA).lookupType("StatusResponse");

/** One step of the build graph (a Dockerfile instruction, a context load, an export). */
export interface TraceVertex {
  readonly digest: string;
  readonly name: string;
  readonly cached: boolean;
  readonly started: boolean;
  readonly completed: boolean;
  /** Set when the step failed. */
  readonly error: string;
}

/** Output of a step: `stream` 1 is stdout, 2 stderr. */
export interface TraceLog {
  readonly vertex: string;
  readonly stream: number;
  readonly text: string;
}

/** A builder warning (e.g. a deprecated instruction). */
export interface TraceWarning {
  readonly vertex: string;
  readonly text: string;
}

/** A decoded `moby.buildkit.trace` message. */
export interface BuildkitTrace {
  readonly vertexes: readonly TraceVertex[];
  readonly logs: readonly TraceLog[];
  readonly warnings: readonly TraceWarning[];
}

/** Decodes the base64 `aux` of a `moby.buildkit.trace` message. Throws on bytes that are not a StatusResponse. */
export function decodeBuildkitTrace(aux: string): BuildkitTrace {
  const message = StatusResponseType.toObject(StatusResponseType.decode(Buffer.from(aux, "base64")), {
    longs: Number,
    defaults: true,
    arrays: true,
  }) as {
    vertexes: {
      digest: string;
      name: string;
      cached: boolean;
      started?: unknown;
      completed?: unknown;
      error: string;
    }[];
    logs: { vertex: string; stream: number; msg: Uint8Array }[];
    warnings: { vertex: string; short: Uint8Array; detail: Uint8Array[] }[];
  };
  return {
    vertexes: message.vertexes.map((v) => ({
      digest: v.digest,
      name: v.name,
      cached: v.cached,
      started: v.started != null,
      completed: v.completed != null,
      error: v.error,
    })),
    logs: message.logs.map((l) => ({ vertex: l.vertex, stream: l.stream, text: Buffer.from(l.msg).toString("utf8") })),
    warnings: message.warnings.map((w) => ({
      vertex: w.vertex,
      text: [Buffer.from(w.short).toString("utf8"), ...w.detail.map((d) => Buffer.from(d).toString("utf8"))]
        .filter((t) => t !== "")
        .join(": "),
    })),
  };
}

/** Encodes a trace (for tests and fakes of the engine's stream), the inverse of {@link decodeBuildkitTrace}. */
export function encodeBuildkitTrace(trace: {
  vertexes?: readonly Partial<TraceVertex>[];
  logs?: readonly TraceLog[];
  warnings?: readonly TraceWarning[];
}): string {
  const now = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
  const payload = {
    vertexes: (trace.vertexes ?? []).map((v) => ({
      digest: v.digest ?? "",
      name: v.name ?? "",
      cached: v.cached ?? false,
      ...(v.started ? { started: now } : {}),
      ...(v.completed ? { completed: now } : {}),
      error: v.error ?? "",
    })),
    logs: (trace.logs ?? []).map((l) => ({
      vertex: l.vertex,
      stream: l.stream,
      timestamp: now,
      msg: Buffer.from(l.text, "utf8"),
    })),
    warnings: (trace.warnings ?? []).map((w) => ({ vertex: w.vertex, short: Buffer.from(w.text, "utf8") })),
  };
  return Buffer.from(StatusResponseType.encode(StatusResponseType.fromObject(payload)).finish()).toString("base64");
}
