import { defineConfig } from "vitest/config";

// Integration tests on real engines: moto (started by the emulator) and the Docker Engine.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check (the testkit's secret-scan.ts): what the test processes print and write must hold no secret.
    globalSetup: ["@dask-fargate-action/testkit/secret-scan-global"],
    setupFiles: ["@dask-fargate-action/testkit/secret-scan-setup"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
