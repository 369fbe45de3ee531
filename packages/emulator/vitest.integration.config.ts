import { defineConfig } from "vitest/config";

// Integration tests on real engines: moto (started by the emulator) and the Docker Engine.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check (core's secret-scan.ts): what the test processes print and write must hold no secret.
    globalSetup: ["../core/test/integration/secret-scan-global.ts"],
    setupFiles: ["../core/test/integration/secret-scan-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
