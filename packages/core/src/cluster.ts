import type { AdaptiveReport } from "./adaptive/adaptive-controller.js";
import type { ClusterSpec } from "./cluster-spec.js";
import type { FargateSpec } from "./fargate/fargate-spec.js";
import type { JobOutputs } from "./job-outputs.js";
import type { Logger } from "./logger.js";

/** Paths of PEM files: CA certificate, certificate, private key. */
export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Which engine runs the cluster. */
export type BackendName = "docker" | "fargate";

/** Where the job runs: a container/task beside the cluster, or a process where the controller runs. */
export type JobRunsOn = "cluster" | "runner";

/** What every backend's handle holds. */
export interface ClusterHandleBase {
  readonly backend: BackendName;
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  /** Address members use (inside the cluster network). */
  readonly schedulerAddress: string;
  /** Address a client where the controller runs uses, when the scheduler is reachable from there. */
  readonly clientSchedulerAddress: string | undefined;
  readonly dashboardUrl: string | undefined;
  /** Client TLS files written for this controller (mode 0600), when TLS is on. */
  readonly clientTlsFiles: TlsFiles | undefined;
  /** Member TLS files (mode 0600) for members added later (scale) and jobs, when TLS is on. */
  readonly memberTlsFiles: TlsFiles | undefined;
  /** Directory of this cluster's local files (TLS); removed by teardown. */
  readonly tlsDir: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A cluster on the local Docker Engine: everything else is found by the cluster id's labels. */
export interface DockerClusterHandle extends ClusterHandleBase {
  readonly backend: "docker";
  /** Never set: lets `handle.fargate` be read on any handle (undefined on Docker). */
  readonly fargate?: undefined;
}

/** A cluster on ECS Fargate, with the AWS resources it was made of. */
export interface FargateClusterHandle extends ClusterHandleBase {
  readonly backend: "fargate";
  readonly fargate: FargateResources;
}

/**
 * A running cluster, serialisable to JSON (action state, CLI state file), so that another process can
 * scale it, run a job on it or tear it down. Discriminated by `backend`; the shape is the one saved by
 * earlier versions, so their saved handles still load.
 */
export type ClusterHandle = DockerClusterHandle | FargateClusterHandle;

/**
 * Where a start has got to, saved after each created resource so another process can finish a teardown.
 * Docker needs nothing but the cluster id (its teardown finds everything by label); Fargate saves what it created.
 */
export type PartialCluster =
  | { readonly backend: "docker" }
  | { readonly backend: "fargate"; readonly fargate: FargateResources };

/** The AWS side of a Fargate cluster, as far as it was created. Teardown reads it (or discovers the same by tags). */
export interface FargateResources {
  readonly spec: FargateSpec;
  /** Name or ARN of the ECS cluster the tasks run in. */
  readonly ecsCluster: string;
  /** True when this tool created the ECS cluster (and teardown deletes it). */
  readonly createdEcsCluster: boolean;
  /** The security group this tool created, if any. */
  readonly createdSecurityGroupId: string | undefined;
  readonly securityGroups: readonly string[];
  readonly subnets: readonly string[];
  readonly assignPublicIp: boolean;
  readonly logGroup: string | undefined;
  readonly tlsSecretArn: string | undefined;
  readonly taskDefinitionArns: readonly string[];
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly schedulerTaskArn: string | undefined;
  readonly workerTaskArns: readonly string[];
  /**
   * With output-uri: where this attempt's jobs upload (`<prefix>/<cluster-id>/<token>/` of `bucket`) and the
   * file (mode 0600, in the cluster's local directory) holding the key their manifests are signed with. Never the key itself.
   */
  readonly outputs?: {
    readonly bucket: string;
    readonly runPrefix: string;
    readonly token: string;
    readonly keyFile: string;
  };
}

/** Progress of a start, e.g. `{ scheduler: "running", workersRunning: 3, workers: 8 }`. */
export interface ClusterProgress {
  readonly phase: string;
  readonly message: string;
}

/** Options shared by the long operations. */
export interface OperationOptions {
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ClusterProgress) => void;
}

/**
 * When `up` calls a cluster ready, the same names on every backend:
 * - `running`: the scheduler and every worker run (Docker: containers running; Fargate: tasks RUNNING in ECS);
 * - `registered`: also every worker registered at the scheduler, read from the scheduler's dashboard (Fargate:
 *   only where the dashboard is reachable from here — client-cidr, open-dashboard and public IPs).
 * Defaults: {@link DEFAULT_READINESS}. A job in the cluster waits for its workers itself either way (DFA_EXPECTED_WORKERS).
 */
