import { createHash } from "node:crypto";
import { constants, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { open } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { CoreError } from "../errors.js";
import { type JobOutputs, localOutputPath, outputPathProblem } from "../job-outputs.js";
import { awsErrorName } from "./aws-clients.js";
import { FILES_PREFIX, MANIFEST_OBJECT, type ManifestExpectation, verifyManifest } from "./output-manifest.js";

/** How much one job may bring back: more is refused before any file is written (docs/job-outputs.md). */
export const DEFAULT_OUTPUT_LIMITS = { maxFiles: 10_000, maxBytes: 20 * 1024 ** 3 } as const;
/** A manifest listing 10,000 long paths stays well below this. */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/** One job's outputs in S3 and what the runner knows to check them. */
export interface OutputRun {
  readonly bucket: string;
  /** `<prefix>/<cluster-id>/<attempt-token>/<job-id>/` */
  readonly jobPrefix: string;
  readonly expected: ManifestExpectation;
  /** The cluster's output signing key. */
  readonly key: Buffer;
}

export interface DownloadOptions {
  readonly maxFiles?: number;
  readonly maxBytes?: number;
  readonly pageSize?: number;
}

/**
 * Downloads one job's outputs into `outputDir`: the manifest first (GetObject), verified with the cluster's key
 * (else nothing is delivered and this throws); the caps on count and bytes; then exactly the files it lists, each
 * written without following a symbolic link already in the output directory (each directory component is
 * lstat'ed, the file opened with O_NOFOLLOW) and checked against the manifest's size and sha256 (a mismatch is
 * deleted). Objects under the job's prefix that the manifest does not list are counted and never read. A file
 * that cannot be delivered is skipped alone, with why.
 */
export async function downloadJobOutputs(
  s3: S3Client,
  run: OutputRun,
  outputDir: string,
  options: DownloadOptions = {},
): Promise<JobOutputs> {
  const uri = `s3://${run.bucket}/${run.jobPrefix}`;
  const body = await readManifest(s3, run.bucket, `${run.jobPrefix}${MANIFEST_OBJECT}`);
  if (body === undefined)
    throw new CoreError(
      `no outputs manifest at ${uri}${MANIFEST_OBJECT}: the job task's uploader did not finish (see the job's log); no files were taken`,
    );
  const manifest = verifyManifest(body, run.key, run.expected);
  const maxFiles = options.maxFiles ?? DEFAULT_OUTPUT_LIMITS.maxFiles;
  const maxBytes = options.maxBytes ?? DEFAULT_OUTPUT_LIMITS.maxBytes;
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  if (manifest.files.length > maxFiles)
    throw new CoreError(
      `the job wrote ${manifest.files.length} output files, more than the limit of ${maxFiles}; no files were taken (write fewer, larger files, e.g. an archive)`,
    );
  if (bytes > maxBytes)
    throw new CoreError(
      `the job's outputs are ${bytes} bytes, more than the limit of ${maxBytes}; no files were taken`,
    );

  const listed = new Set([MANIFEST_OBJECT, ...manifest.files.map((f) => `${FILES_PREFIX}${f.path}`)]);
  const ignoredObjects = await countUnlisted(s3, run.bucket, run.jobPrefix, listed, maxFiles, options.pageSize);

  const root = resolve(outputDir);
  mkdirSync(root, { recursive: true });
  const files: { path: string; bytes: number }[] = [];
  const skipped: { path: string; reason: string }[] = [
    ...manifest.skipped.map((s) => ({ path: s.path, reason: `the job task did not upload it: ${s.reason}` })),
  ];
  for (const file of manifest.files) {
    const problem = outputPathProblem(file.path);
    if (problem) {
      skipped.push({ path: file.path, reason: problem });
      continue;
    }
    const target = localOutputPath(root, file.path);
    const refused = prepareParents(root, target);
    if (refused) {
      skipped.push({ path: file.path, reason: refused });
      continue;
    }
    const object = await s3.send(
      new GetObjectCommand({ Bucket: run.bucket, Key: `${run.jobPrefix}${FILES_PREFIX}${file.path}` }),
    );
    if (!object.Body) throw new CoreError(`GetObject ${uri}${FILES_PREFIX}${file.path} returned no body`);
    const written = await writeNoFollow(target, object.Body as Readable, file.size);
    if (written.refused) {
      skipped.push({ path: file.path, reason: written.refused });
      continue;
    }
    if (written.bytes !== file.size || written.sha256 !== file.sha256) {
      unlinkSync(target);
      skipped.push({
        path: file.path,
        reason:
          "its object in S3 is not what the job uploaded (size or sha256 differ from the signed manifest); deleted",
      });
      continue;
    }
    files.push({ path: file.path, bytes: written.bytes });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const problem =
    skipped.length > 0
      ? `${skipped.length} output file(s) did not come back: ${skipped
          .slice(0, 5)
          .map((s) => `${JSON.stringify(s.path)} (${s.reason})`)
          .join("; ")}${skipped.length > 5 ? "; …" : ""}`
      : undefined;
  return {
    dir: root,
    files,
    uri,
    ...(skipped.length > 0 ? { skipped } : {}),
    ignoredObjects,
    ...(problem ? { problem } : {}),
  };
}

async function readManifest(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
    if (["NoSuchKey", "NotFound"].includes(awsErrorName(error))) return undefined;
    throw error;
  });
  if (!object) return undefined;
  if ((object.ContentLength ?? 0) > MAX_MANIFEST_BYTES)
    throw new CoreError(`the outputs manifest s3://${bucket}/${key} is larger than ${MAX_MANIFEST_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of object.Body as Readable) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES)
      throw new CoreError(`the outputs manifest s3://${bucket}/${key} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Objects under `prefix` that are not in `listed` (relative keys); the count stops a little past the file cap. */
async function countUnlisted(
  s3: S3Client,
  bucket: string,
  prefix: string,
  listed: Set<string>,
  maxFiles: number,
  pageSize?: number,
): Promise<number> {
  let unlisted = 0;
  let seen = 0;
  for await (const page of paginateListObjectsV2(
    { client: s3, ...(pageSize ? { pageSize } : {}) },
    { Bucket: bucket, Prefix: prefix },
  )) {
    for (const object of page.Contents ?? []) {
      seen++;
      if (!listed.has((object.Key ?? "").slice(prefix.length))) unlisted++;
    }
    if (seen > 2 * maxFiles + 1) break;
  }
  return unlisted;
}

/**
 * Creates the directories between `root` and `target`'s parent one at a time, refusing (with why) a component
 * that is a symbolic link or not a directory: a link already in the output directory is never followed.
 */
function prepareParents(root: string, target: string): string | undefined {
  const parts = relative(root, target).split(sep).slice(0, -1);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    const stat = lstatOrUndefined(current);
    if (!stat) mkdirSync(current);
    else if (stat.isSymbolicLink())
      return `${current} is a symbolic link already in the output directory; it is not followed`;
    else if (!stat.isDirectory()) return `${current} is already a file in the output directory`;
  }
  const last = lstatOrUndefined(target);
  if (last?.isSymbolicLink()) return `${target} is a symbolic link already in the output directory; it is not followed`;
  if (last && !last.isFile()) return `${target} is already in the output directory and is not a file`;
  return undefined;
}

/** Streams `body` into `path` (O_NOFOLLOW), hashing it, and stops past `limit` bytes (the manifest's size). */
async function writeNoFollow(
  path: string,
  body: Readable,
  limit: number,
): Promise<{ bytes: number; sha256: string; refused?: string }> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(path, flags, 0o644).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") return undefined;
    throw error;
  });
  if (!handle) {
    body.destroy();
    return {
      bytes: 0,
      sha256: "",
      refused: `${path} is a symbolic link already in the output directory; it is not followed`,
    };
  }
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      // More than the manifest says: stop reading (the mismatch deletes the file).
      if (bytes > limit) {
        body.destroy();
        break;
      }
      hash.update(buffer);
      await handle.write(buffer);
    }
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest("hex") };
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
