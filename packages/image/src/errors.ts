/**
 * Typed errors of the image package. Each carries the data a user needs to act on it, and an
 * `isInstance` check that works across duplicate copies of this module (e.g. inside a bundle).
 */

import { brandChecker, brandsOf } from "@dask-fargate-action/errors";
import { redactUrlCredentials } from "./url-credentials.js";

const BRANDS = Symbol.for("dask-fargate-action.image.error.brands");

const hasBrand = brandChecker(BRANDS);

/**
 * Base class of every error this package throws on purpose. Credentials inside URLs are redacted
 * from every message (`https://***@host`), so an error never prints the secret it refuses. Each class has
 * its own `brand`, so `X.isInstance(e)` means "e is an X" (a subclass counts, a sibling does not), across
 * bundle copies: `RegistryError.isInstance(aBuildError)` is false.
 */
export class ImageError extends Error {
  static readonly brand: string = "ImageError";
  readonly [BRANDS]: readonly string[] = brandsOf(this.constructor);
  override name = "ImageError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message === undefined ? undefined : redactUrlCredentials(message), options);
  }

  /**
   * True when `error` is an instance of the class this is called on (`RegistryError.isInstance(e)`) or of a
   * subclass, even from another copy of the module. Inherited by every subclass: its `brand` is all it declares.
   */
  static isInstance<T extends abstract new (...args: never[]) => ImageError>(
    this: T & { readonly brand: string },
    error: unknown,
  ): error is InstanceType<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class it is called on, a subclass included: the point.
    return hasBrand(error, this.brand);
  }
}

/** Where in a source file a problem was found (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A problem in an environment file: what is wrong, where, and how to fix it.
 * The message reads `file:line:column: problem` followed by the fix on its own line.
 */
export class EnvironmentFileError extends ImageError {
  override name = "EnvironmentFileError";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly problem: string;
  readonly fix: string;

  constructor(position: SourcePosition, problem: string, fix: string) {
    super(`${position.file}:${position.line}:${position.column}: ${problem}\n  fix: ${fix}`);
    this.file = position.file;
    this.line = position.line;
    this.column = position.column;
    this.problem = redactUrlCredentials(problem);
    this.fix = redactUrlCredentials(fix);
  }

  static override readonly brand: string = "EnvironmentFileError";
}

/** An option given to the image functions is not valid (not a file problem). */
export class ImageConfigError extends ImageError {
  static override readonly brand: string = "ImageConfigError";
  override name = "ImageConfigError";
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}

/** The Docker Engine reported an error during a build. */
export class BuildError extends ImageError {
  static override readonly brand: string = "BuildError";
  override name = "BuildError";
  /** The Dockerfile step that failed, e.g. `Step 4/11 : RUN micromamba install ...`. */
  readonly step: string | undefined;
  /** The last lines the build printed before the error. */
  readonly lastLines: readonly string[];

  constructor(detail: string, step: string | undefined, lastLines: readonly string[], options?: ErrorOptions) {
    const where = step ? ` at "${step}"` : "";
    const tail = lastLines.length > 0 ? `\nlast output:\n${lastLines.map((l) => `  | ${l}`).join("\n")}` : "";
    super(`image build failed${where}: ${detail}${tail}`, options);
    this.step = step;
    this.lastLines = lastLines.map(redactUrlCredentials);
  }
}

/** A registry refused or failed a request (authentication, push, manifest lookup). */
export class RegistryError extends ImageError {
  static override readonly brand: string = "RegistryError";
  override name = "RegistryError";
  readonly registry: string;
  readonly status: number | undefined;

  constructor(registry: string, message: string, status?: number, options?: ErrorOptions) {
    super(`registry ${registry}: ${message}`, options);
    this.registry = registry;
    this.status = status;
  }
}
