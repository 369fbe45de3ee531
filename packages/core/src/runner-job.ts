import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { ClusterHandle, JobResult, JobSpec } from "./cluster.js";
import { ClusterConfigError } from "./errors.js";
import { tlsEnvironment } from "./internal/dask-commands.js";
import { readLines } from "./internal/output-lines.js";
import { listOutputFiles, OUTPUT_DIR_ENV, prepareOutputDir } from "./job-outputs.js";
import { type JobUser, jobUserHome, lendOutputDir, resolveJobUser } from "./runner-user.js";

/**
 * Variables a job on the runner inherits from the controller's environment. The rule: what a `run:` step of
 * the same workflow job sees, minus what only this tool's own process is given. Kept: the process basics,
 * locale, proxies and CA bundles, an activated Python/conda environment, the GitHub context (`GITHUB_*`,
 * `RUNNER_*`) and the standard AWS variables: the job talks to Dask, not AWS, but training code often reads
 * S3 with the workflow's credentials, which every later step of the workflow job has anyway.
 */
const INHERITED = new Set([
  ...["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR", "TMP", "TEMP", "CI"],
  ...[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
  ],
  ...[
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "CONDA_EXE",
    "CONDA_PYTHON_EXE",
    "CONDA_SHLVL",
    "MAMBA_ROOT_PREFIX",
    "MAMBA_EXE",
  ],
  ...["pythonLocation", "PYTHONPATH", "PYTHONHOME", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "LD_LIBRARY_PATH"],
  ...[
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
  ],
  ...[
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CA_BUNDLE",
    "AWS_ENDPOINT_URL",
  ],
]);
/** Families inherited by prefix: locale, the GitHub context, AWS service endpoints, the user's Dask configuration. */
const INHERITED_PREFIX = /^(LC_|GITHUB_|RUNNER_|AWS_ENDPOINT_URL_|DASK_)/;
/**
 * Never inherited: the action's inputs (`INPUT_REGISTRY-PASSWORD`), the runtime's tokens (`ACTIONS_RUNTIME_TOKEN`,
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`), saved state, any other token, and the step's file commands: a job that
 * could write GITHUB_ENV or GITHUB_OUTPUT would steer the later steps of the workflow.
 */
const NEVER = /^(INPUT_|ACTIONS_|STATE_)|TOKEN|^GITHUB_(ENV|OUTPUT|STATE|PATH|STEP_SUMMARY)$/;
/** AWS credentials the workflow job already has (not tokens of the runner), although their names say TOKEN. */
const AWS_CREDENTIALS = new Set(["AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE"]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the names of `job-env` (variables of the controller's environment a job on the runner inherits
 * besides the allow-list): environment variable names, never an input, a runtime token or saved state.
 */
export function validateJobEnv(names: readonly string[], field = "job-env"): readonly string[] {
  for (const name of names) {
    if (!ENV_NAME.test(name))
      throw new ClusterConfigError(
        field,
        `"${name}" is not an environment variable name (letters, digits and _, not starting with a digit)`,
      );
    if (/^(INPUT_|ACTIONS_|STATE_)/.test(name))
      throw new ClusterConfigError(
        field,
        `${name} belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job`,
      );
  }
  return names;
}

/**
 * The environment of a job on the runner: the allow-listed part of `inherited`, the variables named in
 * `job.inheritEnv`, the cluster's and the job's explicit environment, then where the scheduler is,
 * how many workers to expect and the client TLS files in Dask's configuration variables.
 */
export function runnerJobEnvironment(
  handle: ClusterHandle,
  job: JobSpec,
  inherited: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const named = new Set(validateJobEnv(job.inheritEnv ?? []));
  const allowed = (name: string) =>
    (INHERITED.has(name) || INHERITED_PREFIX.test(name)) && (AWS_CREDENTIALS.has(name) || !NEVER.test(name));
  const kept = Object.entries(inherited).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && (named.has(entry[0]) || allowed(entry[0])),
  );
  const tls = handle.clientTlsFiles;
  return {
    ...Object.fromEntries(kept),
    ...handle.spec.environment,
    ...(job.environment ?? {}),
    DASK_SCHEDULER_ADDRESS: handle.clientSchedulerAddress ?? "",
    DFA_EXPECTED_WORKERS: String(handle.spec.workers),
    // The job writes its outputs straight into the output directory: it runs on this machine.
    ...(job.outputDir ? { [OUTPUT_DIR_ENV]: resolve(job.outputDir) } : {}),
    ...(tls ? tlsEnvironment(tls, "client") : {}),
  };
}

/**
 * Runs a job where the controller runs (a GitHub runner, a laptop): `sh -c command` in `workdir` with the
 * environment of {@link runnerJobEnvironment} (never the controller's whole environment). With `outputDir`
 * the directory is created first and is the job's DFA_OUTPUT_DIR; the files in it are returned. Aborting the
 * signal kills the job's whole process group. With `runAs` the job runs as that user (see {@link resolveJobUser}),
 * which then owns the output directory while it runs.
 */
export async function runJobOnRunner(handle: ClusterHandle, job: JobSpec, signal?: AbortSignal): Promise<JobResult> {
  if (!handle.clientSchedulerAddress) {
    throw new ClusterConfigError(
      "job-runs-on",
      "the scheduler is not reachable from this machine; run the job in the cluster (job-runs-on: cluster)",
    );
  }
  const user = job.runAs !== undefined ? resolveJobUser(job.runAs) : undefined;
  const outputDir = job.outputDir !== undefined ? prepareOutputDir(job.outputDir) : undefined;
  const home = user ? jobUserHome(user, handle.clientTlsFiles) : undefined;
  const giveBack = user && outputDir ? lendOutputDir(outputDir, user) : undefined;
  try {
    const env = runnerJobEnvironment(home ? { ...handle, clientTlsFiles: home.tls } : handle, job, process.env);
    // Another uid: its own home (with its copy of the client TLS files), and no way to read this process's environment.
    if (user && home) Object.assign(env, { HOME: home.home, USER: user.name, LOGNAME: user.name });
    return await spawnJob(job, env, outputDir, signal, user);
  } finally {
    giveBack?.();
    home?.remove();
  }
}

async function spawnJob(
  job: JobSpec,
  env: Record<string, string>,
  outputDir: string | undefined,
  signal: AbortSignal | undefined,
  user: JobUser | undefined,
): Promise<JobResult> {
  const started = Date.now();
  const child = spawn("sh", ["-c", job.command], {
    cwd: job.workdir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  const lines = [
    child.stdout ? readLines(child.stdout, (line) => job.onOutput?.(line, "stdout")) : undefined,
    child.stderr ? readLines(child.stderr, (line) => job.onOutput?.(line, "stderr")) : undefined,
  ];
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  signal?.addEventListener("abort", kill, { once: true });
  const timer = job.timeoutSeconds ? setTimeout(kill, job.timeoutSeconds * 1000) : undefined;
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, sig) => resolve(code ?? (sig ? 128 + (sig === "SIGKILL" ? 9 : 15) : 1)));
  });
  if (timer) clearTimeout(timer);
  signal?.removeEventListener("abort", kill);
  await Promise.all(lines);
  return {
    exitCode,
    stoppedMembers: [],
    durationMs: Date.now() - started,
    ...(outputDir ? { outputs: { dir: outputDir, files: listOutputFiles(outputDir) } } : {}),
  };
}
