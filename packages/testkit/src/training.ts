import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Docker from "dockerode";

// The training examples (examples/) as the cluster tests run them: in an image, and what they print.

const run = promisify(execFile);

/**
 * An image that holds the training examples on top of the offline Dask image, as a team's image holds its
 * training code: in-cluster jobs find their files in the image. Built once per base (content-tagged).
 */
export async function trainingImage(base: string): Promise<string> {
  const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
  // The examples' content is in the tag: a changed script gives a new image, never a stale cached one.
  const content = createHash("sha256");
  for (const file of ["train_xgboost.py", "train_sklearn.py"]) content.update(await readFile(join(examples, file)));
  const tag = `dfa-test-training:${base.split(":").pop()?.slice(0, 30) ?? "latest"}-${content.digest("hex").slice(0, 8)}`;
  const docker = new Docker();
  const exists = await docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!exists) {
    const dockerfile = `FROM ${base}\nCOPY train_xgboost.py train_sklearn.py /opt/train/\n`;
    const child = run("docker", ["build", "-q", "-t", tag, "-f", "-", examples], { maxBuffer: 16 * 1024 * 1024 });
    child.child.stdin?.end(dockerfile);
    await child;
  }
  return tag;
}

/** The validation losses printed by examples/train_xgboost.py, in round order. */
export function losses(lines: readonly string[]): number[] {
  return lines
    .map((l) => /^round\s+\d+ valid-logloss ([0-9.]+)$/.exec(l)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}
