import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Global setup/teardown of the secrets check (secret-scan.ts): one fresh directory per run, shared with the
// test processes through DFA_SECRET_SCAN_DIR; the teardown fails the run when anything recorded holds a
// registered secret or a private key, and removes the directory (it holds the test secrets).
const dir = join(tmpdir(), `dfa-secret-scan-${process.pid}`);

export function setup(): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env["DFA_SECRET_SCAN_DIR"] = dir;
}

export async function teardown(): Promise<void> {
  // Imported here so the module reads DFA_SECRET_SCAN_DIR as set by setup.
  const { scanLeftFiles } = await import("./secret-scan.js");
  const findings = scanLeftFiles(dir);
  rmSync(dir, { recursive: true, force: true });
  if (findings.length === 0) return;
  // Not thrown: vitest keeps exit code 0 after an error here ("error during close"), and a throw would skip the
  // other teardowns (moto's). The exit code fails the run; the message says why.
  process.exitCode = 1;
  console.error(
    `secrets check FAILED: secrets leaked into the test run's output (values not shown):\n  ${findings.join("\n  ")}`,
  );
}
