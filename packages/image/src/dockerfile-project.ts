import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { TAG_HASH_LENGTH } from "./content-hash.js";
import { type ContextEntry, excludingPattern, readIgnoreRules, walkContext } from "./dockerfile-context.js";
import { ImageConfigError } from "./errors.js";
import { parseImageReference } from "./image-reference.js";
import type { ImagePlatform } from "./platform.js";
import { LABELS } from "./render-dockerfile.js";
import { checkSessionMounts } from "./session-mounts.js";
import { GENERATOR_NAME, GENERATOR_VERSION } from "./version.js";

/** Options of {@link loadDockerfileProject}. */
export interface DockerfileProjectOptions {
  /** Path of the Dockerfile (relative paths from the current directory). */
  readonly dockerfile: string;
  /** The build context directory; default the Dockerfile's directory. */
  readonly context?: string;
  /**
   * The checkout the Dockerfile and the context must stay inside (the action passes GITHUB_WORKSPACE);
   * default the current directory. Everything in the context is sent to the engine and can be copied into the image.
   */
  readonly workspace?: string;
  readonly platform?: ImagePlatform;
  /** Build-arg values; names and values enter the content hash (values with credentials are refused earlier). */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Extra image labels, set through the build API (the Dockerfile is not changed). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The stage to build (`docker build --target`); must be a stage named with `FROM … AS <name>`. Enters the content hash. */
  readonly target?: string;
}

/** A user's Dockerfile with its context, read and hashed, ready to build. */
export interface DockerfileBuildContext {
  readonly kind: "dockerfile";
  /** The Dockerfile's text. */
  readonly dockerfile: string;
  /** Where the Dockerfile is inside the context sent to the engine (the build API's `dockerfile`). */
  readonly dockerfilePath: string;
  /** The Dockerfile's path relative to the workspace, as written into the source-file label. */
  readonly sourceFile: string;
  /** The context directory (real path). */
  readonly contextDir: string;
  /** Every entry the engine receives, sorted by path. */
  readonly entries: readonly ContextEntry[];
  readonly contentHash: string;
  readonly tag: string;
  readonly platform: ImagePlatform;
  /** Labels set through the build API: the content hash, the generator and the source file, plus the caller's. */
  readonly labels: Readonly<Record<string, string>>;
  /** Every `FROM` image that is not a stage of the same Dockerfile. */
  readonly baseImages: readonly string[];
  readonly notices: readonly string[];
  /** The stage built, when not the last. */
  readonly target?: string;
}

/** The tag prefix of images built from a user's Dockerfile (environment files give `env-`). */
export const DOCKERFILE_TAG_PREFIX = "dockerfile-";

/** The context name of a Dockerfile that lies outside its context (the Docker CLI adds such a file too, under a random name). */
export const OUTSIDE_DOCKERFILE_NAME = ".dockerfile.dask-fargate";

/**
 * Reads a Dockerfile and its build context and computes the content hash. Refuses, before anything is
 * built: a missing Dockerfile or context, either of them outside the workspace, and a `.dockerignore`
 * that excludes the Dockerfile. Every `FROM` not pinned by digest gets a notice.
 */
