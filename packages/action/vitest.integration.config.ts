import { defineConfig } from "vitest/config";

// Integration tests run the built CLI against the real Docker Engine and moto; the testkit's global setup provides both.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check's teardown fails the run when any recorded output holds a test secret (secret-scan.ts).
    globalSetup: ["@dask-fargate-action/testkit/global-setup", "@dask-fargate-action/testkit/secret-scan-global"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
