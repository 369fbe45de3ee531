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

// The distribution reference grammar (github.com/distribution/reference, reference.go).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOMAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
/** The longest `registry/repository` the distribution grammar allows. */
const NAME_MAX = 255;
const LINE_BREAK_NAMES: Readonly<Record<string, string>> = {
  "\n": "a line break (\\n)",
  "\r": "a line break (\\r)",
  "\t": "a tab",
  " ": "a space",
};

/**
 * Parses an image reference following the distribution reference grammar: `[host[:port]/]path[:tag][@digest]`;
 * `option` names the input in errors. The text must be exactly a reference: whitespace or control
 * characters anywhere are refused (it is written into a Dockerfile's FROM line, where a line break
 * would start a new instruction), and the registry part must be a host name, IPv4 or [IPv6] address
 * with an optional port.
 */
export function parseImageReference(text: string, option: string): ImageReference {
  const fail = (why: string): never => {
    throw new ImageConfigError(
      option,
      `${JSON.stringify(text)} is not an image reference: ${why}; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask`,
    );
  };
  if (text === "") fail("it is empty");
  const bad = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.exec(text);
  if (bad) {
    const char = bad[0];
    const name =
      LINE_BREAK_NAMES[char] ??
      `the character U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    fail(
      `it contains ${name} at character ${bad.index + 1}; an image reference has no whitespace or control characters`,
    );
  }
  let rest = text;
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
  if (rest.length > NAME_MAX) fail(`the name is ${rest.length} characters long; at most ${NAME_MAX} are allowed`);
  const parts = rest.split("/");
  let registry = "docker.io";
  const first = parts[0] ?? "";
  // As Docker does: the first part is a registry when it has a '.' or ':' or is localhost.
  if (
    parts.length > 1 &&
    (first.includes(".") || first.includes(":") || first.startsWith("[") || first === "localhost")
  ) {
    if (!isRegistryHost(first))
      fail(
        `the registry "${first}" is not a host or host:port (letters, digits, '-' and '.', e.g. ghcr.io or localhost:5000)`,
      );
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p)))
    fail("repository names use lower-case letters, digits and separators");
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), tag, digest };
}

/** `host[:port]` where host is a domain name, an IPv4 address or a bracketed IPv6 address, and port is 1–65535. */
function isRegistryHost(text: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::([0-9]{1,5}))?$/.exec(text);
  const host = match?.[1] ?? "";
  const port = match?.[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return DOMAIN_NAME.test(host) || IPV6.test(host);
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
