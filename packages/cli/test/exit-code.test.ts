import { ClusterConfigError, InputError, MemberStoppedError } from "@dask-fargate-action/core";
import {
  BuildError,
  EnvironmentFileError,
  ImageConfigError,
  ImageError,
  RegistryError,
} from "@dask-fargate-action/image";
import { expect, test } from "vitest";
import { exitCodeOf } from "../src/exit-code.js";

test.each([
  ["a cluster setting", new ClusterConfigError("workers", "not a number"), 2],
  ["a flag the settings reader refuses", new InputError("secret", "the docker backend does not resolve ARNs"), 2],
  [
    "an environment file",
    new EnvironmentFileError({ file: "environment.yml", line: 3, column: 5 }, "bad spec", "quote it"),
    2,
  ],
  ["an image option", new ImageConfigError("image", "not a reference"), 2],
  ["a failed build", new BuildError("exit 1", "Step 2/5 : RUN false", []), 1],
  ["a registry refusal", new RegistryError("reg.example", "denied", 401), 1],
  ["another image error", new ImageError("x"), 1],
  ["a stopped member", new MemberStoppedError("worker", 1, undefined), 1],
  ["an error that only borrows a name", Object.assign(new Error("x"), { name: "EnvironmentFileError" }), 1],
  ["not an error", "EnvironmentFileError", 1],
])("%s exits %i", (_what, error, code) => {
  expect(exitCodeOf(error)).toBe(code);
});
