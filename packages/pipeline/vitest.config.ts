import { defineConfig } from "vitest/config";

// Unit tests: pure logic, no engines. Integration tests (*.itest.ts) have their own config.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
  },
});
