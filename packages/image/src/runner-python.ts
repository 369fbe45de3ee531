import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type ImageRecord, parseImageRecord, RECORD_PROGRAM } from "./image-record.js";

const run = promisify(execFile);

/**
 * The record of a Python on this machine (what a job on the runner will use), from the same fixed program the
 * images run. Undefined when that Python cannot run it (missing, or older than 3.8).
 */
export async function localPythonRecord(
  python = "python3",
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImageRecord | undefined> {
  try {
    const { stdout } = await run(python, ["-c", RECORD_PROGRAM], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return parseImageRecord(stdout);
  } catch {
    return undefined;
  }
}

/**
 * Why a client on this machine and a cluster from the image may not work together, or undefined when they match:
 * Python major.minor, dask and distributed must be the same (cloudpickle moves code and data between them, and
 * distributed warns only after connecting: https://distributed.dask.org/en/stable/api.html#distributed.Client).
 */
export function clientMismatch(image: ImageRecord, local: ImageRecord): string | undefined {
  const minor = (version: string) => version.split(".").slice(0, 2).join(".");
  const differences: string[] = [];
  if (minor(image.python) !== minor(local.python))
    differences.push(`python ${local.python} here, ${image.python} in the image`);
  for (const name of ["dask", "distributed"]) {
    const [here, there] = [local.packages[name], image.packages[name]];
    if (here !== there) differences.push(`${name} ${here ?? "missing"} here, ${there ?? "missing"} in the image`);
  }
  return differences.length > 0 ? differences.join("; ") : undefined;
}

/**
 * The warning for a job that will run on this machine against a cluster from the image, or undefined when
 * `python` here matches the image (see {@link clientMismatch}). Given before the job starts: distributed itself
 * warns only once the client has connected, and a mismatch can fail later when results are unpickled.
 */
export async function runnerJobWarning(image: ImageRecord, python = "python3"): Promise<string | undefined> {
  const here = await localPythonRecord(python);
  if (!here)
    return `the job runs on this machine, but ${python} could not list its packages; the cluster runs Python ${image.python} with dask ${image.packages["dask"] ?? "missing"}`;
  const mismatch = clientMismatch(image, here);
  return mismatch
    ? `the job runs on this machine (${python} on PATH) with other versions than the cluster: ${mismatch}; install the image's versions here, or run the job in the cluster (job-runs-on cluster)`
    : undefined;
}
