import { defineConfig } from "vitest/config";

// Integration tests run the built CLI against the real Docker Engine and moto; the testkit's global setup provides both.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check (the testkit's secret-scan.ts) over every file: what each spawned process (the CLI) prints, what the
    // test process prints and the files written into temp directories must hold no secret; each file fails in
    // afterAll, the global teardown fails the run.
    globalSetup: ["@dask-fargate-action/testkit/global-setup", "@dask-fargate-action/testkit/secret-scan-global"],
    setupFiles: ["@dask-fargate-action/testkit/secret-scan-setup", "@dask-fargate-action/testkit/secret-scan-children"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
