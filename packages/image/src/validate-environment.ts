import { Version } from "@conda-org/rattler";
import { parseCondaMatchSpec, type SpecProblem } from "./conda-match-spec.js";
import type { CondaDependency, EnvironmentSpec, ExplicitPackage, PipRequirement } from "./environment-spec.js";
import { EnvironmentFileError } from "./errors.js";
import { parsePipRequirement } from "./pip-requirement.js";
import { CONDA_SUBDIR, type ImagePlatform } from "./platform.js";
import type { PositionedText, RawEnvironment } from "./raw-environment.js";
import { secretLikeReason } from "./secret-like.js";
import { CREDENTIALS_FIX, hasUrlCredentials, redactUrlCredentials } from "./url-credentials.js";

const CHANNEL = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$|^(https|file):\/\/\S+$/;
const EXPLICIT_URL =
  /^(https|file):\/\/\S+\/([a-z0-9_-]+)\/([^/#]+)\.(conda|tar\.bz2)(#([0-9a-f]{32}|[0-9a-f]{64}|sha256:[0-9a-f]{64}))?$/;

/**
 * Validates every entry of a parsed file as what it claims to be (conda match spec, pip requirement,
 * lockfile URL), makes sure dask and distributed are there, and returns the normalised spec.
 * Local files are attached later by the loader.
 */
export function validateEnvironment(raw: RawEnvironment, platform: ImagePlatform): Omit<EnvironmentSpec, "localFiles"> {
  const notices = [...raw.notices];
  const fail = (entry: PositionedText, problem: string, fix: string): never => {
    throw new EnvironmentFileError({ file: raw.file, line: entry.line, column: entry.column }, problem, fix);
  };
  const check = <T extends object>(entry: PositionedText, result: T | SpecProblem): T =>
    "problem" in result && "fix" in result
      ? fail(entry, (result as SpecProblem).problem, (result as SpecProblem).fix)
      : (result as T);

  const channels: string[] = [];
  for (const entry of raw.channels) {
    const channel = entry.text.trim();
    if (hasUrlCredentials(channel))
      fail(entry, `the channel "${redactUrlCredentials(channel)}" has credentials in its URL`, CREDENTIALS_FIX);
    if (channel.startsWith("http://"))
      fail(
        entry,
        `the channel "${channel}" is fetched over plain http, where anyone on the way can change the packages`,
        "use https://",
      );
    if (!CHANNEL.test(channel))
      fail(
        entry,
        `"${channel}" is not a channel name or URL`,
        "write a channel name such as conda-forge, or an https:// channel URL",
      );
    if (!channels.includes(channel)) channels.push(channel);
  }

  const conda = new Map<string, CondaDependency>();
  for (const entry of raw.conda) {
    const dependency = check<CondaDependency>(entry, parseCondaMatchSpec(entry.text));
    if (dependency.name === "pip" && entry.text.trim() === "pip:")
      fail(entry, '"pip:" is written as a package', 'write "- pip:" followed by its requirements indented below it');
    const previous = conda.get(dependency.name);
    if (previous)
      fail(
        entry,
        `"${dependency.name}" is listed twice ("${previous.source}" and "${dependency.source}")`,
        "keep one spec per package",
      );
    conda.set(dependency.name, dependency);
  }

  const pip = new Map<string, PipRequirement>();
  for (const entry of raw.pip) {
    const requirement = check<PipRequirement>(entry, parsePipRequirement(entry.text));
    const key = requirement.name ?? requirement.normalised;
    const previous = pip.get(key);
    if (previous)
      fail(
        entry,
        `"${key}" is listed twice ("${previous.source}" and "${requirement.source}")`,
        "keep one requirement per project",
      );
    pip.set(key, requirement);
  }

  const explicit: ExplicitPackage[] = [];
  const subdir = CONDA_SUBDIR[platform];
  for (const entry of raw.explicit) {
    if (hasUrlCredentials(entry.text))
      fail(entry, `"${redactUrlCredentials(entry.text)}" has credentials in its URL`, CREDENTIALS_FIX);
    if (entry.text.startsWith("http://")) {
      fail(
        entry,
        `"${entry.text}" is fetched over plain http, where anyone on the way can change the package`,
        "lock the environment from https:// channels",
      );
    }
    const m = EXPLICIT_URL.exec(entry.text);
    if (!m)
      fail(
        entry,
        `"${entry.text}" is not a conda package URL`,
        "each line after @EXPLICIT is https://host/channel/<subdir>/<name>-<version>-<build>.conda (or .tar.bz2), optionally #md5",
      );
    const [, , packageSubdir = "", fileBase = ""] = m as RegExpExecArray;
    if (packageSubdir !== "noarch" && packageSubdir !== subdir) {
      fail(
        entry,
        `this package is built for ${packageSubdir}, but the image platform ${platform} needs ${subdir} or noarch`,
        `lock the environment for ${subdir} (e.g. conda-lock -p ${subdir}) or build for the matching platform`,
      );
    }
    const parts = fileBase.split("-");
    const build = parts.pop() ?? "";
    const version = parts.pop() ?? "";
    const name = parts.join("-");
    if (name === "" || version === "")
      fail(
        entry,
        `"${fileBase}" is not <name>-<version>-<build>`,
        "regenerate the lockfile with conda list --explicit",
      );
    explicit.push({ url: entry.text, subdir: packageSubdir, name, version, build });
  }

  const dask = ensureDask(raw, conda, pip, explicit, notices);
  if (raw.kind === "conda-environment" && pip.size > 0 && !conda.has("pip")) {
    conda.set("pip", condaDependency("pip"));
    notices.push(`${raw.file}: added "pip" to the conda dependencies because the file has a pip list`);
  }

  for (const variable of raw.variables) {
    if (hasUrlCredentials(variable.text)) {
      fail(
        variable,
        `variable "${variable.key}" has credentials in a URL, and variables become ENV lines that anyone who can pull the image can read`,
        CREDENTIALS_FIX,
      );
    }
    const reason = secretLikeReason(variable.key, variable.text);
    if (reason) {
      notices.push(
        `${raw.file}:${variable.line}:${variable.column}: variable "${variable.key}" looks like a secret (${reason}): variables become ENV lines ` +
          "baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: " +
          "the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
      );
    }
  }
  const variables = raw.variables.map((v) => [v.key, v.text] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const byNormalised = <T extends { normalised: string }>(a: T, b: T) =>
    a.normalised < b.normalised ? -1 : a.normalised > b.normalised ? 1 : 0;
  return {
    kind: raw.kind,
    sourceFile: raw.file.split(/[\\/]/).pop() ?? raw.file,
    name: raw.name,
    channels,
    conda: [...conda.values()].sort(byNormalised),
    explicit,
    pip: [...pip.values()].sort(byNormalised),
    variables,
    pythonVersion: pythonVersionOf(conda.get("python"), explicit),
    daskVersion: dask.dask,
    distributedVersion: dask.distributed,
    notices,
  };
}

function condaDependency(name: string): CondaDependency {
  const parsed = parseCondaMatchSpec(name);
  if ("problem" in parsed) throw new Error(`internal: ${name} is not a spec`);
  return parsed;
}

/** Finds dask and distributed; adds what is missing (with a notice) or fails for a lockfile, which must not re-solve. */
function ensureDask(
  raw: RawEnvironment,
  conda: Map<string, CondaDependency>,
  pip: Map<string, PipRequirement>,
  explicit: ExplicitPackage[],
  notices: string[],
): { dask: string; distributed: string } {
  const version = (v: string | undefined) => v ?? "unpinned";
  const pipDask = pip.get("dask");
  const found = {
    dask: conda.get("dask") ?? conda.get("dask-core") ?? pipDask,
    distributed:
      conda.get("distributed") ??
      pip.get("distributed") ??
      (pipDask?.extras.some((e) => e === "distributed" || e === "complete") ? pipDask : undefined) ??
      (conda.get("dask") ? conda.get("dask") : undefined),
  };
  if (raw.kind === "explicit-lockfile") {
    const pkg = (names: string[]) => explicit.find((p) => names.includes(p.name));
    const dask = pkg(["dask-core", "dask"]);
    const distributed = pkg(["distributed"]);
    if (!dask || !distributed) {
      const missing = [!dask && "dask-core", !distributed && "distributed"].filter(Boolean).join(" and ");
      throw new EnvironmentFileError(
        { file: raw.file, line: 1, column: 1 },
        `the lockfile has no ${missing}, and a lockfile is installed exactly as written`,
        `add ${missing} to the environment the lockfile is made from, then lock it again`,
      );
    }
    return { dask: dask.version, distributed: distributed.version };
  }
  for (const name of ["dask", "distributed"] as const) {
    if (found[name]) continue;
    if (raw.kind === "conda-environment") conda.set(name, condaDependency(name));
    else
      pip.set(name, {
        source: name,
        kind: "name",
        name,
        version: undefined,
        extras: [],
        localPath: undefined,
        normalised: name,
      });
    notices.push(
      `${raw.file}: added "${name}" (unpinned): every image needs dask and distributed; pin it in the file to control its version`,
    );
  }
  return { dask: version(found.dask?.version), distributed: version(found.distributed?.version) };
}

function pythonVersionOf(
  python: CondaDependency | undefined,
  explicit: readonly ExplicitPackage[],
): string | undefined {
  const text = python?.version ?? explicit.find((p) => p.name === "python")?.version;
  const numbers = text?.replace(/^(==|=|>=|~=)/, "").split(/[,|]/)[0];
  if (!numbers || !/^[0-9]+\.[0-9]+/.test(numbers)) return undefined;
  try {
    const version = new Version(numbers.replace(/\.\*$/, ""));
    const majorMinor = version.asMajorMinor();
    version.free();
    return majorMinor ? `${majorMinor[0]}.${majorMinor[1]}` : undefined;
  } catch {
    return undefined;
  }
}
