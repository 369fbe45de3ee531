import { readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, expect, inject } from "vitest";
import {
  expectNoSecrets,
  MIN_SECRET_LENGTH,
  recordOutput,
  registerSecret,
  registerSecretsIn,
  SECRET_SCAN_DIR,
} from "./secret-scan.js";

/**
 * The secrets check (secret-scan.ts) for the suites whose tests call the code in-process instead of spawning the
 * CLI or the action (core, image, pipeline): a vitest setup file, so every test file of the suite is covered
 * without recording anything itself. It records what the test process prints (stdout, stderr, console: the
 * emulator's diagnostics, the tests' own reports) and every file written under this machine's temp directory
 * into directories made while the file ran (`dfa-*` scratch, output and TLS directories; `dask-fargate/<cluster>`,
 * the default TLS directory), after each test — before a file's afterAll removes its scratch. Registered: the
 * suite's provided registry password (image) and secret-looking variables of the environment. The file fails in
 * afterAll on a finding; the global teardown (secret-scan-global.ts) fails the run.
 */

/** The cluster's own TLS key, written on purpose for the client (and removed by down), is not a leak. */
const TLS_KEY_FILE = /(^|\/)member-key\.pem$/;
/** Larger files (image layers, registry blobs) are not text a secret would be printed into. */
const MAX_FILE_BYTES = 1024 * 1024;

const provided = (inject as (key: string) => unknown)("registryPassword");
if (typeof provided === "string" && provided.length >= MIN_SECRET_LENGTH) registerSecret(provided, "registry password");
// The scan's own directory (DFA_SECRET_SCAN_DIR) is a path, not a secret.
registerSecretsIn({ ...process.env, DFA_SECRET_SCAN_DIR: undefined });

// What the test process prints, kept until the next flush.
let printed = "";
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("latin1");
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    printed += `${args.map(String).join(" ")}\n`;
    original(...args);
  };
}

const tmp = tmpdir();
const TLS_ROOT = join(tmp, "dask-fargate");
const listed = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
/** Directories that existed before this file ran: not this file's writes. */
const before = new Set([...listed(tmp).map((n) => join(tmp, n)), ...listed(TLS_ROOT).map((n) => join(TLS_ROOT, n))]);
const seen = new Map<string, string>();
const testFile = expect.getState().testPath ?? "a test file";

function flush(): void {
  recordOutput(`${testFile}: printed`, printed);
  printed = "";
  const roots = [
    ...listed(tmp)
      .filter((n) => n.startsWith("dfa-"))
      .map((n) => join(tmp, n)),
    ...listed(TLS_ROOT).map((n) => join(TLS_ROOT, n)),
  ].filter((dir) => !before.has(dir) && dir !== SECRET_SCAN_DIR);
  for (const root of roots) {
    let names: string[];
    try {
      names = readdirSync(root, { recursive: true, encoding: "utf8" });
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(root, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.size > MAX_FILE_BYTES || TLS_KEY_FILE.test(name)) continue;
      const version = `${stat.mtimeMs}:${stat.size}`;
      if (seen.get(path) === version) continue;
      seen.set(path, version);
      try {
        recordOutput(`${testFile}: wrote ${path}`, readFileSync(path, "latin1"));
      } catch {
        // Removed meanwhile (a teardown running beside): nothing left to scan.
      }
    }
  }
}

afterEach(flush);
afterAll(() => {
  flush();
  expectNoSecrets();
});
