import { readFile, realpath } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { parseCondaEnvironmentFile } from "./conda-environment-file.js";
import type { EnvironmentSpec, LocalFile } from "./environment-spec.js";
import { EnvironmentFileError, ImageConfigError, type SourcePosition } from "./errors.js";
import { isExplicitLockfile, parseExplicitLockfile } from "./explicit-lockfile.js";
import { readLocalRequirement } from "./local-files.js";
import type { ImagePlatform } from "./platform.js";
import type { RawEnvironment } from "./raw-environment.js";
import { parseRequirementsFile } from "./requirements-file.js";
import { validateEnvironment } from "./validate-environment.js";

/**
 * Parses environment text by kind: an explicit lockfile when it has an `@EXPLICIT` line, a conda
 * environment for `.yml`/`.yaml`, pip requirements for anything else ending in `.txt`.
 * `file` is used in error messages only.
 */
export function parseEnvironmentText(file: string, text: string): RawEnvironment {
  if (isExplicitLockfile(text)) return parseExplicitLockfile(file, text);
  if (/\.ya?ml$/i.test(file)) return parseCondaEnvironmentFile(file, text);
  if (/\.(txt|in)$/i.test(file)) return parseRequirementsFile(file, text);
  throw new ImageConfigError(
    "environment-file",
    `cannot tell the kind of "${file}": use a conda environment file (.yml/.yaml), a pip requirements file (.txt) or an explicit conda lockfile (@EXPLICIT)`,
  );
}

/** Validates environment text without touching the file system (local pip paths get no files). */
export function parseEnvironment(file: string, text: string, platform: ImagePlatform = "linux/amd64"): EnvironmentSpec {
  return { ...validateEnvironment(parseEnvironmentText(file, text), platform), localFiles: [] };
}

/** Reads, parses and validates an environment file, and reads any local wheels or projects it lists. */
export async function loadEnvironment(path: string, platform: ImagePlatform = "linux/amd64"): Promise<EnvironmentSpec> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ImageConfigError(
      "environment-file",
      `cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path, relative to the working directory`,
    );
  }
  const spec = validateEnvironment(parseEnvironmentText(path, text), platform);
  const localFiles: LocalFile[] = [];
  const locals = spec.pip.filter((r) => r.localPath !== undefined);
  // Local paths are checked against the real directory, so a symbolic link cannot lead out of it.
  const root = locals.length > 0 ? await realpath(dirname(path)) : "";
  for (const requirement of locals) {
    const files = await readLocalRequirement(root, requirement.source, requirement.localPath ?? "");
    if ("problem" in files)
      throw new EnvironmentFileError(positionOf(path, text, requirement.source), files.problem, files.fix);
    localFiles.push(...files);
  }
  return { ...spec, sourceFile: basename(path), localFiles };
}

/** Where `source` is written in the file (the spec keeps no positions); line 1, column 1 when not found. */
function positionOf(file: string, text: string, source: string): SourcePosition {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => l.includes(source));
  const line = lines[index] ?? "";
  return { file, line: Math.max(1, index + 1), column: Math.max(1, line.indexOf(source) + 1) };
}
