import { resolve } from "node:path";
import { ClusterConfigError } from "@dask-fargate-action/core/validate";

/**
 * A job in a Fargate cluster runs in a task made from the image: nothing of this machine reaches it. A
 * `job-workdir` other than the current directory would be silently ignored there (the job then fails with
 * `can't open file`), so it is refused before anything is built or created.
 */
export function checkFargateJobWorkdir(workdir: string, cwd = process.cwd()): void {
  if (resolve(workdir) === resolve(cwd)) return;
  throw new ClusterConfigError(
    "job-workdir",
    `a job in a Fargate cluster runs in its own task from the image, which holds nothing of this machine: ${workdir} would be ignored. Fix: bake the code into the image (a Dockerfile that copies it, like examples/Dockerfile, given as dockerfile) and drop job-workdir, or run the job here (job-runs-on: runner)`,
  );
}

/** The warning before a Fargate job in the cluster starts without output-uri: its files cannot come back. */
export const FARGATE_OUTPUTS_STAY =
  "the job runs in a Fargate task and output-uri is not set: whatever it writes to DFA_OUTPUT_DIR stays in that task and is gone when it stops. Set output-uri to s3://BUCKET/PREFIX to bring the files back (see docs/job-outputs.md)";

/** The summary's words for the same case, after the job. */
export const FARGATE_OUTPUTS_STAYED =
  "files the job wrote to DFA_OUTPUT_DIR stayed in the cluster (no output-uri) and were removed with it";
