import { adaptSidecarEnvironment } from "../adaptive/adapt-sidecar.js";
import type { ClusterSpec, DaskCli } from "../cluster-spec.js";
import { CONTAINER_OUTPUT_DIR, OUTPUT_DIR_ENV } from "../job-outputs.js";

/** Ports every scheduler listens on (Dask's defaults). */
export const SCHEDULER_PORT = 8786;
export const DASHBOARD_PORT = 8787;

/** Where TLS files are inside every container. */
export const TLS_DIR = "/tmp/dask-fargate-tls";
/**
 * The file names of one TLS identity (the cluster CA, the holder's certificate and key), wherever it is
 * written: in every container (TLS_DIR) and in a client's TLS directory on this machine (writeTlsFiles).
 */
export const TLS_FILES = { ca: "ca.pem", cert: "member.pem", key: "member-key.pem" } as const;

/** Seconds between the TERM at the hard lifetime and a KILL, so Dask can close cleanly. */
const LIFETIME_KILL_AFTER = 30;

function prefix(spec: Pick<ClusterSpec, "daskCli" | "python">, role: "scheduler" | "worker"): string[] {
  const forms: Record<DaskCli, string[]> = {
    module: [spec.python, "-m", `distributed.cli.dask_${role}`],
    dask: ["dask", role],
    legacy: [`dask-${role}`],
  };
  return forms[spec.daskCli];
}

function tlsFlags(spec: Pick<ClusterSpec, "tls">): string[] {
  if (!spec.tls) return [];
  return [
    "--tls-ca-file",
    CONTAINER_TLS_PATHS.ca,
    "--tls-cert",
    CONTAINER_TLS_PATHS.cert,
    "--tls-key",
    CONTAINER_TLS_PATHS.key,
  ];
}

/**
 * Wraps a command in coreutils `timeout`, so every container ends at the cluster's hard lifetime
 * even when nobody is left to stop it (TERM first, KILL 30 s later).
 */
export function withLifetime(command: readonly string[], seconds: number): string[] {
  return ["timeout", `--kill-after=${LIFETIME_KILL_AFTER}`, String(seconds), ...command];
}

/** The scheduler: fixed ports, idle timeout, TLS when on. */
export function schedulerCommand(spec: ClusterSpec): string[] {
  const command = [
    ...prefix(spec, "scheduler"),
    ...(spec.tls ? ["--protocol", "tls"] : []),
    "--port",
    String(SCHEDULER_PORT),
    "--dashboard-address",
    `:${DASHBOARD_PORT}`,
    "--idle-timeout",
    `${spec.idleTimeout}s`,
    ...tlsFlags(spec),
  ];
  return withLifetime(command, spec.maxLifetime);
}

/**
 * A worker: one process with the spec's threads and memory limit (given explicitly, because cgroup
 * detection is unreliable on Fargate), and a death timeout so it exits when its scheduler is gone.
 * Without an address, Dask reads it from DASK_SCHEDULER_ADDRESS (its `scheduler-address` setting).
 */
export function workerCommand(spec: ClusterSpec, schedulerAddress: string | undefined, name?: string): string[] {
  const command = [
    ...prefix(spec, "worker"),
    ...(schedulerAddress ? [schedulerAddress] : []),
    // Without a name Dask names the worker by its address, which is unique.
    ...(name ? ["--name", name] : []),
    "--nthreads",
    String(spec.workerThreads),
    "--memory-limit",
    `${spec.workerMemoryLimit}MiB`,
    "--death-timeout",
    `${spec.deathTimeout}s`,
    "--no-dashboard",
    ...tlsFlags(spec),
  ];
  return withLifetime(command, spec.maxLifetime);
}

/**
 * Python that waits until the expected number of workers is registered (DFA_EXPECTED_WORKERS), so the
 * user's command starts on a complete cluster. Fixed text: no user input is interpolated.
 */
export const WAIT_FOR_WORKERS_PY = [
  "import os, sys",
  "from distributed import Client",
  "n = int(os.environ['DFA_EXPECTED_WORKERS'])",
  "timeout = float(os.environ.get('DFA_WAIT_TIMEOUT', '600'))",
  "with Client(os.environ['DASK_SCHEDULER_ADDRESS'], timeout=timeout) as client:",
  "    client.wait_for_workers(n, timeout=timeout)",
  "    print(f'dask-fargate: {len(client.scheduler_info()[\"workers\"])} workers ready', file=sys.stderr, flush=True)",
].join("\n");

