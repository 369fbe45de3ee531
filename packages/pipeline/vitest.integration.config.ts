import { defineConfig } from "vitest/config";

// Integration tests run the pipeline against the real Docker Engine; core's global setup provides the offline Dask image.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    globalSetup: ["../core/test/integration/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