export async function loadDockerfileProject(options: DockerfileProjectOptions): Promise<DockerfileBuildContext> {
  const workspace = await realDirectory(options.workspace ?? process.cwd(), "workspace");
  const dockerfileReal = await realFile(options.dockerfile, workspace);
  const contextGiven = options.context ?? dirname(options.dockerfile);
  const contextDir = await realContext(contextGiven, options.context !== undefined, workspace);
  const sourceFile = toPosix(relative(workspace, dockerfileReal));
  const insideContext = isInside(contextDir, dockerfileReal);
  const dockerfilePath = insideContext ? toPosix(relative(contextDir, dockerfileReal)) : OUTSIDE_DOCKERFILE_NAME;

  const rules = await readIgnoreRules(contextDir);
  if (rules && insideContext && rules.ignores(dockerfilePath)) {
    const pattern = excludingPattern(rules, dockerfilePath);
    throw new ImageConfigError(
      "dockerfile",
      `${rules.file}${pattern ? `:${pattern.line}` : ""} excludes the Dockerfile "${dockerfilePath}" from the build context` +
        `${pattern ? ` (pattern "${pattern.text}")` : ""}; the Dockerfile must be part of what is sent and hashed. ` +
        `Fix: add the line "!${dockerfilePath}" after that pattern in .dockerignore`,
    );
  }
  const text = await readFile(dockerfileReal);
  const walked = await walkContext(contextDir, rules);
  const entries: ContextEntry[] = insideContext
    ? walked
    : [...walked, { path: OUTSIDE_DOCKERFILE_NAME, type: "file" as const, mode: 0o644, content: text }].sort((a, b) =>
        compare(a.path, b.path),
      );
  const platform = options.platform ?? "linux/amd64";
  const buildArgs = Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => compare(a, b));
  const userLabels = Object.entries(options.labels ?? {}).sort(([a], [b]) => compare(a, b));
  const generator = `${GENERATOR_NAME}@${GENERATOR_VERSION}`;
  const target = options.target;
  const contentHash = hashDockerfileProject({
    generator,
    dockerfilePath,
    sourceFile,
    platform,
    buildArgs,
    labels: userLabels,
    entries,
    // Only when given, so the content tags of Dockerfiles built without a target stay what they were.
    ...(target !== undefined ? { target } : {}),
  });
  const dockerfile = text.toString("utf8");
  checkSessionMounts(dockerfile, sourceFile);
  const { baseImages, notices, stages } = inspectFromLines(dockerfile, sourceFile, options.buildArgs ?? {});
  if (target !== undefined && !stages.includes(target.toLowerCase())) {
    throw new ImageConfigError(
      "target",
      `${sourceFile} has no stage "${target}"; ${stages.length > 0 ? `its stages are ${stages.join(", ")}` : "it names no stage (FROM … AS <name>)"}; give one of them or remove target`,
    );
  }
  return {
    kind: "dockerfile",
    dockerfile,
    dockerfilePath,
    sourceFile,
    contextDir,
    entries,
    contentHash,
    tag: `${DOCKERFILE_TAG_PREFIX}${contentHash.slice(0, TAG_HASH_LENGTH)}`,
    platform,
    labels: Object.fromEntries([
      ...userLabels,
      [LABELS.contentHash, contentHash],
      [LABELS.generator, generator],
      [LABELS.sourceFile, sourceFile],
    ]),
    baseImages,
    notices,
    ...(target !== undefined ? { target } : {}),
  };
}

/** What the content hash of a Dockerfile project is taken over. */
interface DockerfileHashInputs {
  readonly generator: string;
  readonly dockerfilePath: string;
  readonly sourceFile: string;
  readonly platform: string;
  readonly buildArgs: readonly (readonly [string, string])[];
  readonly labels: readonly (readonly [string, string])[];
  readonly entries: readonly ContextEntry[];
  readonly target?: string;
}

/**
 * sha256 over a canonical JSON: the generator (so a change in how contexts are sent rebuilds), where the
 * Dockerfile is, the platform, build-arg names and values, labels, and every context entry (path, type,
 * permission bits, and the sha256 of a file's bytes or a link's target). Modes count because COPY keeps them.
 */
function hashDockerfileProject(inputs: DockerfileHashInputs): string {
  const entries = inputs.entries.map((entry) =>
    entry.type === "file"
      ? [entry.path, "file", entry.mode.toString(8), createHash("sha256").update(entry.content).digest("hex")]
      : entry.type === "directory"
        ? [entry.path, "directory", entry.mode.toString(8)]
        : [entry.path, "symlink", entry.target],
  );
  return createHash("sha256")
    .update(JSON.stringify({ kind: "dockerfile", ...inputs, entries }))
    .digest("hex");
}

/**
 * The `FROM` lines of a Dockerfile: base images (stage names and `scratch` left out) and a notice for
 * each that is not pinned by digest. Follows the Dockerfile syntax the hash depends on: the `escape`
 * parser directive, line continuations, comment lines, `--platform=` flags, and `$NAME`/`${NAME}` from
 * ARGs declared before the first FROM (overridden by build args).
 */
