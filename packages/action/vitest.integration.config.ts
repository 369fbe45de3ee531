import { defineConfig } from "vitest/config";

// Integration tests run the built CLI against the real Docker Engine and moto; core's global setup provides both.
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
