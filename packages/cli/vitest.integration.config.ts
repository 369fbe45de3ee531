import { defineConfig } from "vitest/config";

// Integration tests run the built CLI against the real Docker Engine and moto; core's global setup provides both.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    // The secrets check (core's secret-scan.ts) over every file: what each spawned process (the CLI) prints, what the
    // test process prints and the files written into temp directories must hold no secret; each file fails in
    // afterAll, the global teardown fails the run.
    globalSetup: ["../core/test/integration/global-setup.ts", "../core/test/integration/secret-scan-global.ts"],
    setupFiles: ["../core/test/integration/secret-scan-setup.ts", "../core/test/integration/secret-scan-children.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
