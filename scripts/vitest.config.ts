import { defineConfig } from "vitest/config";

// The repository's own scripts (workflow check, release notes, packing): unit tests, run by npm run test:unit.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
