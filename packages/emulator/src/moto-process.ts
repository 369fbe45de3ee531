import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A moto server child process. */
export interface MotoProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `python3 -m moto.server` on loopback and waits until `/moto-api/data.json` answers.
 * AWS managed IAM policies exist in moto only with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
 */
export async function startMoto(
  options: { python?: string; port?: number; timeoutMs?: number } = {},
): Promise<MotoProcess> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    options.python ?? "python3",
    ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const ok = await fetch(`${endpoint}/moto-api/data.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { endpoint, stop };
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]);
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `moto did not start on port ${port} (${failed?.message ?? `exit ${child.exitCode}`}); is it installed? pip install "moto[server]". Its last output: ${stderr.trim() || "(none)"}`,
      );
    }
  }
}
