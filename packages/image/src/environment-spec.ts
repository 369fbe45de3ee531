/** The normalised environment every input kind is turned into; rendering and hashing read only this. */

/** Which kind of file the environment came from. */
export type EnvironmentKind = "conda-environment" | "requirements" | "explicit-lockfile";

/** A validated conda match spec, e.g. `conda-forge::numpy>=1.26,<2`. */
export interface CondaDependency {
  /** The spec as the user wrote it (trimmed). */
  readonly source: string;
  readonly channel: string | undefined;
  /** Lower-case package name. */
  readonly name: string;
  /** Version part in conda syntax, e.g. `=1.2` (fuzzy), `==1.2`, `>=1,<2`; undefined when unpinned. */
  readonly version: string | undefined;
  readonly build: string | undefined;
  /** Canonical spelling: the same for specs that only differ in spacing or name case. */
  readonly normalised: string;
}

/** What kind of thing a pip requirement points at. */
export type PipRequirementKind = "name" | "url" | "vcs" | "local";

/** A validated pip requirement. */
export interface PipRequirement {
  readonly source: string;
  readonly kind: PipRequirementKind;
  /** Normalised project name when known (PEP 503: lower case, runs of `-_.` as `-`). */
  readonly name: string | undefined;
  /** Version specifiers for `name` requirements, e.g. `>=2024.1`. */
  readonly version: string | undefined;
  /** Extras, e.g. `distributed` in `dask[distributed]`. */
  readonly extras: readonly string[];
  /** For `local` requirements: the path as written, relative to the environment file. */
  readonly localPath: string | undefined;
  /** The line written into the generated requirements file. */
  readonly normalised: string;
}

/** One package of an explicit (`@EXPLICIT`) conda lockfile. */
export interface ExplicitPackage {
  readonly url: string;
  readonly subdir: string;
  readonly name: string;
  readonly version: string;
  readonly build: string;
}

/** A file from the user's repository that the build copies in (a local wheel or project directory). */
export interface LocalFile {
  /** Path inside the build context, under `local/`. */
  readonly contextPath: string;
  readonly content: Buffer;
}

/** An environment after parsing, validation and normalisation. */
export interface EnvironmentSpec {
  readonly kind: EnvironmentKind;
  /** Base name of the source file, written into the image labels. */
  readonly sourceFile: string;
  readonly name: string | undefined;
  readonly channels: readonly string[];
  /** Sorted by normalised spelling; conda's solver does not depend on their order. */
  readonly conda: readonly CondaDependency[];
  /** In file order: an explicit lockfile installs exactly these, in this order. */
  readonly explicit: readonly ExplicitPackage[];
  /** Sorted by normalised spelling; pip's resolver does not depend on their order. */
  readonly pip: readonly PipRequirement[];
  /** Sorted by name. */
  readonly variables: readonly (readonly [string, string])[];
  readonly localFiles: readonly LocalFile[];
  /** Python `major.minor` when the spec pins it, e.g. `3.11`. */
  readonly pythonVersion: string | undefined;
  /** The requested dask and distributed versions as written (`unpinned` when no version). */
  readonly daskVersion: string;
  readonly distributedVersion: string;
  /** Things the user should know: added packages, ignored keys. */
  readonly notices: readonly string[];
}
