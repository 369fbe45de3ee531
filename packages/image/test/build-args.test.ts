import { describe, expect, test } from "vitest";
import { buildImage, ensureImage, renderBuildContext } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";

// The engine's builder records build-arg values in the image history (`docker history` shows
// `|1 PIP_INDEX_URL=… /bin/sh -c …` for every RUN after the ARG), so credentials in them would ship with the image.
describe("build args with credentials in a URL are refused before anything runs", () => {
  const secret = "s3cr3t-T0KEN";
  const buildArgs = { PIP_INDEX_URL: `https://user:${secret}@pypi.example.com/simple` };

  test("ensureImage", async () => {
    const error = await ensureImage({ environmentFile: "does-not-matter.yml", buildArgs }).catch((e: unknown) => e);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"build-args: the value of PIP_INDEX_URL ("https://***@pypi.example.com/simple") has credentials in its URL, and the engine records build-arg values in the image history (docker history shows them), so they would ship with the image; use an index or mirror whose URL needs no credentials"`,
    );
    expect((error as Error).message).not.toContain(secret);
  });

  test("buildImage never reaches the engine", async () => {
    const context = renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"), {
      buildArgNames: ["PIP_INDEX_URL"],
    });
    const docker = new Proxy({}, { get: () => expect.unreachable("the engine was called") }) as never;
    const error = await buildImage({ docker, context, tags: ["x:1"], buildArgs }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain(secret);
    expect((error as Error).name).toBe("ImageConfigError");
  });

  test("values without credentials pass", async () => {
    const error = await ensureImage({
      environmentFile: "does-not-exist.yml",
      buildArgs: { PIP_INDEX_URL: "https://pypi.example.com/simple" },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^environment-file: cannot read/);
  });
});
