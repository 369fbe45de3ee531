import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import dockerignoreModule from "@balena/dockerignore";
import { ImageConfigError } from "./errors.js";

// A CommonJS module whose types declare an ES default export; it sets `module.exports.default` to itself, so this
// works both under Node's ESM import and in a bundle.
const dockerignore = dockerignoreModule.default;

/** One entry of a build context as the engine receives it: a regular file, a directory or a symbolic link. */
export type ContextEntry =
  | { readonly path: string; readonly type: "file"; readonly mode: number; readonly content: Buffer }
  | { readonly path: string; readonly type: "directory"; readonly mode: number }
  | { readonly path: string; readonly type: "symlink"; readonly target: string };

/**
 * Directories never sent, whatever `.dockerignore` says. `.git` changes with every commit (its objects and
 * index), so sending it would give every commit a new content tag; and actions/checkout keeps a token in
 * `.git/config`, which a `COPY . .` would put into the image.
 */
export const NEVER_SENT: ReadonlySet<string> = new Set([".git"]);

/** A `.dockerignore` read from a context's root, with the path it was read from for messages. */
export interface IgnoreRules {
  /** Path of the `.dockerignore` file, for messages. */
  readonly file: string;
  /** Its non-empty, non-comment lines with their 1-based line numbers. */
  readonly patterns: readonly { readonly line: number; readonly text: string }[];
  /** True when a path (relative, `/`-separated) is excluded from the context. */
  readonly ignores: (path: string) => boolean;
  /** True when some pattern starts with `!`: excluded directories must then still be walked. */
  readonly hasExceptions: boolean;
}

/**
 * Reads `<context>/.dockerignore` with Docker's rules (`@balena/dockerignore`, a port of moby's
 * dockerignore and fileutils matching: `*` stays within one path component, a pattern matches a path or any
 * of its parents, later `!` patterns re-include). Undefined when the context has none.
 */
export async function readIgnoreRules(contextDir: string): Promise<IgnoreRules | undefined> {
  const file = join(contextDir, ".dockerignore");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ImageConfigError(
      "context",
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); make it readable`,
    );
  }
  return ignoreRulesFromText(file, text);
}

/** {@link readIgnoreRules} for a text already read. */
export function ignoreRulesFromText(file: string, text: string): IgnoreRules {
  const patterns = text
    .split(/\r?\n/)
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter((p) => p.text !== "" && !p.text.startsWith("#"));
  // ignorecase false: Linux file names are case-sensitive, as dockerode's own context packer sets it.
  const matcher = dockerignore({ ignorecase: false }).add(patterns.map((p) => p.text));
  return {
    file,
    patterns,
    ignores: (path) => matcher.ignores(path),
    hasExceptions: patterns.some((p) => p.text.startsWith("!")),
  };
}

/** The last pattern that excludes `path` on its own (the one a user has to counter), for messages. */
export function excludingPattern(
  rules: IgnoreRules,
  path: string,
): { readonly line: number; readonly text: string } | undefined {
  return rules.patterns
    .filter((p) => !p.text.startsWith("!") && dockerignore({ ignorecase: false }).add(p.text).ignores(path))
    .at(-1);
}

/**
 * Walks a context directory as the Docker CLI packs it (moby's `archive.TarWithOptions` with the
 * `.dockerignore` patterns as excludes): sorted, relative `/`-separated paths; excluded files are left out;
 * an excluded directory is skipped whole unless some `!` pattern may re-include something below it, in which
 * case it is walked but not sent itself. Symbolic links are sent as links, never followed, so a link cannot
 * bring files from outside the context. Sockets and FIFOs are skipped. `.git` is never sent ({@link NEVER_SENT}).
 */
export async function walkContext(contextDir: string, rules: IgnoreRules | undefined): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const visit = async (relativeDir: string): Promise<void> => {
    const absolute = relativeDir === "" ? contextDir : join(contextDir, relativeDir);
    const children = (await readdir(absolute, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const child of children) {
      if (NEVER_SENT.has(child.name)) continue;
      const path = relativeDir === "" ? child.name : `${relativeDir}/${child.name}`;
      const excluded = rules?.ignores(path) ?? false;
      const full = join(contextDir, path);
      if (child.isDirectory()) {
        if (excluded && !rules?.hasExceptions) continue;
        if (!excluded) entries.push({ path, type: "directory", mode: (await stat(full)).mode & 0o7777 });
        await visit(path);
      } else if (excluded) {
        // Left out, like every file a .dockerignore pattern matches.
      } else if (child.isSymbolicLink()) {
        entries.push({ path, type: "symlink", target: await readlink(full) });
      } else if (child.isFile()) {
        const [info, content] = await Promise.all([stat(full), readFile(full)]);
        entries.push({ path, type: "file", mode: info.mode & 0o7777, content });
      }
    }
  };
  try {
    await visit("");
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (ImageConfigError.isInstance(error)) throw error;
    throw new ImageConfigError(
      "context",
      `cannot read ${path ?? contextDir} (${code ?? String(error)}); the engine would refuse the build as well: make it readable, or exclude it in ${join(contextDir, ".dockerignore")}`,
    );
  }
  return entries;
}
