import {
  type BackendName,
  type BackendSettings,
  type BackendSpec,
  createBackend,
  type Readiness,
} from "@dask-fargate-action/core/backend";
import {
  ClusterConfigError,
  type ClusterSpec,
  checkFargateJobOutputs,
  checkJobOverrides,
  checkOutputDir,
  resolveClusterSpec,
} from "@dask-fargate-action/core/validate";
import { checkFargateJobWorkdir } from "./fargate-job-checks.js";
import { type ResolvedImageRequest, resolveImageRequest } from "./image-phase.js";
import { hourlyCostOf } from "./run-cost.js";
import type { JobRequest, RunRequest } from "./run-request.js";

/** The cluster spec's image until the image phase names the real one (a build's result is known only then). */
export const IMAGE_AFTER_BUILD = "image-set-after-build";

/** Where a run's job files go. */
export interface ResolvedOutputs {
  /** `output-dir`: where the files the job writes to DFA_OUTPUT_DIR end up on this machine. */
  readonly dir: string | undefined;
  /** `output-uri` (Fargate, checked and without a trailing `/`): where a job in the cluster uploads them. */
  readonly uri: string | undefined;
  /** A job in a Fargate cluster without output-uri: its files stay in its task (the run warns before it starts). */
  readonly stayInCluster: boolean;
}

/**
 * A run's request checked and with every default applied, once, before any side effect; the phases and the
 * backends take it as given. Only the image reference changes after the image phase ({@link withImage}).
 */
export interface ResolvedRun {
  readonly backend: BackendName;
  /** The settings as given: what a saved cluster records, and the clients a test injects. */
  readonly settings: BackendSettings;
  /** The cluster: its image is the requested one (or {@link IMAGE_AFTER_BUILD}) until the image phase fills it in. */
  readonly cluster: ClusterSpec;
  /** The backend's settings resolved against the cluster (Fargate: its spec with defaults and task sizes). */
  readonly backendSpec: BackendSpec;
  /** The image request checked against the backend, with its defaults (push, force, record, workspace). */
  readonly image: ResolvedImageRequest;
  /** The job (`run`); undefined for `up`, whose cluster stays up. */
  readonly job: JobRequest | undefined;
  /** True when the job runs inside the cluster (`job-runs-on: cluster`). */
  readonly jobInCluster: boolean;
  readonly outputs: ResolvedOutputs;
  /** The directory of the cluster's local files (TLS), removed by the teardown. */
  readonly tlsDir: string;
  readonly replaceExisting: boolean;
  readonly readiness: Readiness | undefined;
  /** Per hour, before the start (Fargate); undefined on Docker. */
  readonly hourlyCost: ReturnType<typeof hourlyCostOf>;
}

/**
 * Resolves a run request: the cluster spec, the backend's settings against it, the image request, the job and its
 * outputs, each checked once. Throws ClusterConfigError on bad input; reads and creates nothing.
 */
export function resolveRun(request: RunRequest): ResolvedRun {
  const job = request.job;
  const jobInCluster = job?.runsOn === "cluster";
  const { cluster, backendSpec, hourlyCost } = resolveCluster(request, jobInCluster);
  const image = resolveImageRequest(request.image, request.backend);
  const fargate = backendSpec.backend === "fargate" ? backendSpec.fargate : undefined;
  if (job?.outputDir !== undefined) {
    checkOutputDir(job.outputDir);
    if (fargate && jobInCluster) checkFargateJobOutputs(job.outputDir, fargate.outputUri);
  }
  // The adaptive loop lives in a job the tool runs: a cluster without one (`up`) would sit at its minimum.
  if (cluster.adaptive && !job)
    throw new ClusterConfigError(
      "workers",
      `${cluster.adaptive.min}-${cluster.adaptive.max} is a range, and a range follows the scheduler's target during a job this tool runs (command run); a cluster started by up keeps one size: write workers: ${cluster.adaptive.max} (or scale it later)`,
    );
  // On Fargate the job's command travels in RunTask's overrides, capped by ECS: refuse a too long one now, not after the start.
  if (fargate && job && jobInCluster) {
    checkJobOverrides(cluster, job.command);
    checkFargateJobWorkdir(job.workdir);
  }
  const outputs: ResolvedOutputs = Object.freeze({
    dir: job?.outputDir,
    uri: fargate?.outputUri,
    stayInCluster: fargate !== undefined && jobInCluster && fargate.outputUri === undefined,
  });
  return Object.freeze({
    backend: request.backend,
    settings: request.settings,
    cluster: Object.freeze(cluster),
    backendSpec: Object.freeze(backendSpec),
    image: Object.freeze(image),
    job: job ? Object.freeze({ ...job }) : undefined,
    jobInCluster,
    outputs,
    tlsDir: request.tlsDirFor(cluster.clusterId),
    replaceExisting: request.replaceExisting ?? false,
    readiness: request.readiness,
    hourlyCost,
  });
}

/**
 * The cluster part of a run, resolved: its spec, the backend's settings against it and the hourly cost. A run
 * resolves it within {@link resolveRun}; `plan`, which starts nothing, alone.
 */
export function resolveCluster(
  request: Pick<RunRequest, "backend" | "settings" | "cluster" | "image">,
  jobInCluster: boolean,
) {
  const cluster = resolveClusterSpec({ ...request.cluster, image: request.image.image ?? IMAGE_AFTER_BUILD });
  const backendSpec = createBackend(request.backend, request.settings).resolve(cluster);
  return { cluster, backendSpec, hourlyCost: hourlyCostOf(backendSpec, cluster, jobInCluster) };
}

/** The run with the image the image phase settled on: the one thing a run learns after it was resolved. */
export function withImage(run: ResolvedRun, image: string): ResolvedRun {
  if (!image || /\s/.test(image))
    throw new Error(`the image phase returned no usable image reference (${JSON.stringify(image)})`);
  return Object.freeze({ ...run, cluster: Object.freeze({ ...run.cluster, image }) });
}
