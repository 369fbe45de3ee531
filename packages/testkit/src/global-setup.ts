import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Docker from "dockerode";
import type { TestProject } from "vitest/node";
import { type MotoServer, startMoto } from "./moto-server.js";

const run = promisify(execFile);

let moto: MotoServer | undefined;

/** Checks the Docker Engine, makes (or reuses) the offline Dask image the clusters run, and starts moto. */
export async function setup(project: TestProject): Promise<void> {
  await new Docker().ping().catch((error: Error) => {
    throw new Error(
      `the Docker Engine is not reachable (${error.message}); start it (e.g. dockerd &) — .ci/run does this`,
    );
  });
  const script = fileURLToPath(new URL("../../../scripts/make-offline-image.sh", import.meta.url));
  const { stdout } = await run(script, [], { maxBuffer: 16 * 1024 * 1024 });
  project.provide("daskImage", stdout.trim().split("\n").pop() ?? "");
  moto = await startMoto();
  project.provide("motoEndpoint", moto.endpoint);
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}
