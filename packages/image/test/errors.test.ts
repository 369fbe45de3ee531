import { describe, expect, test } from "vitest";
import { BuildError, EnvironmentFileError, ImageConfigError, ImageError, RegistryError } from "../src/errors.js";

const samples = {
  ImageError: new ImageError("x"),
  EnvironmentFileError: new EnvironmentFileError({ file: "environment.yml", line: 1, column: 1 }, "problem", "fix"),
  ImageConfigError: new ImageConfigError("image", "bad"),
  BuildError: new BuildError("failed", undefined, []),
  RegistryError: new RegistryError("reg.example", "denied", 401),
};
const classes = { ImageError, EnvironmentFileError, ImageConfigError, BuildError, RegistryError };

describe("isInstance means that class (or a subclass), never a sibling", () => {
  test.each(Object.keys(classes))("%s.isInstance", (name) => {
    const check = classes[name as keyof typeof classes];
    const answers = Object.fromEntries(Object.entries(samples).map(([kind, error]) => [kind, check.isInstance(error)]));
    // ImageError is every error's base; each subclass matches only its own errors.
    const expected = Object.fromEntries(
      Object.keys(samples).map((kind) => [kind, name === "ImageError" || kind === name]),
    );
    expect(answers).toEqual(expected);
  });

  test("RegistryError.isInstance(a BuildError) is false", () => {
    expect(RegistryError.isInstance(new BuildError("failed", "Step 1/2 : RUN false", ["boom"]))).toBe(false);
  });

  test("an error from another copy of the module (as inside a bundle) still matches its own class only", async () => {
    // A second instance of the module: its classes are other objects, so instanceof fails, the brands do not.
    const second = "../src/errors.js?copy";
    const copy = (await import(/* @vite-ignore */ second)) as typeof import("../src/errors.js");
    expect(copy.BuildError).not.toBe(BuildError);
    const foreign = new copy.BuildError("failed", undefined, []);
    expect(foreign instanceof BuildError).toBe(false);
    expect(BuildError.isInstance(foreign)).toBe(true);
    expect(ImageError.isInstance(foreign)).toBe(true);
    expect(RegistryError.isInstance(foreign)).toBe(false);
  });

  test("non-errors and plain errors match nothing", () => {
    for (const value of [undefined, null, "BuildError", new Error("x"), { name: "BuildError" }]) {
      expect(Object.values(classes).some((c) => c.isInstance(value))).toBe(false);
    }
  });
});
