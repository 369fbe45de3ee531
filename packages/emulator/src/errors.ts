/**
 * An error ECS itself would answer, in the AWS JSON 1.1 shape (`{"__type": ..., "message": ...}`, HTTP 400)
 * so that the AWS SDK parses it into its named exception class.
 * Error names: ECS API reference, "Common Errors" and each operation's "Errors" section.
 */
export class EcsApiError extends Error {
  override readonly name = "EcsApiError";
  constructor(
    /** The AWS error code, e.g. `ClientException`, `InvalidParameterException`, `ClusterNotFoundException`. */
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  /** The body ECS sends for this error. */
  toBody(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}

/** `InvalidParameterException`: "The specified parameter isn't valid" (ECS API reference, Common Errors). */
export const invalidParameter = (message: string) => new EcsApiError("InvalidParameterException", message);
/** `ClientException`: an action on a resource the caller may not use, or a wrong identifier (ECS API reference). */
export const clientException = (message: string) => new EcsApiError("ClientException", message);
/** `ClusterNotFoundException` (ECS API reference, RunTask/DescribeTasks "Errors"). */
export const clusterNotFound = () => new EcsApiError("ClusterNotFoundException", "Cluster not found.");

/** Thrown by an executor when a task cannot start; `stoppedReason` is what DescribeTasks shows. */
export class TaskStartError extends Error {
  override readonly name = "TaskStartError";
  constructor(readonly stoppedReason: string) {
    super(stoppedReason);
  }
}
