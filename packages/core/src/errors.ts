/**
 * Typed errors of the core package, each carrying what a user needs to act. `isInstance` works
 * across duplicate copies of the module (e.g. inside a bundle).
 */
import { brandChecker, brandsOf } from "@dask-fargate-action/errors";

const BRANDS = Symbol.for("dask-fargate-action.core.error.brands");

const hasBrand = brandChecker(BRANDS);

/**
 * Base class of every error this package throws on purpose. Each class has its own `brand`, so
 * `X.isInstance(e)` means "e is an X" (a subclass counts, a sibling does not), across bundle copies.
 */
export class CoreError extends Error {
  static readonly brand: string = "CoreError";
  readonly [BRANDS]: readonly string[] = brandsOf(this.constructor);
  override name = "CoreError";

  /**
   * True when `error` is an instance of the class this is called on (`ClusterConfigError.isInstance(e)`) or of a
   * subclass, even from another copy of the module. Inherited by every subclass: its `brand` is all it declares.
   */
  static isInstance<T extends abstract new (...args: never[]) => CoreError>(
    this: T & { readonly brand: string },
    error: unknown,
  ): error is InstanceType<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class it is called on, a subclass included: the point.
    return hasBrand(error, this.brand);
  }
}

/** A cluster setting is invalid; nothing was created. */
export class ClusterConfigError extends CoreError {
  static override readonly brand: string = "ClusterConfigError";
  override name = "ClusterConfigError";
  /** The setting, spelled as the action input / CLI flag (e.g. `worker-memory`). */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/**
 * A setting a front end was given (an action input, a CLI flag) is invalid, or two settings contradict each other;
 * nothing was read, built or created. Thrown by the settings reader (core's `./settings` entry); the action fails
 * its step with the message, the CLI exits 2, as for a {@link ClusterConfigError}. The message starts with the
 * setting's name as the front end spells it (`secrets:` / `secret:`).
 */
export class InputError extends CoreError {
  static override readonly brand: string = "InputError";
  override name = "InputError";
  /** The setting, spelled as the front end that read it spells it (`build-args` for the action, `build-arg` for the CLI). */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A scheduler, worker or job stopped when it should not have. */
export class MemberStoppedError extends CoreError {
  static override readonly brand: string = "MemberStoppedError";
  override name = "MemberStoppedError";
  readonly member: string;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;

  constructor(member: string, exitCode: number | undefined, reason: string | undefined, detail = "") {
    super(
      `${member} stopped${exitCode !== undefined ? ` with exit code ${exitCode}` : ""}${reason ? ` (${reason})` : ""}${detail ? `: ${detail}` : ""}`,
    );
    this.member = member;
    this.exitCode = exitCode;
    this.reason = reason;
  }
}

/** A wait passed its deadline; says what it waited for and what it saw last. */
export class WaitTimeoutError extends CoreError {
  static override readonly brand: string = "WaitTimeoutError";
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
  static override readonly brand: string = "CancelledError";
  override name = "CancelledError";
}

/**
 * An AWS endpoint answered with something that is not an AWS API response: an HTML page, an empty 5xx,
 * a proxy's error. Names the operation, the HTTP status and the first bytes of the body, where the SDK
 * alone would say `Unexpected token '<', "<!doctype "... is not valid JSON` or `UnknownError`.
 * `$metadata.httpStatusCode` is kept so the SDK's standard retries still treat a 5xx as transient.
 */
export class AwsResponseError extends CoreError {
  static override readonly brand: string = "AwsResponseError";
  override name = "AwsResponseError";
  /** Service and operation as the SDK names them, e.g. `ECS` and `RunTask`. */
  readonly service: string;
  readonly operation: string;
  readonly statusCode: number;
  readonly contentType: string;
  /** The first bytes of the body, whitespace collapsed (at most {@link AwsResponseError.BODY_HEAD} characters). */
  readonly bodyHead: string;
  readonly $metadata: { httpStatusCode: number };

  static readonly BODY_HEAD = 200;

  constructor(details: {
    service: string;
    operation: string;
    statusCode: number;
    contentType: string;
    body: string;
    endpoint: string;
  }) {
    const head = details.body.replace(/\s+/g, " ").trim().slice(0, AwsResponseError.BODY_HEAD);
    const what =
      head === ""
        ? "an empty body"
        : `a body that is not an AWS response${details.contentType ? ` (${details.contentType})` : ""}: ${JSON.stringify(head)}`;
    super(
      `${details.service} ${details.operation} failed: ${details.endpoint || "the endpoint"} answered HTTP ${details.statusCode} with ${what}. ` +
        "Something other than AWS answered (a proxy, a captive portal, an emulator's crash page): check AWS_ENDPOINT_URL*, HTTPS_PROXY and the region.",
    );
    this.service = details.service;
    this.operation = details.operation;
    this.statusCode = details.statusCode;
    this.contentType = details.contentType;
    this.bodyHead = head;
    this.$metadata = { httpStatusCode: details.statusCode };
  }
}

/**
 * The managed IAM roles are missing (or lack what the tool needs) and this identity may not create
 * them. Says which role and the two ways out: the one-time `dask-fargate setup-roles`, or role ARNs.
 */
export class RolesSetupError extends CoreError {
  static override readonly brand: string = "RolesSetupError";
  override name = "RolesSetupError";
  readonly roleName: string;

  constructor(roleName: string, detail: string, options?: { cause?: unknown }) {
    super(
      `the IAM role ${roleName} ${detail}. Run \`dask-fargate setup-roles\` once as an administrator ` +
        "(or create the roles from the CloudFormation template docs/aws/roles-cloudformation.json), or pass execution-role-arn and task-role-arn.",
      options,
    );
    this.roleName = roleName;
  }
}

/**
 * Preflight refused a Fargate start before anything was created: the image is missing or built for another
 * architecture, the subnets are missing or cannot reach the registry, or the vCPU quota is too small. Lists
 * every refusal at once, each with its fix.
 */
export class PreflightError extends CoreError {
  static override readonly brand: string = "PreflightError";
  override name = "PreflightError";
  /** Each refusal: the check (`image`, `subnets`, `network`, `quota`), what was found and the fix. */
  readonly failures: readonly { readonly check: string; readonly message: string; readonly fix?: string | undefined }[];

  constructor(
    failures: readonly { readonly check: string; readonly message: string; readonly fix?: string | undefined }[],
  ) {
    super(
      `preflight refused the start (nothing was created):\n${failures.map((f) => `- ${f.check}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ""}`).join("\n")}`,
    );
    this.failures = failures;
  }
}
