import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";

/** A running reference registry (Debian's docker-registry) with htpasswd auth on 127.0.0.1. */
export interface RegistryServer {
  readonly address: string;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

/** Finds a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts `docker-registry serve` with a fresh storage directory and a bcrypt htpasswd file; waits until /v2/ answers. */
export async function startRegistry(username: string, password: string): Promise<RegistryServer> {
  const dir = await mkdtemp(join(tmpdir(), "dfa-registry-"));
  const port = await freePort();
  await writeFile(join(dir, "htpasswd"), `${username}:${bcrypt.hashSync(password, 10)}\n`);
  await writeFile(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "auth:",
      "  htpasswd:",
      "    realm: dask-fargate-action-tests",
      `    path: ${join(dir, "htpasswd")}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.on("error", (e) =>
      reject(new Error(`cannot start docker-registry (${e.message}); install it with apt-get install docker-registry`)),
    ),
  );
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answered = await Promise.race([
      fetch(`http://${address}/v2/`).then(
        (r) => r.status === 401 || r.ok,
        () => false,
      ),
      spawnError,
    ]);
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`docker-registry did not start on ${address}: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address,
    username,
    password,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