export function inspectFromLines(
  dockerfile: string,
  file: string,
  buildArgs: Readonly<Record<string, string>>,
): { baseImages: string[]; notices: string[]; stages: string[] } {
  const lines = dockerfile.split(/\r?\n/);
  let escapeChar = "\\";
  for (const line of lines) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === "escape" && (directive[2] === "`" || directive[2] === "\\"))
      escapeChar = directive[2];
  }
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const baseImages: string[] = [];
  const notices: string[] = [];
  let seenFrom = false;
  for (let index = 0; index < lines.length; index++) {
    const start = index + 1;
    let logical = "";
    let line = lines[index] ?? "";
    if (/^\s*#/.test(line)) continue;
    // A trailing escape continues the instruction; comment lines inside it are dropped.
    while (line.trimEnd().endsWith(escapeChar) && index + 1 < lines.length) {
      logical += line.trimEnd().slice(0, -1);
      index++;
      line = lines[index] ?? "";
      while (/^\s*#/.test(line) && index + 1 < lines.length) {
        index++;
        line = lines[index] ?? "";
      }
    }
    logical = `${logical}${line}`.trim();
    if (logical === "" || logical.startsWith("#")) continue;
    const [keyword = "", ...words] = logical.split(/\s+/);
    const instruction = keyword.toUpperCase();
    if (instruction === "ARG" && !seenFrom) {
      for (const word of words) {
        const [name = "", value] = word.split(/=(.*)/s);
        args[name] = buildArgs[name] ?? unquote(value ?? "");
      }
    }
    if (instruction !== "FROM") continue;
    seenFrom = true;
    const operands = words.filter((w) => !w.startsWith("--"));
    const written = operands[0] ?? "";
    if (operands[1]?.toUpperCase() === "AS" && operands[2]) stages.add(operands[2].toLowerCase());
    const image = written.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_all, braced?: string, bare?: string) => {
        const name = braced ?? bare ?? "";
        return buildArgs[name] ?? args[name] ?? "";
      },
    );
    if (image === "" || image.toLowerCase() === "scratch" || (stages.has(image.toLowerCase()) && !/[:@/]/.test(image)))
      continue;
    baseImages.push(image);
    const shown = image === written ? `FROM ${written}` : `FROM ${written} (${image})`;
    let digest: string | undefined;
    try {
      digest = parseImageReference(image, "dockerfile").digest;
    } catch {
      notices.push(
        `${file}:${start}: ${shown} is not an image reference this tool can check; the content tag cannot tell when its base changes`,
      );
      continue;
    }
    if (!digest) {
      notices.push(
        `${file}:${start}: ${shown} is not pinned by digest: the content tag covers the Dockerfile's text, not what the registry serves under that tag, ` +
          `so a base that moved upstream is not rebuilt (and a rebuild may get another base); pin it, e.g. FROM ${image.split("@")[0]}@sha256:<digest>`,
      );
    }
  }
  return { baseImages, notices, stages: [...stages] };
}

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

async function realDirectory(path: string, option: string): Promise<string> {
  try {
    const real = await realpath(path);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new ImageConfigError(option, `"${path}" is not a directory; give the repository's checkout directory`);
}

async function realFile(given: string, workspace: string): Promise<string> {
  const absolute = resolve(given);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    throw new ImageConfigError(
      "dockerfile",
      `"${given}" does not exist (looked for ${absolute}); give the path of your Dockerfile from the repository root, e.g. docker/Dockerfile`,
    );
  }
  if (!isInside(workspace, real)) {
    throw new ImageConfigError(
      "dockerfile",
      `"${given}" resolves to ${real}, outside the repository ${workspace}; the Dockerfile must be part of the checkout: move it inside ${workspace}`,
    );
  }
  if (!(await stat(real)).isFile())
    throw new ImageConfigError(
      "dockerfile",
      `"${given}" (${real}) is not a file; give the path of the Dockerfile itself`,
    );
  return real;
}

async function realContext(given: string, explicit: boolean, workspace: string): Promise<string> {
  const option = explicit ? "context" : "dockerfile";
  const absolute = resolve(given);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    throw new ImageConfigError(
      option,
      `the build context "${given}" does not exist (looked for ${absolute}); give a directory of the repository, e.g. "."`,
    );
  }
  if (!isInside(workspace, real)) {
    throw new ImageConfigError(
      option,
      `the build context "${given}" resolves to ${real}, outside the repository ${workspace}; everything in the context is sent to the engine ` +
        `and may be copied into the image, so it must be inside the checkout: give a directory inside ${workspace}, e.g. "."`,
    );
  }
  if (!(await stat(real)).isDirectory())
    throw new ImageConfigError(
      option,
      `the build context "${given}" (${real}) is not a directory; give a directory, e.g. "."`,
    );
  return real;
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === "" || (inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside));
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
