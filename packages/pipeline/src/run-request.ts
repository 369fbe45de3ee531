import type {
  AdaptiveReport,
  BackendName,
  BackendSettings,
  ClusterHandle,
  CostEstimate,
  JobRunsOn,
  Logger,
  PartialCluster,
  PreflightFinding,
  Readiness,
  WorkerReplacement,
} from "@dask-fargate-action/core/backend";
import type { ClusterSpec, ClusterSpecInput } from "@dask-fargate-action/core/validate";
import type { ImageOutcome, ImageRequest } from "./image-phase.js";
import type { OutputFile } from "./output-files.js";
import type { RunPictures } from "./pictures/pictures.js";
import type { ResolvedRun } from "./resolve-run.js";
import type { RunEnding, RunPhase } from "./run-message.js";
import type { StoppedMember } from "./stopped-members.js";

/** The job a run executes on its cluster. */
export interface JobRequest {
  /** A shell command line, e.g. `python3 train_xgboost.py`. */
  readonly command: string;
  readonly runsOn: JobRunsOn;
  /** The job's files: mounted at /job for a job in a Docker cluster, the working directory on the runner. */
  readonly workdir: string;
  /** Variables of this environment a job on the runner inherits besides the allow-list (`job-env`). */
  readonly inheritEnv?: readonly string[];
  /** `job-user`: the unprivileged user a job on the runner runs as (the controller must be root). */
  readonly runAs?: string | undefined;
  /** `job-timeout`: the job is stopped after this many seconds and the run exits 124. */
  readonly timeoutSeconds?: number | undefined;
  /** `output-dir`: where the files the job writes to DFA_OUTPUT_DIR end up on this machine. */
  readonly outputDir?: string | undefined;
}

/** One run: the image, the cluster, and (for `run`) the job. Without a job the cluster stays up (`up`). */
export interface RunRequest {
  readonly backend: BackendName;
  readonly settings: BackendSettings;
  /** The cluster's settings; the image comes from the image phase. */
  readonly cluster: Omit<ClusterSpecInput, "image">;
  readonly image: ImageRequest;
  /** The directory of the cluster's local files (TLS), removed by the teardown. */
  readonly tlsDirFor: (clusterId: string) => string;
  readonly job?: JobRequest | undefined;
  /** Remove a cluster of the same id first (a re-run of a workflow attempt). */
  readonly replaceExisting?: boolean;
  /** When the cluster counts as ready (`running` or `registered`); default the backend's `DEFAULT_READINESS`. */
  readonly readiness?: Readiness | undefined;
}

/** What the caller hears while the run goes on (the action saves state and opens log groups; the CLI writes its record). */
export interface RunHooks {
  readonly logger: Logger;
  /** SIGINT/SIGTERM: stops what is running and removes the cluster. */
  readonly signal: AbortSignal;
  /**
   * Wraps each phase's work: `phase` says which (replacing an earlier attempt's cluster is part of `up`), `title`
   * is a line for people (e.g. a collapsible log group's).
   */
  readonly phase?: <T>(phase: RunPhase, title: string, work: () => Promise<T>) => Promise<T>;
  /** Runs the image build with a logger for text the user controls (the action neutralises workflow commands in it). */
  readonly untrustedLog?: <T>(work: (logger: Logger) => Promise<T>) => Promise<T>;
  readonly onImage?: (image: ImageOutcome) => void | Promise<void>;
  /** Before the first resource: the spec and where its local files go, to record what a teardown needs. */
  readonly onStart?: (spec: ClusterSpec, tlsDir: string) => void | Promise<void>;
  /** After each created resource (synchronously, from the backend). */
  readonly onPartial?: (partial: PartialCluster) => void;
  readonly onReady?: (handle: ClusterHandle) => void | Promise<void>;
  readonly onJobOutput?: (line: string, stream: "stdout" | "stderr") => void;
  /** After the teardown finished. */
  readonly onTornDown?: () => void | Promise<void>;
}

/**
 * What became of the cluster's teardown in a run: `not needed` (nothing was created, or `up` keeps its cluster),
 * `done`, or `failed` with the teardown's own error (also when the run had failed before it).
 */
export type RunTeardown =
  | { readonly state: "not needed" }
  | { readonly state: "done" }
  | { readonly state: "failed"; readonly error: unknown };

/** Everything a run did, for the CLI's output and the action's outputs and summary. */
export interface RunResult {
  readonly backend: BackendName;
  readonly clusterId: string;
  /** The run as resolved before anything was built or created (with the image once the image phase settled it). */
  readonly run: ResolvedRun;
  /** The cluster's spec once the image phase gave it its image; undefined when the run failed before. */
  readonly spec: ClusterSpec | undefined;
  readonly image: ImageOutcome | undefined;
  /** The running cluster (`up`), or the one that ran the job (removed by now). */
  readonly handle: ClusterHandle | undefined;
  readonly ending: RunEnding;
  /** The job's exit code; 124 after job-timeout, 130 when interrupted; undefined for `up` or when no job ran. */
  readonly exitCode: number | undefined;
  /** One line for people: what happened and, on failure, in which phase and why (e.g. `outputs phase: …`). */
  readonly message: string;
  /** The phase the error or the interruption happened in; undefined when the run ended as planned. */
  readonly failedPhase: RunPhase | undefined;
  /** Whether the cluster had to be removed, and whether that worked. */
  readonly teardown: RunTeardown;
  readonly stoppedMembers: readonly StoppedMember[];
  /** With adaptive workers (`workers: MIN-MAX`): the workers over the job and their worker-seconds. */
  readonly adaptive: AdaptiveReport | undefined;
  /** Workers lost during the job and what replaced each (`max-worker-replacements`), in order. */
  readonly replacements: readonly WorkerReplacement[];
  /** Lost workers left unreplaced because the limit was used up (a warning, not a failure). */
  readonly unreplaced: readonly string[];
  /** The job's last output lines. */
  readonly jobLogTail: readonly string[];
  readonly outputDir: string | undefined;
  readonly outputs: readonly OutputFile[];
  readonly phasesMs: Readonly<Record<string, number>>;
  /** Per hour, before the start (Fargate). */
  readonly hourlyCost: (CostEstimate & { readonly maxLifetimeUsd: number }) | undefined;
  /** For the whole run, after it (`run` only: with `up` the cluster lives on). */
  readonly cost: CostEstimate | undefined;
  /** Fargate: what the preflight found before anything was created (notes included). */
  readonly preflight: readonly PreflightFinding[];
  /** An error outside the job (start, teardown), when the run failed with one; its message starts with its phase (`up phase: …`). */
  readonly error: unknown;
  /** What the summary's pictures are drawn from: the start's timeline, the job's metrics, the workers over time. */
  readonly pictures: RunPictures;
  /** The pictures' Markdown file in the output directory, when one was written. */
  readonly picturesFile: string | undefined;
}
