/**
 * Typed errors of the core package, each carrying what a user needs to act. `isInstance` works
 * across duplicate copies of the module (e.g. inside a bundle).
 */
const BRAND = Symbol.for("dask-fargate-action.core.error");

/** Base class of every error this package throws on purpose. */
export class CoreError extends Error {
  readonly [BRAND] = true;
  override name = "CoreError";

  static isInstance(error: unknown): error is CoreError {
    return typeof error === "object" && error !== null && BRAND in error;
  }
}

/** A cluster setting is invalid; nothing was created. */
export class ClusterConfigError extends CoreError {
  override name = "ClusterConfigError";
  /** The setting, spelled as the action input / CLI flag (e.g. `worker-memory`). */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A scheduler, worker or job stopped when it should not have. */
export class MemberStoppedError extends CoreError {
  override name = "MemberStoppedError";
  readonly member: string;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;

  constructor(member: string, exitCode: number | undefined, reason: string | undefined, detail = "") {
    super(`${member} stopped${exitCode !== undefined ? ` with exit code ${exitCode}` : ""}${reason ? ` (${reason})` : ""}${detail ? `: ${detail}` : ""}`);
    this.member = member;
    this.exitCode = exitCode;
    this.reason = reason;
  }
}

/** A wait passed its deadline; says what it waited for and what it saw last. */
export class WaitTimeoutError extends CoreError {
  override name = "WaitTimeoutError";
  readonly waitingFor: string;
  readonly lastSeen: string;

  constructor(waitingFor: string, seconds: number, lastSeen: string) {
    super(`timed out after ${seconds} s waiting for ${waitingFor}; last seen: ${lastSeen}`);
    this.waitingFor = waitingFor;
    this.lastSeen = lastSeen;
  }
}

/** The operation was cancelled through its AbortSignal (e.g. SIGINT); cleanup has run. */
export class CancelledError extends CoreError {
  override name = "CancelledError";
}
