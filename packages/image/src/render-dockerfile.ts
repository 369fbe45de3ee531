import { stringify } from "yaml";
import { computeContentHash, contentTag } from "./content-hash.js";
import { BUILD_DIR, CONTEXT_FILES } from "./context-layout.js";
import type { EnvironmentSpec } from "./environment-spec.js";
import { ImageConfigError } from "./errors.js";
import { RECORD_PATHS, RECORD_PROGRAM } from "./image-record.js";
import { parseImageReference } from "./image-reference.js";
import { CONDA_SUBDIR, type ImagePlatform } from "./platform.js";
import { GENERATOR_NAME, GENERATOR_VERSION } from "./version.js";

/** How packages get into the image: micromamba (conda + pip) or pip on a base that already has Python. */
export type Installer = "micromamba" | "pip";

/** The default base: the micromamba image, pinned by tag (a digest is accepted as well). */
export const DEFAULT_BASE_IMAGE = "mambaorg/micromamba:2.0.5";

/** Options of {@link renderBuildContext}; everything the image depends on besides the environment. */
export interface RenderOptions {
  readonly baseImage?: string;
  /** Defaults to `micromamba` when the base image's repository is a micromamba image, else `pip`. */
  readonly installer?: Installer;
  readonly platform?: ImagePlatform;
  /** Names of build args to declare (values go to the engine, never into the Dockerfile). */
  readonly buildArgNames?: readonly string[];
  /** Extra image labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A rendered build: the Dockerfile, the other files of the context, and the content hash and tag. */
export interface BuildContext {
  readonly dockerfile: string;
  /** Every file of the context, the Dockerfile included, keyed by path. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly contentHash: string;
  readonly tag: string;
  readonly baseImage: string;
  readonly installer: Installer;
  readonly platform: ImagePlatform;
  /** Image labels the Dockerfile sets (also used to find the image later). */
  readonly labels: Readonly<Record<string, string>>;
  readonly notices: readonly string[];
}

/** Label keys this package writes. */
export const LABELS = {
  contentHash: "io.dask-fargate-action.content-hash",
  generator: "io.dask-fargate-action.generator",
  sourceFile: "io.dask-fargate-action.source-file",
  daskVersion: "io.dask-fargate-action.dask-version",
  distributedVersion: "io.dask-fargate-action.distributed-version",
  pythonVersion: "io.dask-fargate-action.python-version",
  /** Where the image keeps its record of installed packages (image-record.ts). */
  record: "io.dask-fargate-action.record",
  /** On a record companion (record-companion.ts): the digest of the image whose record it holds. */
  recordOf: "io.dask-fargate-action.record-of",
  baseName: "org.opencontainers.image.base.name",
} as const;

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/**
 * Renders the Dockerfile and build context for an environment. Pure and deterministic: the same
 * inputs give byte-identical output. User text reaches the build only inside generated files that
 * are COPY'd (conda-environment.yml, requirements.txt) or as escaped ENV/LABEL values; RUN lines
 * hold only fixed text.
 */
export function renderBuildContext(spec: EnvironmentSpec, options: RenderOptions = {}): BuildContext {
  const baseImage = options.baseImage ?? DEFAULT_BASE_IMAGE;
  const base = parseImageReference(baseImage, "base-image");
  if (!base.tag && !base.digest)
    throw new ImageConfigError(
      "base-image",
      `"${baseImage}" is not pinned; add a tag or a digest, e.g. ${DEFAULT_BASE_IMAGE}`,
    );
  const installer = options.installer ?? (/(^|\/)micromamba$/.test(base.repository) ? "micromamba" : "pip");
  const platform = options.platform ?? "linux/amd64";
  const buildArgNames = [...(options.buildArgNames ?? [])].sort();
  for (const name of buildArgNames) {
    if (!ARG_NAME.test(name))
      throw new ImageConfigError("build-args", `"${name}" is not a valid build-arg name; use letters, digits and '_'`);
  }
  const userLabels = Object.entries(options.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, value] of userLabels) {
    if (!LABEL_KEY.test(key))
      throw new ImageConfigError(
        "labels",
        `"${key}" is not a valid label key; use lower-case reverse-DNS such as com.example.team`,
      );
    if (/[\n\r\0]/.test(value)) throw new ImageConfigError("labels", `the value of "${key}" contains a line break`);
  }
  if (installer === "pip" && spec.kind !== "requirements") {
    throw new ImageConfigError(
      "base-image",
      `"${baseImage}" has no conda, so it can only install a pip requirements file, not ${spec.sourceFile}; use a micromamba base image (e.g. ${DEFAULT_BASE_IMAGE}) or a requirements.txt`,
    );
  }

