import { isPackageName, VersionSpec } from "@conda-org/rattler";
import type { CondaDependency } from "./environment-spec.js";

/** Why a string is not a conda match spec, and what to write instead. */
export interface SpecProblem {
  readonly problem: string;
  readonly fix: string;
}

const CHANNEL = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$|^(https?|file):\/\/\S+$/;
const NAME_AND_REST = /^([A-Za-z0-9_.-]+)(.*)$/;
const BUILD = /^[A-Za-z0-9_.*+!]+$/;
const BRACKET_KEYS = new Set(["version", "build", "build_number", "channel", "subdir", "md5", "sha256", "license"]);

/**
 * Parses and validates one conda match spec (`channel::name`, `=`, `==`, `>=,<`, `|`, build strings,
 * `[key=value]`). Version parts are checked by rattler, the conda ecosystem's own parser.
 * Returns the dependency, or the problem when the text cannot be a package spec.
 */
export function parseCondaMatchSpec(text: string): CondaDependency | SpecProblem {
  const source = text.trim();
  if (source === "") return { problem: "empty package spec", fix: "remove the empty entry or name a package" };
  if (/^(git\+|https?:\/\/|file:)/.test(source) || source.includes("://")) {
    return {
      problem: `"${source}" is a URL, not a conda package`,
      fix: "move it under the `- pip:` list of dependencies, or name a conda package",
    };
  }
  let rest = source;
  let brackets = "";
  const open = rest.indexOf("[");
  if (open >= 0) {
    if (!rest.endsWith("]"))
      return { problem: `"${source}" has an unclosed "["`, fix: 'write it as name[key="value"]' };
    brackets = rest.slice(open + 1, -1);
    rest = rest.slice(0, open);
  }
  let channel: string | undefined;
  const sep = rest.indexOf("::");
  if (sep >= 0) {
    channel = rest.slice(0, sep).trim();
    rest = rest.slice(sep + 2);
    if (!CHANNEL.test(channel))
      return { problem: `"${channel}" is not a channel name`, fix: "write channel::package, e.g. conda-forge::numpy" };
  }
  const match = NAME_AND_REST.exec(rest.trim());
  if (!match?.[1] || !isPackageName(match[1])) {
    return {
      problem: `"${source}" does not start with a package name`,
      fix: "package names use letters, digits, '_', '-' and '.', e.g. numpy=1.26",
    };
  }
  const name = match[1].toLowerCase();
  const parsed = splitVersionAndBuild((match[2] ?? "").trim());
  if ("problem" in parsed) return { problem: `"${source}": ${parsed.problem}`, fix: parsed.fix };
  let { version, build } = parsed;
  const bracketParts: string[] = [];
  if (brackets !== "") {
    for (const item of brackets.split(",")) {
      const [rawKey, ...rawValue] = item.split("=");
      const key = (rawKey ?? "").trim();
      const value = rawValue
        .join("=")
        .trim()
        .replace(/^['"]|['"]$/g, "");
      if (!BRACKET_KEYS.has(key) || value === "") {
        return {
          problem: `"${source}" has an unknown or empty bracket key "${key}"`,
          fix: `use one of ${[...BRACKET_KEYS].join(", ")} as [key="value"]`,
        };
      }
      if (key === "version") {
        if (version !== undefined)
          return {
            problem: `"${source}" gives the version twice`,
            fix: "keep either the version after the name or [version=...]",
          };
        const problem = checkVersion(value);
        if (problem)
          return { problem: `"${source}": ${problem}`, fix: 'write a conda version spec, e.g. [version=">=1.2,<2"]' };
        version = value;
      } else if (key === "build") {
        if (build !== undefined)
          return { problem: `"${source}" gives the build twice`, fix: "keep either =version=build or [build=...]" };
        build = value;
      } else {
        bracketParts.push(`${key}="${value}"`);
      }
    }
  }
  const versionText = version === undefined ? "" : /^[<>!=~]/.test(version) ? version : `=${version}`;
  const buildText = build === undefined ? "" : version === undefined ? `=*=${build}` : `=${build}`;
  const bracketText = bracketParts.length > 0 ? `[${bracketParts.sort().join(",")}]` : "";
  const normalised = `${channel ? `${channel}::` : ""}${name}${versionText}${buildText}${bracketText}`;
  return { source, channel, name, version: version === undefined ? undefined : versionText, build, normalised };
}

function splitVersionAndBuild(text: string): { version: string | undefined; build: string | undefined } | SpecProblem {
  // Spaces around ',', '|' and after operators carry no meaning: ">= 1.2, <2" is ">=1.2,<2".
  const rest = text.replace(/\s*([,|])\s*/g, "$1").replace(/([<>=!~]=?)\s+/g, "$1");
  if (rest === "") return { version: undefined, build: undefined };
  let version: string;
  let build: string | undefined;
  if (/^\s|^[0-9*]/.test(rest) || rest.includes(" ")) {
    // Space form: "numpy 1.26 py311_0" (version, then an optional build string).
    const parts = rest.trim().split(/\s+/);
    if (parts.length > 2)
      return { problem: "too many space-separated parts", fix: "write name version [build], e.g. numpy 1.26.* py311*" };
    version = parts[0] ?? "";
    build = parts[1];
    // In the space form a plain version is exact ("numpy 1.26" is numpy==1.26), unlike the fuzzy "numpy=1.26".
    if (/^[0-9][0-9A-Za-z_.+!]*$/.test(version)) version = `==${version}`;
  } else if (rest.startsWith("=") && !rest.startsWith("==")) {
    // Fuzzy form: "=1.2" or "=1.2=build".
    const [v, b, extra] = rest.slice(1).split("=");
    if (extra !== undefined) return { problem: "too many '=' parts", fix: "write name=version=build" };
    version = v ?? "";
    build = b;
    if (version === "") return { problem: "'=' is not followed by a version", fix: "write name=1.2" };
  } else if (/^[<>!~=]/.test(rest)) {
    version = rest;
  } else {
    return {
      problem: `unexpected "${rest}" after the package name`,
      fix: "write name=1.2, name>=1.2,<2 or name 1.2 build",
    };
  }
  if (build !== undefined && !BUILD.test(build)) {
    return {
      problem: `"${build}" is not a build string`,
      fix: "build strings use letters, digits, '_', '.', '+', '!' and '*'",
    };
  }
  const problem = checkVersion(version);
  if (problem) return { problem, fix: "write a conda version spec such as 1.2, 1.2.*, >=1.2,<2 or 1.2|1.3" };
  return { version, build };
}

function checkVersion(version: string): string | undefined {
  if (version === "*") return undefined;
  try {
    new VersionSpec(version).free();
    return undefined;
  } catch {
    return `"${version}" is not a valid conda version spec`;
  }
}
