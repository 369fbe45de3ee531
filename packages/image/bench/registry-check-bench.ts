/**
 * Which way should the unchanged-image check ask the registry? Our own HTTP HEAD of the manifest (what
 * ensureImage does) or the Docker Engine's distribution endpoint (GET /distribution/{name}/json, the engine
 * asks the registry with the X-Registry-Auth credentials)? Both against the same local registry with htpasswd,
 * for a tag that exists and one that does not, measured in one process.
 *
 *   npm run bench:registry-check -w @dask-fargate-action/image
 */
import { randomBytes } from "node:crypto";
import { removeTagsStartingWith } from "@dask-fargate-action/testkit/images";
import { startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import { parseImageReference } from "../src/index.js";
import { findRemoteManifest } from "../src/registry-client.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 20);
const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0;

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const docker = new Docker();
  const registry = await startRegistry("bench", randomBytes(16).toString("hex"));
  // A small image in the registry: the engine's busybox-free way is to tag any local image and push it.
  const [local] = await docker.listImages({ filters: { dangling: ["false"] } });
  const source = local?.RepoTags?.find((t) => t !== "<none>:<none>");
  if (!source) throw new Error("no local image to push");
  const repository = `${registry.address}/bench/check-${randomBytes(3).toString("hex")}`;
  const authconfig = { username: registry.username, password: registry.password, serveraddress: registry.address };
  try {
    await docker.getImage(source).tag({ repo: repository, tag: "present" });
    const stream = await docker.getImage(`${repository}:present`).push({ authconfig });
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined))),
    );
    const ref = parseImageReference(`${repository}:present`, "image");
    const login = { username: registry.username, password: registry.password };
    const ours = (tag: string) => findRemoteManifest(ref, tag, { login });
    const engine = (tag: string) =>
      docker
        .getImage(`${repository}:${tag}`)
        .distribution({ authconfig })
        .catch((error: Error) => error);
    const rows = [
      ["HEAD manifest (ours), tag present", median(await timed(() => ours("present")))],
      ["HEAD manifest (ours), tag missing", median(await timed(() => ours("missing")))],
      ["engine /distribution, tag present", median(await timed(() => engine("present")))],
      ["engine /distribution, tag missing", median(await timed(() => engine("missing")))],
    ] as const;
    console.log(
      `method: median of ${RUNS} sequential calls each, performance.now(), one process; local registry with htpasswd`,
    );
    for (const [name, ms] of rows) console.log(`${name.padEnd(40)} ${ms.toFixed(1)} ms`);
    const missing = await engine("missing");
    console.log(
      `engine answer for a missing tag: ${missing instanceof Error ? missing.message.split("\n")[0] : "found"}`,
    );
  } finally {
    await removeTagsStartingWith(docker, repository);
    await registry.stop();
  }
}

await main();
