import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageRecord } from "@dask-fargate-action/image";

/** Writes the image's record for the `packages` output: `{ python, packages: { name: version } }` as JSON; returns its path. */
export async function writePackagesFile(record: ImageRecord): Promise<string> {
  const path = join(process.env["RUNNER_TEMP"] ?? tmpdir(), "dask-fargate-packages.json");
  await writeFile(path, `${JSON.stringify(record, null, 1)}\n`);
  return path;
}
