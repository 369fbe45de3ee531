import { describe, expect, test } from "vitest";
import { brandChecker, brandsOf } from "../src/index.js";

const KEY = Symbol.for("dask-fargate-action.errors-test.brands");
const hasBrand = brandChecker(KEY);

/** A family of errors as a package defines it; called twice, it stands for two copies of the same module. */
function family() {
  class BaseError extends Error {
    static readonly brand: string = "BaseError";
    readonly [KEY]: readonly string[] = brandsOf(this.constructor);
    static isInstance(error: unknown): error is BaseError {
      return hasBrand(error, BaseError.brand);
    }
  }
  class ConfigError extends BaseError {
    static override readonly brand: string = "ConfigError";
    static override isInstance(error: unknown): error is ConfigError {
      return hasBrand(error, ConfigError.brand);
    }
  }
  class StoppedError extends BaseError {
    static override readonly brand: string = "StoppedError";
    static override isInstance(error: unknown): error is StoppedError {
      return hasBrand(error, StoppedError.brand);
    }
  }
  /** No brand of its own: it is a BaseError and nothing more specific. */
  class PlainError extends BaseError {}
  return { BaseError, ConfigError, StoppedError, PlainError };
}

describe("brandsOf", () => {
  test("lists the class's brand and its ancestors', nearest first, each once", () => {
    const { ConfigError, PlainError, BaseError } = family();
    expect(brandsOf(ConfigError)).toEqual(["ConfigError", "BaseError"]);
    expect(brandsOf(PlainError)).toEqual(["BaseError"]);
    expect(brandsOf(BaseError)).toEqual(["BaseError"]);
    expect(brandsOf(Error)).toEqual([]);
    expect(brandsOf(undefined)).toEqual([]);
  });
});

describe("brandChecker", () => {
  test("a class matches its own errors and its subclasses', never a sibling's", () => {
    const { BaseError, ConfigError, StoppedError, PlainError } = family();
    const config = new ConfigError("x");
    expect(BaseError.isInstance(config)).toBe(true);
    expect(ConfigError.isInstance(config)).toBe(true);
    expect(StoppedError.isInstance(config)).toBe(false);
    expect(ConfigError.isInstance(new BaseError("x"))).toBe(false);
    expect(BaseError.isInstance(new PlainError("x"))).toBe(true);
  });

  test("an error made by another copy of the classes matches (instanceof does not)", () => {
    const first = family();
    const second = family();
    const foreign = new second.ConfigError("x");
    expect(foreign instanceof first.ConfigError).toBe(false);
    expect(first.ConfigError.isInstance(foreign)).toBe(true);
    expect(first.BaseError.isInstance(foreign)).toBe(true);
    expect(first.StoppedError.isInstance(foreign)).toBe(false);
  });

  test("another family's key does not see the brands, and non-errors match nothing", () => {
    const { ConfigError } = family();
    const other = brandChecker(Symbol.for("dask-fargate-action.errors-test.other"));
    expect(other(new ConfigError("x"), "ConfigError")).toBe(false);
    for (const value of [
      undefined,
      null,
      "ConfigError",
      3,
      new Error("x"),
      { name: "ConfigError" },
      { [KEY]: "ConfigError" },
    ]) {
      expect(hasBrand(value, "ConfigError")).toBe(false);
    }
  });
});
