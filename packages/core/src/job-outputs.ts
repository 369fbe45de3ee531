import { accessSync, constants, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ClusterConfigError, CoreError } from "./errors.js";

/** The variable that tells every job where to write what should come back (a model, metrics). */
export const OUTPUT_DIR_ENV = "DFA_OUTPUT_DIR";

/** Where a job in a container writes its outputs: the bind mount on Docker, the directory the uploader reads on Fargate. */
export const CONTAINER_OUTPUT_DIR = "/tmp/dask-fargate-output";

/**
 * A Fargate job in the cluster brings outputs back only through S3: `outputDir` without `output-uri` is refused
 * before the job task starts (and should be checked before `up`, with the same message).
 */
export function checkFargateJobOutputs(outputDir: string | undefined, outputUri: string | undefined): void {
  if (outputDir !== undefined && outputUri === undefined)
    throw new ClusterConfigError(
      "output-uri",
      "a job in a Fargate cluster sends its outputs through S3: set output-uri to s3://BUCKET/PREFIX (the run's files go under PREFIX/<cluster-id>/), or drop output-dir",
    );
}

/** One file a job left in its output directory. */
export interface OutputFile {
  /** Path relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
}

/** An entry a job left in its output directory that did not come back: only regular files do. */
export interface SkippedOutput {
  /** Path relative to the output directory, with `/` separators. */
  readonly path: string;
  /** `symbolic link`, `named pipe`, `socket`, `device`. */
  readonly kind: string;
}

/** What came back from a job: the local directory and the files in it. */
export interface JobOutputs {
  readonly dir: string;
  readonly files: readonly OutputFile[];
  /** Docker: what the job left that is not a regular file or directory, removed from the directory. Absent when none. */
  readonly skipped?: readonly SkippedOutput[];
  /** Fargate: where the files were uploaded (`s3://bucket/prefix/cluster-id/`). */
  readonly uri?: string;
  /**
   * Fargate: why not every file came back, when the job task's upload to S3 or the download from it failed
   * (the job's exit code is kept: an output failure never hides it). Absent when all went through.
   */
  readonly problem?: string;
}

/**
 * Checks an output directory before anything is created: it must be a writable directory, or not exist yet
 * below a writable directory (it is created when the job starts). Returns the absolute path.
 */
export function checkOutputDir(
  dir: string,
  field = "output-dir",
  // The permission check (a test answers it for root, whom the file system never refuses).
  access: (path: string, mode: number) => void = accessSync,
): string {
  if (dir.trim() === "") throw new ClusterConfigError(field, "is empty; give a directory, e.g. ./dask-fargate-output");
  const absolute = resolve(dir);
  let existing = absolute;
  for (;;) {
    const stat = statOrUndefined(existing);
    if (stat) {
      if (!stat.isDirectory()) {
        const what = existing === absolute ? `${absolute} is a file, not a directory` : `${existing} (a parent of ${absolute}) is not a directory`;
        throw new ClusterConfigError(field, `${what}; choose a directory path`);
      }
      try {
        access(existing, constants.W_OK | constants.X_OK);
      } catch {
        throw new ClusterConfigError(field, `${existing} is not writable by this user; choose a directory you can write to`);
      }
      return absolute;
    }
    const parent = dirname(existing);
    if (parent === existing) return absolute;
    existing = parent;
  }
}

/** Creates the output directory if missing (after {@link checkOutputDir}) and returns its absolute path. */
export function prepareOutputDir(dir: string, field = "output-dir"): string {
  const absolute = checkOutputDir(dir, field);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

/** Every regular file under `dir` (links are not followed), sorted, with sizes. */
export function listOutputFiles(dir: string): OutputFile[] {
  const files: OutputFile[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ path: relative(dir, path).split(sep).join("/"), bytes: statSync(path).size });
    }
  };
  if (statOrUndefined(dir)?.isDirectory()) walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** An `output-uri` split into its bucket and key prefix (no leading or trailing `/`; may be empty). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

// Bucket naming rules (S3 user guide, "General purpose bucket naming rules").
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// S3's "safe characters" for keys, without `*` and `?`, which would be wildcards in the IAM policy's resource.
const PREFIX = /^[A-Za-z0-9!_.'()/-]*$/;

/**
 * Parses and checks `output-uri` (`s3://bucket/prefix`): a bucket name S3 accepts, a prefix of S3's safe
 * characters without empty, `.` or `..` segments. The run's files go under `<prefix>/<cluster-id>/`.
 */
export function parseOutputUri(uri: string, field = "output-uri"): S3Location {
  const example = "write e.g. s3://my-team-models/nightly";
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(uri.trim());
  if (!match) throw new ClusterConfigError(field, `"${uri}" is not an S3 URI; ${example}`);
  const bucket = match[1] ?? "";
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket) || bucket.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    throw new ClusterConfigError(field, `"${bucket}" is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens); ${example}`);
  if (!PREFIX.test(prefix))
    throw new ClusterConfigError(
      field,
      `the prefix "${prefix}" may hold only letters, digits, / and !_.'()- (no * or ?, which IAM reads as wildcards); ${example}`,
    );
  if (prefix !== "" && prefix.split("/").some((s) => s === "" || s === "." || s === ".."))
    throw new ClusterConfigError(field, `the prefix "${prefix}" has an empty, "." or ".." segment; ${example}`);
  if (prefix.length > 900) throw new ClusterConfigError(field, "the prefix is longer than 900 characters (S3 keys hold at most 1024)");
  return { bucket, prefix };
}

/** The key prefix of one cluster's outputs: `<prefix>/<cluster-id>/` (or `<cluster-id>/` without a prefix). */
export function outputKeyPrefix(location: S3Location, clusterId: string): string {
  return `${location.prefix ? `${location.prefix}/` : ""}${clusterId}/`;
}

/**
 * The local path of a downloaded key, or an error when the key would land outside `outputDir` (`..`,
 * an absolute part, a backslash): keys are data anyone who can write to the prefix can set.
 */
export function localPathForKey(outputDir: string, keyPrefix: string, key: string): string {
  if (!key.startsWith(keyPrefix)) throw new CoreError(`the S3 key ${JSON.stringify(key)} is not under ${keyPrefix}`);
  const rest = key.slice(keyPrefix.length);
  const parts = rest.split("/");
  if (rest === "" || rest.includes("\\") || rest.includes("\0") || parts.some((p) => p === "" || p === "." || p === ".."))
    throw new CoreError(`refusing the S3 key ${JSON.stringify(key)}: it would not be a file inside the output directory`);
  const root = resolve(outputDir);
  const target = resolve(root, ...parts);
  const back = relative(root, target);
  if (back.startsWith("..") || isAbsolute(back)) throw new CoreError(`refusing the S3 key ${JSON.stringify(key)}: it escapes the output directory`);
  return target;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
