import { defineConfig } from "vitest/config";

// Integration tests against the real Docker Engine with the offline Dask image made by the global setup.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    globalSetup: ["test/integration/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
