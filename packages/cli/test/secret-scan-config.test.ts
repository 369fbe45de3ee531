import { expect, test } from "vitest";
import config from "../vitest.integration.config.js";

// Every CLI integration file runs under the secrets check: the setup files record what the spawned CLI and the
// test process print and what is written into temp directories; each file fails in afterAll on a finding.
test("the CLI's integration config runs the secrets check's setup files for every file it includes", () => {
  const { include, setupFiles, globalSetup } = config.test ?? {};
  expect(include).toEqual(["test/**/*.itest.ts"]);
  expect(setupFiles).toEqual([
    "@dask-fargate-action/testkit/secret-scan-setup",
    "@dask-fargate-action/testkit/secret-scan-children",
  ]);
  expect(globalSetup).toContain("@dask-fargate-action/testkit/secret-scan-global");
});
