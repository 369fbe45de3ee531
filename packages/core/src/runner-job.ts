import { spawn } from "node:child_process";
import type { ClusterHandle, JobResult, JobSpec } from "./cluster.js";
import { tlsEnvironment } from "./dask-commands.js";
import { ClusterConfigError } from "./errors.js";
import { lineSplitter } from "./output-lines.js";

/**
 * Runs a job where the controller runs (a GitHub runner, a laptop): `sh -c command` in `workdir` with
 * DASK_SCHEDULER_ADDRESS, DFA_EXPECTED_WORKERS and the client TLS files in Dask's configuration
 * variables. Aborting the signal kills the job's whole process group.
 */
export async function runJobOnRunner(handle: ClusterHandle, job: JobSpec, signal?: AbortSignal): Promise<JobResult> {
  if (!handle.clientSchedulerAddress) {
    throw new ClusterConfigError("job-runs-on", "the scheduler is not reachable from this machine; run the job in the cluster (job-runs-on: cluster)");
  }
  const tls = handle.clientTlsFiles;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...handle.spec.environment,
    ...(job.environment ?? {}),
    DASK_SCHEDULER_ADDRESS: handle.clientSchedulerAddress,
    DFA_EXPECTED_WORKERS: String(handle.spec.workers),
    ...(tls ? tlsEnvironment(tls, "client") : {}),
  };
  const started = Date.now();
  const child = spawn("sh", ["-c", job.command], { cwd: job.workdir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const out = lineSplitter((line) => job.onOutput?.(line, "stdout"));
  const err = lineSplitter((line) => job.onOutput?.(line, "stderr"));
  child.stdout?.on("data", (c: Buffer) => out.push(c));
  child.stderr?.on("data", (c: Buffer) => err.push(c));
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
  out.flush();
  err.flush();
  return { exitCode, stoppedMembers: [], durationMs: Date.now() - started };
}
