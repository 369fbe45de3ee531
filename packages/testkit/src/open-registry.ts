import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./registry-server.js";

/** The reference registry (`docker-registry`, distribution 2.8) on loopback, storing under a temporary folder. */
export async function startOpenRegistry(): Promise<{ host: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "emulator-registry-"));
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`http://${host}/v2/`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error("docker-registry did not start (apt-get install -y docker-registry)");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A tiny image holding only tini-static (taken from the offline image, where Debian's tini package puts it),
 * pushed to the registry and removed from the engine, so a task must pull it.
 */
export function pushTinyImage(offline: string, registry: string): string {
  const name = `${registry}/emulator-itest/tini:1`;
  execFileSync("docker", ["build", "-q", "-t", name, "-"], {
    input: `FROM ${offline} AS source\nFROM scratch\nCOPY --from=source /usr/bin/tini-static /tini\n`,
    stdio: ["pipe", "ignore", "inherit"],
  });
  execFileSync("docker", ["push", "-q", name], { stdio: ["ignore", "ignore", "inherit"] });
  execFileSync("docker", ["rmi", name], { stdio: ["ignore", "ignore", "inherit"] });
  return name;
}