  const notices = [...spec.notices];
  const needsGit = spec.pip.some((r) => r.kind === "vcs");
  const files = new Map<string, Buffer>();
  if (installer === "micromamba") {
    if (spec.kind === "explicit-lockfile") {
      files.set(CONTEXT_FILES.condaExplicit, Buffer.from(`@EXPLICIT\n${spec.explicit.map((p) => p.url).join("\n")}\n`));
      if (!spec.explicit.some((p) => p.name === "tini"))
        notices.push(
          `${spec.sourceFile}: the lockfile has no tini, so the image has no init process; run it with an init (ECS initProcessEnabled, docker --init)`,
        );
    } else {
      if (spec.channels.length === 0) notices.push(`${spec.sourceFile}: no channels are listed; using conda-forge`);
      files.set(
        CONTEXT_FILES.condaEnvironment,
        Buffer.from(condaEnvironmentFile(spec, CONDA_SUBDIR[platform], needsGit)),
      );
    }
  }
  if (spec.pip.length > 0) {
    files.set(CONTEXT_FILES.requirements, Buffer.from(`${spec.pip.map((r) => r.normalised).join("\n")}\n`));
  }
  for (const file of spec.localFiles) files.set(file.contextPath, file.content);

  const generator = `${GENERATOR_NAME} ${GENERATOR_VERSION}`;
  const labels: Record<string, string> = {
    ...Object.fromEntries(userLabels),
    [LABELS.generator]: generator,
    [LABELS.sourceFile]: spec.sourceFile,
    [LABELS.daskVersion]: spec.daskVersion,
    [LABELS.distributedVersion]: spec.distributedVersion,
    [LABELS.baseName]: baseImage,
    [LABELS.record]: RECORD_PATHS[installer],
  };
  if (spec.pythonVersion) labels[LABELS.pythonVersion] = spec.pythonVersion;
  const parts = {
    spec,
    baseImage,
    installer,
    platform,
    buildArgNames,
    needsGit,
    hasLocal: spec.localFiles.length > 0,
    generator,
  };
  // The Dockerfile is hashed too (before its content-hash label exists): a change in how images are
  // built, such as a fix to a RUN line, gives new tags instead of reusing images built the old way.
  const recipe = Buffer.from(dockerfileText({ ...parts, labels }));
  const contentHash = computeContentHash({
    generator,
    baseImage,
    platform,
    installer,
    buildArgNames,
    labels: userLabels,
    variables: spec.variables,
    sourceFile: spec.sourceFile,
    files: new Map([...files, [CONTEXT_FILES.dockerfile, recipe]]),
  });
  labels[LABELS.contentHash] = contentHash;
  const dockerfile = dockerfileText({ ...parts, labels });
  files.set(CONTEXT_FILES.dockerfile, Buffer.from(dockerfile));
  return {
    dockerfile,
    files,
    contentHash,
    tag: contentTag(contentHash),
    baseImage,
    installer,
    platform,
    labels,
    notices,
  };
}

function condaEnvironmentFile(spec: EnvironmentSpec, subdir: string, needsGit: boolean): string {
  const dependencies = spec.conda.map((d) => d.normalised);
  const names = new Set(spec.conda.map((d) => d.name));
  // The micromamba base environment is empty: a pip-only file still needs Python and pip from conda.
  const extra = [
    ...(spec.kind === "requirements" ? ["python", "pip"] : []),
    "tini",
    ...(needsGit ? ["git"] : []),
  ].filter((name) => !names.has(name));
  const doc = {
    channels: spec.channels.length > 0 ? [...spec.channels] : ["conda-forge"],
    dependencies: [...dependencies, ...extra].sort(),
  };
  return `# Generated by ${GENERATOR_NAME} ${GENERATOR_VERSION} from ${spec.sourceFile} for ${subdir}. Do not edit.\n${stringify(doc)}`;
}

interface DockerfileParts {
  readonly spec: EnvironmentSpec;
  readonly baseImage: string;
  readonly installer: Installer;
  readonly platform: ImagePlatform;
  readonly buildArgNames: readonly string[];
  readonly needsGit: boolean;
  readonly hasLocal: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly generator: string;
}

