import { createHmac, timingSafeEqual } from "node:crypto";
import { CoreError } from "../errors.js";

/**
 * The manifest a Fargate job task's uploader writes after its files (output-uploader.ts) and the runner
 * verifies before it downloads anything (fargate-outputs.ts). One job's objects, under the run's prefix
 * `<prefix>/<cluster-id>/<attempt-token>/<job-id>/`:
 *
 *     files/<relative path>   each file the job wrote
 *     manifest.json           {"manifest": "<JSON text>", "hmac-sha256": "<hex>"}
 *
 * The HMAC-SHA256 is over the UTF-8 bytes of the inner JSON text, keyed with the cluster's output signing key (32
 * random bytes made at `up`, held only in the cluster's own Secrets Manager secret and in a 0600 file on the
 * runner). An HMAC rather than a signature: the uploader runs with Python's standard library only, which has no
 * ECDSA. Any cluster's task role may write under the output prefix, but only this cluster's job knows this key.
 */
export const MANIFEST_OBJECT = "manifest.json";
/** The sub-prefix of the job's files: nothing the job names can collide with {@link MANIFEST_OBJECT}. */
export const FILES_PREFIX = "files/";
export const MANIFEST_VERSION = 1;

/** One file the job wrote, as the manifest lists it. */
export interface ManifestFile {
  /** Relative to DFA_OUTPUT_DIR, `/`-separated; its object is `<run prefix>files/<path>`. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** The signed content: which run it belongs to and what the job uploaded. */
export interface OutputManifest {
  readonly version: number;
  readonly cluster: string;
  readonly token: string;
  readonly job: string;
  readonly files: readonly ManifestFile[];
  /** Files the uploader did not upload (an odd name, a read or upload failure), each with why. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** Which run a manifest must belong to. */
export interface ManifestExpectation {
  readonly cluster: string;
  readonly token: string;
  readonly job: string;
}

/** The manifest object's body for `manifest` signed with `key` (what the uploader writes; tests forge with it). */
export function signManifest(manifest: OutputManifest, key: Buffer): string {
  const text = JSON.stringify(manifest);
  return JSON.stringify({
    manifest: text,
    "hmac-sha256": createHmac("sha256", key).update(text, "utf8").digest("hex"),
  });
}

/**
 * Checks a manifest object's body: the HMAC (compared in constant time), then that it names this cluster,
 * attempt token and job, and that every entry is well formed. Throws a CoreError saying what is wrong.
 */
export function verifyManifest(body: string, key: Buffer, expected: ManifestExpectation): OutputManifest {
  let outer: unknown;
  try {
    outer = JSON.parse(body);
  } catch {
    throw new CoreError("the outputs manifest is not JSON");
  }
  const text = isRecord(outer) ? outer["manifest"] : undefined;
  const mac = isRecord(outer) ? outer["hmac-sha256"] : undefined;
  if (typeof text !== "string" || typeof mac !== "string" || !/^[0-9a-f]{64}$/.test(mac))
    throw new CoreError("the outputs manifest is not signed (no manifest text and hmac-sha256)");
  const want = createHmac("sha256", key).update(text, "utf8").digest();
  if (!timingSafeEqual(want, Buffer.from(mac, "hex")))
    throw new CoreError(
      "the outputs manifest's signature does not verify with this cluster's key: it was not written by this cluster's job",
    );
  const manifest = JSON.parse(text) as unknown;
  if (!isRecord(manifest) || manifest["version"] !== MANIFEST_VERSION)
    throw new CoreError(`the outputs manifest is not version ${MANIFEST_VERSION}`);
  for (const field of ["cluster", "token", "job"] as const) {
    if (manifest[field] !== expected[field])
      throw new CoreError(
        `the outputs manifest belongs to another run (${field} ${JSON.stringify(manifest[field])}, expected ${JSON.stringify(expected[field])})`,
      );
  }
  const files = manifest["files"];
  const skipped = manifest["skipped"];
  if (!Array.isArray(files) || !Array.isArray(skipped))
    throw new CoreError("the outputs manifest has no files or skipped list");
  for (const file of files) {
    if (
      !isRecord(file) ||
      typeof file["path"] !== "string" ||
      !Number.isSafeInteger(file["size"]) ||
      (file["size"] as number) < 0
    )
      throw new CoreError("the outputs manifest has an entry without a path and size");
    if (typeof file["sha256"] !== "string" || !/^[0-9a-f]{64}$/.test(file["sha256"]))
      throw new CoreError("the outputs manifest has an entry without a sha256");
  }
  return manifest as unknown as OutputManifest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
