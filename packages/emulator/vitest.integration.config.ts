import { defineConfig } from "vitest/config";

// Integration tests on real engines: moto (started by the emulator) and the Docker Engine.
export default defineConfig({
  test: {
    include: ["test/**/*.itest.ts"],
    environment: "node",
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
