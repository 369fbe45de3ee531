import { describe, expect, test } from "vitest";
import { isEcrRegistry, parseImageReference } from "../src/index.js";
import { type Fetch, findRemoteManifest, registryBaseUrl } from "../src/registry-client.js";
import { resolveRegistryLogin } from "../src/registry-credentials.js";

describe("image references", () => {
  test.each([
    ["python:3.12", { registry: "docker.io", repository: "library/python", tag: "3.12", digest: undefined }],
    ["ghcr.io/org/dask", { registry: "ghcr.io", repository: "org/dask", tag: undefined, digest: undefined }],
    ["127.0.0.1:5000/a/b:env-1", { registry: "127.0.0.1:5000", repository: "a/b", tag: "env-1", digest: undefined }],
    ["localhost/x", { registry: "localhost", repository: "x", tag: undefined, digest: undefined }],
    [
      `org/dask@sha256:${"a".repeat(64)}`,
      { registry: "docker.io", repository: "org/dask", tag: undefined, digest: `sha256:${"a".repeat(64)}` },
    ],
  ])("%s", (text, expected) => {
    expect(parseImageReference(text, "image")).toEqual(expected);
  });

  test("invalid references name the input", () => {
    expect(() => parseImageReference("Org/Dask", "image")).toThrowErrorMatchingInlineSnapshot(
      `[ImageConfigError: image: "Org/Dask" is not an image reference: repository names use lower-case letters, digits and separators; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask]`,
    );
  });

  test("ECR hosts are recognised", () => {
    expect(isEcrRegistry("123456789012.dkr.ecr.eu-west-1.amazonaws.com")).toBe(true);
    expect(isEcrRegistry("ghcr.io")).toBe(false);
  });

  test("loopback registries use http, others https, Docker Hub its API host", () => {
    expect(registryBaseUrl("127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(registryBaseUrl("ghcr.io")).toBe("https://ghcr.io");
    expect(registryBaseUrl("docker.io")).toBe("https://registry-1.docker.io");
  });
});

describe("manifest lookup with bearer tokens (GHCR and Docker Hub style)", () => {
  const ref = parseImageReference("ghcr.io/org/dask", "image");
  const login = { username: "me", password: "s3cret-token" };

  function tokenRegistry(existing: boolean): { fetch: Fetch; calls: string[] } {
    const calls: string[] = [];
    const fetchImpl: Fetch = async (url, init) => {
      const headers = new Headers(init?.headers);
      calls.push(`${init?.method ?? "GET"} ${url} ${headers.get("authorization")?.split(" ")[0] ?? "-"}`);
      if (url.startsWith("https://ghcr.io/token")) {
        const ok = headers.get("authorization") === `Basic ${Buffer.from("me:s3cret-token").toString("base64")}`;
        return ok ? Response.json({ token: "t0k" }) : new Response("", { status: 401 });
      }
      if (headers.get("authorization") !== "Bearer t0k") {
        return new Response(null, {
          status: 401,
          headers: {
            "www-authenticate":
              'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/dask:pull"',
          },
        });
      }
      return existing
        ? new Response(null, { status: 200, headers: { "docker-content-digest": "sha256:abc" } })
        : new Response(null, { status: 404 });
    };
    return { fetch: fetchImpl, calls };
  }

  test("an existing tag gives its digest after the token dance", async () => {
    const { fetch, calls } = tokenRegistry(true);
    expect(await findRemoteManifest(ref, "env-1", { login, fetch })).toBe("sha256:abc");
    expect(calls).toEqual([
      "HEAD https://ghcr.io/v2/org/dask/manifests/env-1 -",
      "GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aorg%2Fdask%3Apull Basic",
      "HEAD https://ghcr.io/v2/org/dask/manifests/env-1 Bearer",
    ]);
  });

  test("a missing tag is undefined", async () => {
    expect(await findRemoteManifest(ref, "env-2", { login, fetch: tokenRegistry(false).fetch })).toBeUndefined();
  });

  test("a refused login says what to check and hides the password", async () => {
    const error = await findRemoteManifest(ref, "env-1", {
      login: { username: "me", password: "wrong-pass" },
      fetch: tokenRegistry(true).fetch,
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"registry ghcr.io: the token service refused the login (HTTP 401); check the registry username and password or token"`,
    );
    expect((error as Error).message).not.toContain("wrong-pass");
  });
});

describe("ECR login", () => {
  test("decodes the AWS:password token; region from the host", async () => {
    const sent: unknown[] = [];
    const client = {
      send: async (command: unknown) => {
        sent.push(command);
        return { authorizationData: [{ authorizationToken: Buffer.from("AWS:ecr-pass").toString("base64") }] };
      },
    };
    const login = await resolveRegistryLogin("123456789012.dkr.ecr.eu-west-1.amazonaws.com", {
      kind: "ecr",
      client: client as never,
    });
    expect(login).toEqual({ username: "AWS", password: "ecr-pass" });
    expect(sent).toHaveLength(1);
  });

  test("an AWS error is explained", async () => {
    const client = {
      send: async () => {
        throw Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
      },
    };
    const error = await resolveRegistryLogin("123456789012.dkr.ecr.eu-west-1.amazonaws.com", {
      kind: "ecr",
      client: client as never,
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com: ECR GetAuthorizationToken failed (AccessDeniedException: User is not authorized); check the AWS credentials and the ecr:GetAuthorizationToken permission"`,
    );
  });
});
