import { createWriteStream, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { type JobOutputs, localPathForKey, outputKeyPrefix, parseOutputUri } from "../job-outputs.js";

/**
 * Downloads everything under `<prefix>/<cluster-id>/` of `outputUri` into `outputDir` (ListObjectsV2, paginated,
 * then GetObject per key), keeping the paths below the prefix. A key that would land outside `outputDir` is
 * refused before anything is written.
 */
export async function downloadJobOutputs(
  s3: S3Client,
  outputUri: string,
  clusterId: string,
  outputDir: string,
  options: { readonly pageSize?: number } = {},
): Promise<JobOutputs> {
  const location = parseOutputUri(outputUri);
  const prefix = outputKeyPrefix(location, clusterId);
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    { Bucket: location.bucket, Prefix: prefix },
  )) {
    for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith("/")) keys.push(object.Key);
  }
  // Every key is checked before the first file is written.
  const targets = keys.map((key) => ({ key, path: localPathForKey(outputDir, prefix, key) }));
  for (const { key, path } of targets) {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
    mkdirSync(dirname(path), { recursive: true });
    const body = object.Body;
    if (!body) throw new Error(`GetObject s3://${location.bucket}/${key} returned no body`);
    await pipeline(body as Readable, createWriteStream(path));
  }
  const files = targets.map(({ key, path }) => ({ path: key.slice(prefix.length), bytes: statSync(path).size })).sort((a, b) => a.path.localeCompare(b.path));
  return { dir: outputDir, files, uri: `s3://${location.bucket}/${prefix}` };
}