/**
 * The output signing key (ECS puts it in DFA_OUTPUT_KEY from the cluster's secret) moves to a 0600 file (mktemp)
 * and leaves the environment before the user's command starts, so a job that prints its environment does not
 * print it; the uploader reads the file.
 */
const OUTPUT_KEY_TO_FILE = `dfa_key=$(mktemp) && printf '%s' "$DFA_OUTPUT_KEY" > "$dfa_key" && unset DFA_OUTPUT_KEY`;

/**
 * The job: make its output directory (DFA_OUTPUT_DIR), wait for the workers, then run the user's command with
 * `sh -c`. The user's command travels in the environment variable DFA_JOB_COMMAND, never inside the shell text
 * itself. With `uploadOutputs` (Fargate with output-uri) the command is not exec'd: when it ends, successfully
 * or not, the fixed uploader in DFA_UPLOAD_OUTPUTS runs (output-uploader.ts), and the job's own exit code is the container's; an
 * upload failure is reported on stderr and never hides it.
 */
export function jobCommand(spec: ClusterSpec, options: { readonly uploadOutputs?: boolean } = {}): string[] {
  const prepare = `mkdir -p "$DFA_OUTPUT_DIR" && ${spec.python} -c "$DFA_WAIT_FOR_WORKERS"`;
  // Adaptive workers: the sidecar (adaptive/adapt-sidecar.ts) runs in the background beside the command and is
  // stopped when the command ends; the braces keep `&` to the sidecar alone.
  const run = spec.adaptive
    ? `{ ${spec.python} -c "$DFA_ADAPT_PY" & dfa_adapt=$!; sh -c "$DFA_JOB_COMMAND"; }; code=$?; kill $dfa_adapt 2>/dev/null;`
    : `sh -c "$DFA_JOB_COMMAND"; code=$?;`;
  const script = options.uploadOutputs
    ? `${OUTPUT_KEY_TO_FILE} && ${prepare} && ${run} DFA_OUTPUT_KEY_FILE="$dfa_key" ${spec.python} -c "$DFA_UPLOAD_OUTPUTS" || echo "dask-fargate: the job outputs were not all uploaded (the job's exit code $code is kept)" >&2; exit $code`
    : spec.adaptive
      ? `${prepare} && ${run} exit $code`
      : `${prepare} && exec sh -c "$DFA_JOB_COMMAND"`;
  return withLifetime(["sh", "-c", script], spec.maxLifetime);
}

/** Paths of the TLS files inside every container. */
export const CONTAINER_TLS_PATHS = {
  ca: `${TLS_DIR}/${TLS_FILES.ca}`,
  cert: `${TLS_DIR}/${TLS_FILES.cert}`,
  key: `${TLS_DIR}/${TLS_FILES.key}`,
} as const;

/** Dask configuration as environment variables for a client or member whose TLS files are at `paths`. */
export function tlsEnvironment(
  paths: { readonly ca: string; readonly cert: string; readonly key: string },
  role: "client" | "scheduler" | "worker",
): Record<string, string> {
  const upper = role.toUpperCase();
  return {
    DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION: "True",
    DASK_DISTRIBUTED__COMM__DEFAULT_SCHEME: "tls",
    DASK_DISTRIBUTED__COMM__TLS__CA_FILE: paths.ca,
    [`DASK_DISTRIBUTED__COMM__TLS__${upper}__CERT`]: paths.cert,
    [`DASK_DISTRIBUTED__COMM__TLS__${upper}__KEY`]: paths.key,
  };
}

/**
 * The environment of a job beside a cluster: where the scheduler is, how many workers to wait for, the
 * wait script, the user's command (read by jobCommand's fixed shell text), where to write outputs
 * (DFA_OUTPUT_DIR) and the TLS settings.
 */
export function jobEnvironment(
  spec: ClusterSpec,
  schedulerAddress: string,
  command: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...extra,
    DASK_SCHEDULER_ADDRESS: schedulerAddress,
    DFA_EXPECTED_WORKERS: String(spec.workers),
    DFA_WAIT_FOR_WORKERS: WAIT_FOR_WORKERS_PY,
    DFA_JOB_COMMAND: command,
    [OUTPUT_DIR_ENV]: CONTAINER_OUTPUT_DIR,
    ...(spec.adaptive ? adaptSidecarEnvironment(spec.adaptive) : {}),
    ...(spec.tls ? tlsEnvironment(CONTAINER_TLS_PATHS, "client") : {}),
  };
}
