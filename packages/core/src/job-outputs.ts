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

/** An entry a job left in its output directory that did not come back, and why. */
export interface SkippedOutput {
  /** Path relative to the output directory, with `/` separators. */
  readonly path: string;
  /**
   * Docker: what the entry is (`symbolic link`, `named pipe`, `socket`, `device`; only regular files come back).
   * Fargate: a name this machine cannot hold, a symbolic link already in the output directory, content that
   * differs from the signed manifest, an upload the job task could not make.
   */
  readonly reason: string;
}

/** What came back from a job: the local directory and the files in it. */
export interface JobOutputs {
  readonly dir: string;
  readonly files: readonly OutputFile[];
  /** Fargate: where the files were uploaded (`s3://bucket/prefix/cluster-id/attempt-token/job-id/`). */
  readonly uri?: string;
  /**
   * What the job wrote that did not come back, each with why. Docker: entries that are not regular files,
   * removed from the directory. Fargate: files that could not be delivered. Absent when none.
   */
  readonly skipped?: readonly SkippedOutput[];
  /** Fargate: objects under the run's prefix that its signed manifest does not list (never downloaded). */
  readonly ignoredObjects?: number;
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
        const what =
          existing === absolute
            ? `${absolute} is a file, not a directory`
            : `${existing} (a parent of ${absolute}) is not a directory`;
        throw new ClusterConfigError(field, `${what}; choose a directory path`);
      }
      try {
        access(existing, constants.W_OK | constants.X_OK);
      } catch {
        throw new ClusterConfigError(
          field,
          `${existing} is not writable by this user; choose a directory you can write to`,
        );
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
      else if (entry.isFile())
        files.push({ path: relative(dir, path).split(sep).join("/"), bytes: statSync(path).size });
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

/** `scheme://user:password@` (or `user@`, `token@`) at the start of a URI. */
const USERINFO = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@/;

/**
 * A URI as an error may quote it: the user information (`user:password@`) and the query (a presigned URL's
 * signature, a `?token=`) replaced by `***`, since an error is printed, logged and kept in job summaries.
 */
function redactUri(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1***@").replace(/([?#]).*$/s, "$1***");
}

/**
 * Parses and checks `output-uri` (`s3://bucket/prefix`): a bucket name S3 accepts, a prefix of S3's safe
 * characters without empty, `.` or `..` segments. The run's files go under `<prefix>/<cluster-id>/`.
 */
export function parseOutputUri(uri: string, field = "output-uri"): S3Location {
  const example = "write e.g. s3://my-team-models/nightly";
  if (USERINFO.test(uri.trim()))
    throw new ClusterConfigError(
      field,
      `"${redactUri(uri)}" has credentials in it (user or password before "@"); an S3 URI takes none, the job writes with its task role: ${example}`,
    );
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(uri.trim());
  if (!match) throw new ClusterConfigError(field, `"${redactUri(uri)}" is not an S3 URI; ${example}`);
  const bucket = match[1] ?? "";
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket) || bucket.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    throw new ClusterConfigError(
      field,
      `"${redactUri(bucket)}" is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens); ${example}`,
    );
  if (!PREFIX.test(prefix))
    throw new ClusterConfigError(
      field,
      `the prefix "${redactUri(prefix)}" may hold only letters, digits, / and !_.'()- (no * or ?, which IAM reads as wildcards); ${example}`,
    );
  if (prefix !== "" && prefix.split("/").some((s) => s === "" || s === "." || s === ".."))
    throw new ClusterConfigError(
      field,
      `the prefix "${redactUri(prefix)}" has an empty, "." or ".." segment; ${example}`,
    );
  if (prefix.length > 900)
    throw new ClusterConfigError(field, "the prefix is longer than 900 characters (S3 keys hold at most 1024)");
  return { bucket, prefix };
}

/** The key prefix of one cluster's outputs: `<prefix>/<cluster-id>/` (or `<cluster-id>/` without a prefix). */
export function outputKeyPrefix(location: S3Location, clusterId: string): string {
  return `${location.prefix ? `${location.prefix}/` : ""}${clusterId}/`;
}

/** The key prefix of one run's outputs: `<prefix>/<cluster-id>/<attempt-token>/` (the token is made at `up`). */
export function outputRunPrefix(location: S3Location, clusterId: string, token: string): string {
  return `${outputKeyPrefix(location, clusterId)}${token}/`;
}

/**
 * Why a path the job named cannot be written inside the output directory on this machine, or undefined when it
 * can: an empty, `.` or `..` segment, a leading `/`, NUL or another control character (they would corrupt logs
 * and summaries), and on Windows a backslash or `:` (separators there). A backslash is an ordinary character on
 * Linux and macOS: `run\notes.txt` is delivered as that one file name.
 */
export function outputPathProblem(relativePath: string, platformSep: string = sep): string | undefined {
  const parts = relativePath.split("/");
  if (relativePath === "" || parts.some((p) => p === "" || p === "." || p === ".."))
    return "it has an empty, . or .. segment";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (/[\u0000-\u001f\u007f]/.test(relativePath)) return "it holds a control character (a newline, a tab, NUL)";
  if (platformSep === "\\" && /[\\:]/.test(relativePath)) return "it holds \\ or :, which are separators on Windows";
  return undefined;
}

/** The local path of a job's relative output path (checked with {@link outputPathProblem} first). */
export function localOutputPath(outputDir: string, relativePath: string): string {
  const problem = outputPathProblem(relativePath);
  if (problem) throw new CoreError(`refusing the output ${JSON.stringify(relativePath)}: ${problem}`);
  const root = resolve(outputDir);
  const target = resolve(root, ...relativePath.split("/"));
  const back = relative(root, target);
  if (back === "" || back.startsWith("..") || isAbsolute(back))
    throw new CoreError(`refusing the output ${JSON.stringify(relativePath)}: it escapes the output directory`);
  return target;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
