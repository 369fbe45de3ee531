import type { SpecProblem } from "./conda-match-spec.js";
import { BUILD_DIR, CONTEXT_FILES } from "./context-layout.js";
import type { PipRequirement } from "./environment-spec.js";
import { CREDENTIALS_FIX, hasUrlCredentials, redactUrlCredentials } from "./url-credentials.js";

// PEP 508 names and PEP 440 versions (https://peps.python.org/pep-0508/, https://peps.python.org/pep-0440/).
const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])/;
const EXTRAS = /^\[\s*([A-Za-z0-9._,\s-]*)\]/;
const SPECIFIER = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
const VERSION =
  /^v?([0-9]+!)?[0-9]+(\.[0-9]+)*((a|b|rc|alpha|beta|c|pre|preview)[._-]?[0-9]*)?([._-]?(post|rev|r)[._-]?[0-9]*)?([._-]?dev[._-]?[0-9]*)?(\+[a-z0-9]+([._-][a-z0-9]+)*)?$/i;
/** Control characters other than tab, and Unicode line separators. */
const CONTROL = /(?!\t)\p{Cc}|[\p{Zl}\p{Zp}]/u;
const LOCAL_PATH = /^(\.{1,2}\/|\/|~)|\.(whl|tar\.gz|zip)$/;

/** Lower-cases a project name and folds runs of `-`, `_` and `.` (PEP 503). */
export function normalisePipName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * Parses one pip requirement line. Accepted: PEP 508 (`name[extras] specifiers ; marker`,
 * `name @ url`), `https://` archive URLs, `git+https://…@ref`, and local wheels or project
 * directories next to the environment file. Rejected, each with the reason: `-e` (editable
 * installs point at a checkout the image does not have), `-r`/`-c` and other options (the
 * referenced files are not part of the build), `git+git://` and `http://` (unauthenticated
 * transports), `git+ssh://` (no keys exist during the build), credentials inside any URL (they
 * would be kept in the image; the message redacts them), and line breaks (each requirement is one
 * line of the generated requirements.txt, so a line break would smuggle in pip options).
 */
export function parsePipRequirement(text: string): PipRequirement | SpecProblem {
  const source = text.trim();
  if (source === "") return { problem: "empty pip requirement", fix: "remove the empty entry" };
  if (CONTROL.test(source)) {
    return {
      problem:
        "this pip requirement contains a line break or another control character, which would split it across lines of the generated requirements.txt",
      fix: "write the requirement on one line",
    };
  }
  // A URL split by whitespace (a requirements `\` continuation onto an indented line, a folded YAML string) still
  // carries its credentials to whoever reads the file: it is checked, and quoted, with the whitespace taken out.
  const unbroken = source.replace(/\s+/g, "");
  if (hasUrlCredentials(source) || hasUrlCredentials(unbroken))
    return {
      problem: `"${redactUrlCredentials(hasUrlCredentials(source) ? source : unbroken)}" has credentials in its URL`,
      fix: CREDENTIALS_FIX,
    };
  const option = /^(-e|--editable|-r|--requirement|-c|--constraint|--?[a-z-]+)\b/.exec(source);
  if (option) return optionProblem(option[1] ?? "", source);
  if (source.startsWith("git+git://")) {
    return {
      problem: `"${source}" uses the git:// protocol, which is unauthenticated and refused by GitHub since 2022`,
      fix: `write ${source.replace("git+git://", "git+https://")}`,
    };
  }
  if (source.startsWith("git+ssh://") || /^git\+[a-z]+@/.test(source)) {
    return {
      problem: `"${source}" needs SSH keys, which the image build does not have`,
      fix: "use git+https:// (a public repository) or build a wheel and list its path",
    };
  }
  if (/^(git\+)?http:\/\//.test(source)) {
    return { problem: `"${source}" is fetched over plain http`, fix: "use https://" };
  }
  if (source.startsWith("git+https://")) return vcsRequirement(source, undefined);
  if (source.startsWith("https://")) return urlRequirement(source, undefined);
  if (source.startsWith("file:")) {
    return {
      problem: `"${source}" is a file: URL`,
      fix: "write the path relative to the environment file, e.g. ./wheels/pkg.whl",
    };
  }
  if (LOCAL_PATH.test(source) && !source.includes(" @ ")) return localRequirement(source);
  return pep508Requirement(source);
}

function optionProblem(option: string, source: string): SpecProblem {
  if (option === "-e" || option === "--editable") {
    return {
      problem: `"${source}" is an editable install`,
      fix: "images need a real install: drop -e (list the path or URL itself)",
    };
  }
  if (option === "-r" || option === "--requirement" || option === "-c" || option === "--constraint") {
    return {
      problem: `"${source}" includes another file, which would not be part of the image build`,
      fix: "copy its requirements into this list",
    };
  }
  return {
    problem: `"${source}" is a pip option, not a requirement`,
    fix:
      "remove it: the file lists requirements only. Another index is set with the build arg PIP_INDEX_URL or PIP_EXTRA_INDEX_URL " +
      "(ensureImage's buildArgs), never with credentials in it: the engine keeps build-arg values in the image history",
  };
}

