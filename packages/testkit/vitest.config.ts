import { defineConfig } from "vitest/config";

// Unit tests of the testkit itself: pure logic, no engines.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
