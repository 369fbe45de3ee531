import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseCondaEnvironmentFile } from "./conda-environment-file.js";
import { CONTEXT_FILES } from "./context-layout.js";
import type { EnvironmentSpec, LocalFile } from "./environment-spec.js";
import { EnvironmentFileError, ImageConfigError } from "./errors.js";
import { isExplicitLockfile, parseExplicitLockfile } from "./explicit-lockfile.js";
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
  for (const requirement of spec.pip) {
    if (requirement.localPath === undefined) continue;
    const source = join(dirname(path), requirement.localPath);
    const files = await readLocal(source, requirement.localPath).catch(() => undefined);
    if (!files || files.length === 0) {
      const lineIndex = text.split(/\r?\n/).findIndex((l) => l.includes(requirement.source));
      const line = text.split(/\r?\n/)[lineIndex] ?? "";
      throw new EnvironmentFileError(
        { file: path, line: lineIndex + 1, column: Math.max(1, line.indexOf(requirement.source) + 1) },
        `the local requirement "${requirement.source}" names "${source}", which does not exist or is empty`,
        `put the wheel or project at ${source}, or remove the requirement`,
      );
    }
    localFiles.push(...files);
  }
  return { ...spec, sourceFile: basename(path), localFiles };
}

const SKIPPED = new Set([".git", "__pycache__", ".venv", "node_modules", ".mypy_cache", ".pytest_cache"]);

async function readLocal(source: string, contextRelative: string): Promise<LocalFile[]> {
  const info = await stat(source);
  if (info.isFile()) return [{ contextPath: `${CONTEXT_FILES.localDir}/${contextRelative}`, content: await readFile(source) }];
  const out: LocalFile[] = [];
  const entries = (await readdir(source, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    if (entry.isDirectory() || entry.isFile()) out.push(...(await readLocal(join(source, entry.name), `${contextRelative}/${entry.name}`)));
  }
  return out;
}
