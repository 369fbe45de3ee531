import { readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { CONTEXT_FILES } from "./context-layout.js";
import type { LocalFile } from "./environment-spec.js";

/** Directories never copied from a local project: build noise, and `.git`, which can hold credentials. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  ".git",
  "__pycache__",
  ".venv",
  "node_modules",
  ".mypy_cache",
  ".pytest_cache",
]);

/** Why a local pip path cannot be copied: the problem and the fix, without the file position. */
export interface LocalPathProblem {
  readonly problem: string;
  readonly fix: string;
}

/**
 * Reads a local wheel or project directory for the build context. Every path is resolved with
 * `realpath` first, and the result (and every file and link inside a directory) must stay inside
 * `root`, the environment file's real directory, and outside skipped directories such as `.git`:
 * a symbolic link must not carry files from elsewhere on the machine into the image.
 * Returns the files, or the problem when something resolves outside or cannot be read.
 */
export async function readLocalRequirement(
  root: string,
  written: string,
  localPath: string,
): Promise<LocalFile[] | LocalPathProblem> {
  const requirement = `the local requirement "${written}"`;
  try {
    return await readChecked(root, requirement, localPath);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    return {
      problem: `${requirement} cannot be read: ${code ?? String(error)}${path ? ` on "${path}"` : ""}`,
      fix: "make the wheel or project readable by the user that runs the build",
    };
  }
}

async function readChecked(
  root: string,
  requirement: string,
  localPath: string,
): Promise<LocalFile[] | LocalPathProblem> {
  let real: string;
  try {
    real = await realpath(join(root, localPath));
  } catch {
    return missing(requirement, join(root, localPath));
  }
  const place = placeOf(root, real);
  if (place === OUTSIDE) {
    // The written path has no ".." (the parser refuses it), so only a symbolic link can lead out.
    return {
      problem: `${requirement} resolves to "${real}" through a symbolic link, outside the environment file's directory "${root}"`,
      fix: `put a real copy of the wheel or project inside ${root} (not a link to it), or remove the requirement`,
    };
  }
  if (place)
    return {
      problem: `${requirement} resolves to "${real}", ${skippedText(place)}`,
      fix: `list the wheel or project directory itself, outside ${place}`,
    };
  const info = await stat(real);
  if (info.isFile()) return [{ contextPath: `${CONTEXT_FILES.localDir}/${localPath}`, content: await readFile(real) }];
  if (!info.isDirectory()) return missing(requirement, real);
  const walk: Walk = {
    root,
    requirement,
    projectName: localPath.split("/").pop() ?? localPath,
    project: real,
    files: [],
  };
  const problem = await readDirectory(walk, { real, contextPath: localPath, ancestors: [real] });
  if (problem) return problem;
  return walk.files.length > 0 ? walk.files : missing(requirement, real);
}

interface Walk {
  readonly root: string;
  readonly requirement: string;
  readonly projectName: string;
  /** Real path of the listed project directory; links are reported relative to it. */
  readonly project: string;
  /** What the walk has read so far, in order. */
  readonly files: LocalFile[];
}

/** One directory of a walk. */
interface WalkedDirectory {
  readonly real: string;
  /** Its path under the context's local directory. */
  readonly contextPath: string;
  /** Real paths of the directories being walked, this one included. */
  readonly ancestors: readonly string[];
}

/**
 * Copies a directory's regular files, sorted, into `walk.files`. A symbolic link is followed only when its
 * target stays inside the root (and outside skipped directories) and does not lead back into a
 * directory being walked; any other link is a problem naming the link. Sockets and FIFOs are skipped.
 */
async function readDirectory(walk: Walk, directory: WalkedDirectory): Promise<LocalPathProblem | undefined> {
  const { real: realDir, contextPath, ancestors } = directory;
  const entries = (await readdir(realDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = join(realDir, entry.name);
    const inContext = `${contextPath}/${entry.name}`;
    let real = path;
    if (entry.isSymbolicLink()) {
      const link = relative(walk.project, path).split(sep).join("/");
      const linkProblem = (
        what: string,
        fix = `remove the link from ${walk.projectName}, or replace it with a real copy of what it points to`,
      ) => ({
        problem: `${walk.requirement} contains "${link}", a symbolic link to ${what}`,
        fix,
      });
      try {
        real = await realpath(path);
      } catch {
        return linkProblem(`"${resolve(realDir, await readlink(path))}", which does not exist`);
      }
      const place = placeOf(walk.root, real);
      if (place === OUTSIDE) return linkProblem(`"${real}", outside the environment file's directory "${walk.root}"`);
      if (place) return linkProblem(`"${real}", ${skippedText(place)}`);
      // Following a link to a directory that is being walked (or holds one) would never end.
      if (ancestors.some((dir) => dir === real || dir.startsWith(`${real}${sep}`))) {
        return linkProblem(
          `"${real}", which contains the link itself (a loop)`,
          `remove the link from ${walk.projectName}`,
        );
      }
    } else if (!entry.isFile() && !entry.isDirectory()) {
      continue;
    }
    const info = await stat(real);
    if (info.isFile()) {
      walk.files.push({ contextPath: `${CONTEXT_FILES.localDir}/${inContext}`, content: await readFile(real) });
    } else if (info.isDirectory()) {
      const problem = await readDirectory(walk, { real, contextPath: inContext, ancestors: [...ancestors, real] });
      if (problem) return problem;
    }
  }
  return undefined;
}

const OUTSIDE = Symbol("outside");

/** Undefined when `real` is inside `root` and outside skipped directories; else OUTSIDE or the skipped directory it is in. */
function placeOf(root: string, real: string): typeof OUTSIDE | string | undefined {
  const inside = relative(root, real);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return OUTSIDE;
  return inside.split(sep).find((part) => SKIPPED_DIRECTORIES.has(part));
}

function skippedText(directory: string): string {
  return `inside ${directory}, which is never copied into a build`;
}

function missing(requirement: string, path: string): LocalPathProblem {
  return {
    problem: `${requirement} names "${path}", which does not exist or is empty`,
    fix: `put the wheel or project at ${path}, or remove the requirement`,
  };
}
