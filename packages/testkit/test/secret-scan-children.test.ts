import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

// The CLI suite's secrets check records what every spawned process prints (secret-scan-children.ts, a setup file
// of packages/cli/vitest.integration.config.ts): it must catch a secret a child prints, for spawn and execFile
// imported as ES module exports (as the test files import them), and leave promisify(execFile) working.
const dir = mkdtempSync(join(tmpdir(), "dfa-secret-scan-children-test-"));
process.env["DFA_SECRET_SCAN_DIR"] = dir;
const scan = await import("../src/secret-scan.js");
await import("../src/secret-scan-children.js");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const secret = "planted-child-token-0123456789";
const printIt = ["-e", "console.log('token is ' + process.env.CHILD_TOKEN)"];

describe("the secrets check of spawned processes", () => {
  test("a secret a spawned child prints (given in its environment) is found, named by the variable", async () => {
    const child = spawn(process.execPath, printIt, { env: { ...process.env, CHILD_TOKEN: secret } });
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
    });
    await new Promise((resolve) => child.once("close", resolve));
    // The test's own reading of the output is unchanged.
    expect(seen).toBe(`token is ${secret}\n`);
    expect(() => scan.expectNoSecrets()).toThrow(/CHILD_TOKEN in .*printed/);
    expect(scan.scanLeftFiles(dir).join("\n")).toMatch(/CHILD_TOKEN in /);
  });

  test("promisify(execFile) still resolves stdout and stderr, and what it printed is recorded", async () => {
    const other = "another-child-token-9876543210";
    const { stdout, stderr } = await promisify(execFile)(process.execPath, printIt, {
      env: { ...process.env, CHILD_TOKEN: other },
    });
    expect(stdout).toBe(`token is ${other}\n`);
    expect(stderr).toBe("");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(scan.scanLeftFiles(dir).filter((f) => f.startsWith("CHILD_TOKEN in "))).toHaveLength(2);
  });
});
