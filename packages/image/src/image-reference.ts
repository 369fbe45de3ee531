import { ImageConfigError } from "./errors.js";

/** A parsed image reference such as `ghcr.io/org/dask:env-1234` or `python:3.11@sha256:…`. */
export interface ImageReference {
  /** Registry host as written, or `docker.io` when the reference names none. */
  readonly registry: string;
  /** Repository path inside the registry; Docker Hub's single names get `library/`. */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses an image reference following the distribution reference grammar; `option` names the input in errors. */
export function parseImageReference(text: string, option: string): ImageReference {
  const fail = (why: string): never => {
    throw new ImageConfigError(
      option,
      `"${text}" is not an image reference: ${why}; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask`,
    );
  };
  let rest = text.trim();
  if (rest === "") fail("it is empty");
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`"${digest}" is not a sha256 digest`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`"${tag}" is not a valid tag`);
  }
  const parts = rest.split("/");
  let registry = "docker.io";
  const first = parts[0] ?? "";
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) fail("repository names use lower-case letters, digits and separators");
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), tag, digest };
}

/** Formats `registry/repository` the way the Docker Engine names local images. */
export function repositoryName(ref: ImageReference): string {
  if (ref.registry === "docker.io") return ref.repository.replace(/^library\//, "");
  return `${ref.registry}/${ref.repository}`;
}

/** Formats a full reference back to text. */
export function formatImageReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
