import { createHash } from "node:crypto";

/** Everything that decides what an image contains; the content hash is taken over exactly this. */
export interface HashInputs {
  readonly generator: string;
  readonly baseImage: string;
  readonly platform: string;
  readonly installer: string;
  /** Build-arg names only: values (e.g. an index URL with a token) may change without changing the image. */
  readonly buildArgNames: readonly string[];
  readonly labels: readonly (readonly [string, string])[];
  /** Environment variables set with ENV, and the source file name written into a label. */
  readonly variables: readonly (readonly [string, string])[];
  readonly sourceFile: string;
  /** Generated and copied files by context path, with their bytes. */
  readonly files: ReadonlyMap<string, Buffer>;
}

/** Length of the hash prefix used in tags: 16 hex digits = 64 bits, ample to avoid collisions per repository. */
export const TAG_HASH_LENGTH = 16;

/**
 * sha256 over a canonical JSON of the inputs, with files listed in sorted order by their own sha256.
 * The same inputs always give the same hash, whatever order they were built in.
 */
export function computeContentHash(inputs: HashInputs): string {
  const files = [...inputs.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => [path, createHash("sha256").update(content).digest("hex")]);
  const canonical = JSON.stringify({
    generator: inputs.generator,
    baseImage: inputs.baseImage,
    platform: inputs.platform,
    installer: inputs.installer,
    buildArgNames: [...inputs.buildArgNames].sort(),
    labels: [...inputs.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    variables: [...inputs.variables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    sourceFile: inputs.sourceFile,
    files,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** The tag of an environment's image: `env-` and the first 16 hex digits of its content hash. */
export function contentTag(contentHash: string): string {
  return `env-${contentHash.slice(0, TAG_HASH_LENGTH)}`;
}
