import { defineConfig } from "vitest/config";

// Integration tests against the real Docker Engine and a real registry started by the global setup.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check (issue 14): what the tests print and the files they write must hold no registered secret and no
    // private key; each file fails in afterAll (secret-scan-setup.ts), the global teardown fails the run (secret-scan.ts).
    globalSetup: ["test/integration/global-setup.ts", "@dask-fargate-action/testkit/secret-scan-global"],
    setupFiles: ["@dask-fargate-action/testkit/secret-scan-setup"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