function dockerfileText(p: DockerfileParts): string {
  const lines: string[] = [
    `# Generated by ${p.generator} from ${quoteComment(p.spec.sourceFile)}. Do not edit: change the environment file instead.`,
    `FROM ${p.baseImage}`,
  ];
  const args = p.buildArgNames.map((name) => `ARG ${name}`);
  const pipFlags = "--no-cache-dir --disable-pip-version-check --no-warn-script-location";
  const requirements = `${BUILD_DIR}/${CONTEXT_FILES.requirements}`;
  // Each RUN that reads the build directory removes it as its last command, so no layer after the
  // install holds it. The COPY layers below it still carry these files: that is why the environment
  // file may hold no credentials (see url-credentials.ts). COPY --chown makes the directory the
  // user's, so micromamba's non-root user can remove it.
  const removeBuildDir = `    && rm -rf ${BUILD_DIR}`;
  if (p.installer === "micromamba") {
    const chown = "--chown=$MAMBA_USER:$MAMBA_USER";
    // Runs every RUN below inside the activated base environment (micromamba image convention).
    lines.push("ARG MAMBA_DOCKERFILE_ACTIVATE=1", ...args);
    const condaFile =
      p.spec.kind === "explicit-lockfile" ? CONTEXT_FILES.condaExplicit : CONTEXT_FILES.condaEnvironment;
    lines.push(
      `COPY ${chown} ${condaFile} ${BUILD_DIR}/${condaFile}`,
      `RUN micromamba install --yes --name base --platform ${CONDA_SUBDIR[p.platform]} --file ${BUILD_DIR}/${condaFile} \\`,
      "    && micromamba clean --all --yes \\",
      removeBuildDir,
    );
    if (p.spec.pip.length > 0) {
      lines.push(`COPY ${chown} ${CONTEXT_FILES.requirements} ${requirements}`);
      if (p.hasLocal) lines.push(`COPY ${chown} ${CONTEXT_FILES.localDir} ${BUILD_DIR}/${CONTEXT_FILES.localDir}`);
      lines.push(`RUN python -m pip install ${pipFlags} --requirement ${requirements} \\`, removeBuildDir);
    }
  } else {
    const system = ["tini", ...(p.needsGit ? ["git"] : [])];
    lines.push(
      "USER root",
      ...args,
      // Installs tini (and git) only when the base lacks them, so offline bases that ship them build offline.
      `RUN ${system.map((tool) => `command -v ${tool} >/dev/null`).join(" && ")} \\`,
      `    || (apt-get update && apt-get install --yes --no-install-recommends ${system.join(" ")} && rm -rf /var/lib/apt/lists/*)`,
      "RUN id -u dask >/dev/null 2>&1 || useradd --create-home --uid 1000 --user-group --shell /bin/sh dask",
      `COPY ${CONTEXT_FILES.requirements} ${requirements}`,
    );
    if (p.hasLocal) lines.push(`COPY ${CONTEXT_FILES.localDir} ${BUILD_DIR}/${CONTEXT_FILES.localDir}`);
    // The image has one purpose, so pip may install into the system Python (PEP 668's guard is for shared systems).
    lines.push(
      `RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install ${pipFlags} --requirement ${requirements} \\`,
      removeBuildDir,
    );
  }
  // The record of what was installed, written by a fixed program after the installs (image-record.ts).
  const record = RECORD_PATHS[p.installer];
  const python = p.installer === "micromamba" ? "python" : "python3";
  lines.push(
    `RUN mkdir -p ${record.slice(0, record.lastIndexOf("/"))} && ${python} -c "${RECORD_PROGRAM}" > ${record}`,
  );
  for (const [name, value] of p.spec.variables) lines.push(`ENV ${name}=${quote(value)}`);
  for (const [key, value] of Object.entries(p.labels).sort(([a], [b]) => (a < b ? -1 : 1)))
    lines.push(`LABEL ${key}=${quote(value)}`);
  if (p.installer === "micromamba") {
    const init =
      p.spec.kind === "explicit-lockfile" && !p.spec.explicit.some((x) => x.name === "tini")
        ? []
        : ["tini", "-g", "--"];
    lines.push(`ENTRYPOINT ${JSON.stringify(["/usr/local/bin/_entrypoint.sh", ...init])}`, 'CMD ["python"]');
  } else {
    lines.push(
      "USER dask",
      "WORKDIR /home/dask",
      `ENTRYPOINT ${JSON.stringify(["tini", "-g", "--"])}`,
      'CMD ["python3"]',
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Double-quotes a value for ENV and LABEL; `$` is escaped so the builder does not expand it. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$/g, "\\$")}"`;
}

function quoteComment(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}
