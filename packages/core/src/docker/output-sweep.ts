import { lstatSync, readdirSync, type Stats, unlinkSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SkippedOutput } from "../job-outputs.js";

/** What a non-regular entry is, for the report. */
function kindOf(stat: Stats): string {
  if (stat.isSymbolicLink()) return "symbolic link";
  if (stat.isFIFO()) return "named pipe";
  if (stat.isSocket()) return "socket";
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return "device";
  return "special file";
}

/**
 * Leaves only directories and regular files in a job's output directory on the runner, walking it with lstat
 * (never following a link): a container's job could leave a symbolic link to a runner file (`/etc/hostname`,
 * the runner's credentials) that `actions/upload-artifact` or a later step would follow, or a pipe a reader
 * would hang on. Each other entry is removed and reported. Hard links need no check: link(2) never crosses a
 * mount (EXDEV), so one made in the container's bind mount names a file of the output directory.
 */
export function sweepOutputDir(dir: string): SkippedOutput[] {
  const skipped: SkippedOutput[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (!stat.isFile()) {
        const entry = { path: relative(dir, path).split(sep).join("/"), reason: kindOf(stat) };
        try {
          unlinkSync(path);
          skipped.push(entry);
        } catch (error) {
          skipped.push({
            ...entry,
            reason: `${entry.reason}, not removable (${error instanceof Error ? error.message : String(error)})`,
          });
        }
      }
    }
  };
  walk(dir);
  return skipped.sort((a, b) => a.path.localeCompare(b.path));
}
