import { type Dirent, lstatSync, readdirSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

/** Where a job container sees its working directory (read-only). */
export const CONTAINER_WORKDIR = "/job";

/** How deep below the working directory `.git` entries are masked (nested checkouts, submodules), and how many directories are read at most. */
const GIT_DEPTH = 3;
const MAX_DIRECTORIES = 5000;
/** Directories never searched for `.git`: package trees (large, and no checkout lives there). */
const NOT_SEARCHED = new Set(["node_modules", ".venv", "venv", "__pycache__"]);

/** The mounts that give a job container its working directory. */
export interface WorkdirMounts {
  /** `host:container:ro` binds: the directory, then `/dev/null` over each `.git` file. */
  readonly binds: string[];
  /** An empty read-only tmpfs over each `.git` directory. */
  readonly tmpfs: Record<string, string>;
  /** The masked paths, relative to the working directory. */
  readonly masked: string[];
}

/**
 * The working directory read-only at {@link CONTAINER_WORKDIR}, with every `.git` entry (down to {@link GIT_DEPTH}
 * levels) hidden behind an empty mount: a checkout's `.git/config` holds the token `actions/checkout` persists
 * (its `http.extraheader`), and the job has no use for the repository's metadata. A `.git` directory gets an
 * empty read-only tmpfs, a `.git` file (a worktree's or submodule's pointer) `/dev/null`. A `.git` that is a
 * symbolic link is not followed: it points outside the mount or at a path that is masked itself.
 */
export function workdirMounts(workdir: string): WorkdirMounts {
  const root = resolve(workdir);
  const binds = [`${root}:${CONTAINER_WORKDIR}:ro`];
  const tmpfs: Record<string, string> = {};
  const masked: string[] = [];
  let read = 0;
  const walk = (dir: string, depth: number) => {
    if (read++ >= MAX_DIRECTORIES) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const inside = `${CONTAINER_WORKDIR}/${relative(root, path).split(sep).join("/")}`;
      if (entry.name === ".git") {
        const stat = lstatSync(path, { throwIfNoEntry: false });
        if (stat?.isDirectory()) tmpfs[inside] = "ro,size=4k";
        else if (stat?.isFile()) binds.push(`/dev/null:${inside}:ro`);
        else continue;
        masked.push(relative(root, path));
      } else if (entry.isDirectory() && depth < GIT_DEPTH && !NOT_SEARCHED.has(entry.name)) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return { binds, tmpfs, masked };
}