function pep508Requirement(source: string): PipRequirement | SpecProblem {
  const [body = "", ...markerParts] = source.split(";");
  const marker = markerParts.join(";").trim();
  if (
    markerParts.length > 0 &&
    !/^[A-Za-z_]+\s*(==|!=|<=|>=|<|>|~=|in|not in)\s*(['"]).*\2/.test(marker) &&
    !/^(['"]).*\1\s*(in|not in|==|!=)/.test(marker)
  ) {
    return {
      problem: `"${source}" has an invalid environment marker "${marker}"`,
      fix: `write e.g. pkg ; python_version >= "3.10"`,
    };
  }
  const nameMatch = NAME.exec(body.trim());
  if (!nameMatch?.[0]) {
    return {
      problem: `"${source}" does not start with a project name`,
      fix: "write e.g. xgboost>=2.0 or scikit-learn==1.5.2",
    };
  }
  const rawName = nameMatch[0];
  let rest = body.trim().slice(rawName.length).trim();
  let extras: string[] = [];
  const extrasMatch = EXTRAS.exec(rest);
  if (extrasMatch) {
    extras = (extrasMatch[1] ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e !== "");
    rest = rest.slice(extrasMatch[0].length).trim();
  }
  if (rest.startsWith("@")) return urlAfterName(source, rest.slice(1).trim(), rawName);
  const name = normalisePipName(rawName);
  let version: string | undefined;
  if (rest !== "") {
    const inner = rest.startsWith("(") && rest.endsWith(")") ? rest.slice(1, -1) : rest;
    const specifiers = inner.split(",").map((s) => s.trim());
    for (const spec of specifiers) {
      const m = SPECIFIER.exec(spec);
      const v = m?.[2] ?? "";
      const wildcardOk = (m?.[1] === "==" || m?.[1] === "!=") && VERSION.test(v.replace(/\.\*$/, ""));
      if (!m && /^=[^=]/.test(spec)) {
        return {
          problem: `"${source}": "${spec}" uses conda's '=', which pip does not know`,
          fix: `write ${rawName}=${spec} (pip pins with '==')`,
        };
      }
      if (!m || (!VERSION.test(v) && !wildcardOk)) {
        return {
          problem: `"${source}": "${spec}" is not a version specifier`,
          fix: `write e.g. ${rawName}>=1.2,<2 or ${rawName}==1.2.3`,
        };
      }
    }
    version = specifiers.join(",");
  }
  const extrasText = extras.length > 0 ? `[${[...extras].sort().join(",")}]` : "";
  const normalised = `${name}${extrasText}${version ?? ""}${marker ? ` ; ${marker}` : ""}`;
  return { source, kind: "name", name, version, extras, localPath: undefined, normalised };
}

function urlAfterName(source: string, url: string, rawName: string): PipRequirement | SpecProblem {
  const name = normalisePipName(rawName);
  if (url.startsWith("git+git://") || url.startsWith("git+ssh://") || /^(git\+)?http:\/\//.test(url)) {
    const problem = parsePipRequirement(url);
    if ("problem" in problem) return problem;
  }
  if (url.startsWith("git+https://")) return vcsRequirement(url, name, source);
  if (url.startsWith("https://")) return urlRequirement(url, name, source);
  return {
    problem: `"${source}": "${url}" is not an https:// or git+https:// URL`,
    fix: `write ${rawName} @ https://... or ${rawName} @ git+https://...@ref`,
  };
}

function vcsRequirement(url: string, name: string | undefined, source = url): PipRequirement | SpecProblem {
  if (!isUrl(url.slice(4)))
    return { problem: `"${source}" is not a valid URL`, fix: "write git+https://host/org/repo@ref" };
  const egg = /#egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
  const project = name ?? (egg ? normalisePipName(egg) : undefined);
  const normalised = name ? `${name} @ ${url}` : url;
  return { source, kind: "vcs", name: project, version: undefined, extras: [], localPath: undefined, normalised };
}

function urlRequirement(url: string, name: string | undefined, source = url): PipRequirement | SpecProblem {
  if (!isUrl(url))
    return { problem: `"${source}" is not a valid URL`, fix: "write https://host/path/pkg-1.0-py3-none-any.whl" };
  const normalised = name ? `${name} @ ${url}` : url;
  return { source, kind: "url", name, version: undefined, extras: [], localPath: undefined, normalised };
}

function localRequirement(source: string): PipRequirement | SpecProblem {
  if (source.startsWith("/") || source.startsWith("~")) {
    return {
      problem: `"${source}" is an absolute path, which would not exist on another machine`,
      fix: "put the wheel or project next to the environment file and write a relative path such as ./wheels/pkg.whl",
    };
  }
  const parts = source.replace(/\/+$/, "").split("/");
  if (parts.includes("..")) {
    return {
      problem: `"${source}" leaves the environment file's directory`,
      fix: "keep local wheels and projects in the environment file's directory or below it",
    };
  }
  const localPath = parts.filter((p) => p !== ".").join("/");
  const base = parts[parts.length - 1] ?? source;
  const wheelName = /^([A-Za-z0-9_.]+?)-[0-9]/.exec(base)?.[1];
  return {
    source,
    kind: "local",
    name: wheelName ? normalisePipName(wheelName) : undefined,
    version: undefined,
    extras: [],
    localPath,
    // pip reads paths in a requirements file relative to its working directory, so the path is absolute.
    normalised: `${BUILD_DIR}/${CONTEXT_FILES.localDir}/${localPath}`,
  };
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.hostname !== "" && !/\s/.test(text);
  } catch {
    return false;
  }
}
