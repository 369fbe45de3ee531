import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { describe, expect, test } from "vitest";
import { parseImageReference } from "../src/index.js";
import { readRemoteRecord } from "../src/registry-record.js";

const LABEL = "io.dask-fargate-action.record";
const RECORD = { python: "3.12.8", packages: { dask: "2024.12.1", distributed: "2024.12.1" } };

async function layer(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => archive.on("end", () => resolve()));
  for (const [name, text] of Object.entries(files)) archive.entry({ name }, text);
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A registry with an amd64+arm64 index whose arm64 image has the record in its second-to-top layer. */
async function registry(labels: Record<string, string>) {
  const blobs: Record<string, Buffer | object> = {
    "sha256:config": { config: { Labels: labels } },
    "sha256:bottom": await layer({ "usr/lib/python3/x.py": "" }),
    "sha256:record": await layer({ "opt/conda/share/dask-fargate-action/packages.json": JSON.stringify(RECORD) }),
    "sha256:top": await layer({ "home/dask/": "" }),
  };
  const manifests: Record<string, object> = {
    "env-1": {
      manifests: [
        { digest: "sha256:amd", platform: { os: "linux", architecture: "amd64" } },
        { digest: "sha256:arm", platform: { os: "linux", architecture: "arm64" } },
      ],
    },
    "sha256:arm": {
      config: { digest: "sha256:config" },
      layers: ["sha256:bottom", "sha256:record", "sha256:top"].map((digest) => ({ digest })),
    },
  };
  const requests: string[] = [];
  const fetch = async (url: string) => {
    const path = new URL(url).pathname;
    requests.push(path);
    const [kind, id = ""] = path.split("/").slice(-2);
    const body = kind === "manifests" ? manifests[id] : blobs[id];
    if (!body) return new Response(null, { status: 404 });
    return new Response(Buffer.isBuffer(body) ? body : JSON.stringify(body), { status: 200 });
  };
  return { fetch, requests };
}

describe("reading the record from the registry, without pulling", () => {
  const ref = parseImageReference("127.0.0.1:5000/org/dask", "image");

  test("picks the platform's manifest from an index and finds the record in the top layers", async () => {
    const { fetch, requests } = await registry({ [LABEL]: "/opt/conda/share/dask-fargate-action/packages.json" });
    expect(await readRemoteRecord(ref, "env-1", "linux/arm64", LABEL, { fetch })).toEqual(RECORD);
    // The bottom layer (the base's) is never downloaded.
    expect(requests).toEqual([
      "/v2/org/dask/manifests/env-1",
      "/v2/org/dask/manifests/sha256:arm",
      "/v2/org/dask/blobs/sha256:config",
      "/v2/org/dask/blobs/sha256:top",
      "/v2/org/dask/blobs/sha256:record",
    ]);
  });

  test("an image without the record label, or without the platform, has no record", async () => {
    expect(
      await readRemoteRecord(ref, "env-1", "linux/arm64", LABEL, { fetch: (await registry({})).fetch }),
    ).toBeUndefined();
    const { fetch } = await registry({ [LABEL]: "/opt/conda/share/dask-fargate-action/packages.json" });
    await expect(readRemoteRecord(ref, "env-1", "linux/amd64", LABEL, { fetch })).rejects.toThrow(/HTTP 404/);
  });
});
