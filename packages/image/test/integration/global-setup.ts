import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RegistryServer, startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);

declare module "vitest" {
  export interface ProvidedContext {
    registryAddress: string;
    registryUsername: string;
    registryPassword: string;
    baseImage: string;
  }
}

let registry: RegistryServer | undefined;

/** Starts what the integration tests need: a reachable Docker Engine, the offline base image and an authenticated registry. */
export async function setup(project: TestProject): Promise<void> {
  const docker = new Docker();
  await docker.ping().catch((error: Error) => {
    throw new Error(
      `the Docker Engine is not reachable (${error.message}); start it (e.g. dockerd &) — .ci/run does this`,
    );
  });
  const script = fileURLToPath(new URL("../../../../scripts/make-offline-image.sh", import.meta.url));
  // The script makes the offline Debian Dask image (or reuses it) and prints its name last.
  const { stdout } = await run(script, [], { maxBuffer: 16 * 1024 * 1024 });
  const baseImage = stdout.trim().split("\n").pop() ?? "";
  registry = await startRegistry("dfa-tester", randomBytes(18).toString("base64url"));
  project.provide("registryAddress", registry.address);
  project.provide("registryUsername", registry.username);
  project.provide("registryPassword", registry.password);
  project.provide("baseImage", baseImage);
}

export async function teardown(): Promise<void> {
  await registry?.stop();
}