export type Readiness = "running" | "registered";

/** The readiness `up` waits for unless told: what each backend can observe from a GitHub runner without opening ports. */
export const DEFAULT_READINESS: Readonly<Record<BackendName, Readiness>> = { docker: "registered", fargate: "running" };

/** The readiness names, for input and flag checks. */
export const READINESS_VALUES: readonly Readiness[] = ["running", "registered"];

/** A job to run on a cluster. */
export interface JobSpec {
  /** A shell command line, e.g. `python3 examples/train_xgboost.py`. */
  readonly command: string;
  /** `runner` jobs are run by {@link runClusterJob}, never by a backend. */
  readonly runsOn: JobRunsOn;
  /** Directory holding the job's files: mounted read-only at /job for in-cluster jobs, the working directory on the runner. */
  readonly workdir: string;
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * A job on the runner inherits only an allow-list of the controller's environment; these names (`job-env`)
   * are inherited too, e.g. `WANDB_API_KEY` set on the action's step. Ignored for jobs in the cluster.
   */
  readonly inheritEnv?: readonly string[];
  /**
   * A job on the runner runs as this user (`job-user`: a name, uid or uid:gid; the controller must be root), so it
   * cannot read the controller's environment through /proc. Ignored for jobs in the cluster.
   */
  readonly runAs?: string;
  /** Each line of the job's output, as it comes. */
  readonly onOutput?: (line: string, stream: "stdout" | "stderr") => void;
  readonly timeoutSeconds?: number;
  /**
   * A directory on this machine (created if missing) that receives what the job writes to `DFA_OUTPUT_DIR`,
   * on success and on failure: the directory itself for a job on the runner, a writable bind mount for a Docker
   * job container, and for a Fargate job task the files its uploader put under the cluster's `output-uri`.
   */
  readonly outputDir?: string;
}

/** The outcome of a job. */
export interface JobResult {
  readonly exitCode: number;
  /** Members that stopped while the job ran, with their exit codes (and on Fargate the stop code and reason). */
  readonly stoppedMembers: readonly {
    readonly member: string;
    readonly exitCode: number | undefined;
    readonly reason?: string | undefined;
  }[];
  readonly durationMs: number;
  /** Why the job's task stopped when it did not succeed (Fargate: stop code, stopped reason, the container's reason, e.g. OutOfMemoryError). */
  readonly reason?: string | undefined;
  /** The files that came back to `outputDir` (absent when the job had no `outputDir`). */
  readonly outputs?: JobOutputs;
  /** With adaptive workers: the workers over time and what they add up to. */
  readonly adaptive?: AdaptiveReport;
  /** Workers lost during the job and started again (`max-worker-replacements`), in order. */
  readonly replacements?: readonly WorkerReplacement[];
  /** Lost workers not replaced because `max-worker-replacements` was used up (a warning, not a failure). */
  readonly unreplaced?: readonly string[];
}

/**
 * A worker lost during the job and what took its place. `member` and `replacement` are `worker <task id>` on
 * Fargate and the container name on Docker; `stopCode` is ECS's (`SpotInterruption`, `EssentialContainerExited`,
 * `TaskFailedToStart`) or `ContainerDied` on Docker.
 */
export interface WorkerReplacement {
  readonly member: string;
  readonly stopCode: string | undefined;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
  readonly replacement: string;
  /** Fargate: where the replacement runs (`FARGATE_SPOT` or `FARGATE`). */
  readonly capacity?: string | undefined;
  /** When the replacement was started (ms since the epoch): the cost counts it from here. */
  readonly startedAt: number;
}

/** Members that stopped while something ran (a job), watched until `stop()`; lost workers replaced meanwhile. */
export interface MemberWatch {
  readonly stopped: {
    readonly member: string;
    readonly exitCode: number | undefined;
    readonly reason?: string | undefined;
  }[];
  readonly replacements?: readonly WorkerReplacement[];
  readonly unreplaced?: readonly string[];
  /** Ends the watch; resolves once a replacement under way is started (and so counted). */
  stop(): void | Promise<void>;
}

/** Recent output of one member (a container, or a task's log stream). */
export interface MemberLog {
  readonly member: string;
  readonly lines: readonly string[];
}

/** The summary of a teardown: what was removed. */
export interface TeardownReport {
  readonly clusterId: string;
  readonly removed: readonly string[];
}
