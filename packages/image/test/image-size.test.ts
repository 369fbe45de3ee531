import { describe, expect, test } from "vitest";
import { estimatePullSeconds, PULL_WARNING_BYTES, remoteImageSize, sizeWarning } from "../src/image-size.js";
import { parseImageReference, sizeText } from "../src/index.js";

const MiB = 1024 * 1024;

describe("the pull at a Fargate task's start", () => {
  test("follows the emulator's realistic model: 16.5 s + 25 ms per MiB", () => {
    expect(estimatePullSeconds(0)).toBe(16.5);
    expect(estimatePullSeconds(300 * MiB)).toBe(24);
    expect(estimatePullSeconds(1024 * MiB)).toBe(42.1);
  });

  test("a warning only above 1 GiB compressed, with what shrinks the image", () => {
    const small = {
      compressedBytes: PULL_WARNING_BYTES,
      layers: 5,
      estimatedPullSeconds: estimatePullSeconds(PULL_WARNING_BYTES),
    };
    expect(sizeWarning(small)).toBeUndefined();
    const big = { compressedBytes: 1536 * MiB, layers: 7, estimatedPullSeconds: estimatePullSeconds(1536 * MiB) };
    expect(sizeText(big)).toBe("1536 MiB compressed in 7 layers; pull at task start on Fargate ≈ 54.9 s");
    expect(sizeWarning(big)).toMatch(
      /^the image is 1536 MiB compressed .* multi-stage build, RUN --mount=type=cache .* SOCI index/,
    );
  });
});

describe("the compressed size from the registry", () => {
  const ref = parseImageReference("127.0.0.1:5000/team/dask", "image");
  const manifests: Record<string, object> = {
    "dockerfile-1": {
      manifests: [
        { digest: "sha256:amd", platform: { os: "linux", architecture: "amd64" } },
        { digest: "sha256:arm", platform: { os: "linux", architecture: "arm64" } },
      ],
    },
    "sha256:arm": {
      config: { digest: "sha256:c", size: 1000 },
      layers: [
        { digest: "sha256:a", size: 200 * MiB },
        { digest: "sha256:b", size: 100 * MiB },
      ],
    },
  };
  const fetch = async (url: string) => {
    const reference = new URL(url).pathname.split("/manifests/")[1] ?? "";
    const body = manifests[reference];
    return new Response(body ? JSON.stringify(body) : "{}", { status: body ? 200 : 404 });
  };

  test("is the platform's layers and config, as a pull downloads them", async () => {
    expect(await remoteImageSize(ref, "dockerfile-1", "linux/arm64", { fetch })).toEqual({
      compressedBytes: 300 * MiB + 1000,
      layers: 2,
      estimatedPullSeconds: 24,
    });
  });

  test("undefined for a platform the index does not hold; an error for a missing image", async () => {
    manifests["dockerfile-2"] = {
      manifests: [{ digest: "sha256:arm", platform: { os: "linux", architecture: "arm64" } }],
    };
    expect(await remoteImageSize(ref, "dockerfile-2", "linux/amd64", { fetch })).toBeUndefined();
    await expect(remoteImageSize(ref, "dockerfile-9", "linux/amd64", { fetch })).rejects.toThrow(/HTTP 404/);
  });
});
