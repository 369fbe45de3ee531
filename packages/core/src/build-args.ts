import { ClusterConfigError } from "./errors.js";

/**
 * Build args as the CLI (`--build-arg NAME=VALUE`, repeatable) and the action (`build-args`, one NAME=VALUE a
 * line) take them: the value is everything after the first `=`. Blank lines and `#` comments are skipped; a name
 * given twice is refused (which one wins would be a guess). Names and values are checked again by the image
 * package (valid ARG names; no credentials in a URL, since the engine keeps build-arg values in the image history).
 */
export function parseBuildArgs(
  lines: readonly string[] | undefined,
  field = "build-args",
): Record<string, string> | undefined {
  const entries = (lines ?? []).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (entries.length === 0) return undefined;
  const args: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0)
      throw new ClusterConfigError(
        field,
        `"${entry.split("=")[0]}" is not NAME=VALUE; write e.g. BASE_IMAGE=python:3.11-slim`,
      );
    const name = entry.slice(0, eq).trim();
    if (Object.hasOwn(args, name)) throw new ClusterConfigError(field, `${name} is given twice; keep one`);
    args[name] = entry.slice(eq + 1);
  }
  return args;
}
