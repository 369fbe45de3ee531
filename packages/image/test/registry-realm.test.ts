import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { parseImageReference } from "../src/index.js";
import { type Fetch, findRemoteManifest, registryGet } from "../src/registry-client.js";

// Where the registry client sends Basic credentials when a registry answers 401 with a Bearer challenge: to the token
// realm only over https, or over plain http on the host of a registry that was itself reached over http. Real HTTP
// servers on loopback (127.0.0.1 and 127.0.0.2 are different hosts): what each one received is what went on the wire.
const login = { username: "me", password: "s3cret-token" };
const basic = `Basic ${Buffer.from("me:s3cret-token").toString("base64")}`;
const servers: Server[] = [];

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
}

async function listen(
  host: string,
  answer: (req: IncomingMessage, seen: Seen[]) => { status: number; headers?: Record<string, string>; body?: string },
) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
    const { status, headers, body } = answer(req, seen);
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  servers.push(server);
  return { seen, base: `http://${host}:${(server.address() as AddressInfo).port}` };
}

/** A token service that grants "t0k" to the right Basic credentials. */
const tokenService = (host: string) =>
  listen(host, (req) =>
    req.headers.authorization === basic
      ? { status: 200, headers: { "content-type": "application/json" }, body: '{"token":"t0k"}' }
      : { status: 401 },
  );

/** A registry on 127.0.0.1 whose challenge names `realm`; it serves the manifest to the token "t0k". */
const registry = (realm: () => string) =>
  listen("127.0.0.1", (req) =>
    req.headers.authorization === "Bearer t0k"
      ? { status: 200, headers: { "docker-content-digest": "sha256:abc" } }
      : {
          status: 401,
          headers: {
            "www-authenticate": `Bearer realm="${realm()}",service="registry",scope="repository:org/dask:pull"`,
          },
        },
  );

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

describe("token realms", () => {
  test("a plain-http realm on another host gets no credentials: the lookup is refused, naming the realm", async () => {
    const evil = await tokenService("127.0.0.2");
    const reg = await registry(() => `${evil.base}/token`);
    const ref = parseImageReference(`${new URL(reg.base).host}/org/dask`, "image");
    const error = await findRemoteManifest(ref, "env-1", { login }).catch((e: Error) => e);
    expect((error as Error).message.replace(/:\d+/g, ":PORT")).toMatchInlineSnapshot(
      `"registry 127.0.0.1:PORT: the registry sent its token realm as http://127.0.0.2:PORT/token, and the registry credentials are not sent there: a token realm must be https (or plain http on the registry's own host when the registry itself is reached over http). Check the registry address, or a proxy answering in its place"`,
    );
    expect((error as Error).message).not.toContain("s3cret-token");
    expect(evil.seen).toEqual([]);
    // registryGet (pushes and manifest reads) takes the same path.
    expect(
      await registryGet(ref, "/v2/org/dask/manifests/env-1", "*/*", { login }).catch((e: Error) => e.message),
    ).toContain("token realm as http://127.0.0.2");
    expect(evil.seen).toEqual([]);
  });

  test("a plain-http realm on the host of a registry reached over http gets them (a loopback registry with its token service)", async () => {
    const tokens = await tokenService("127.0.0.1");
    const reg = await registry(() => `${tokens.base}/token`);
    const ref = parseImageReference(`${new URL(reg.base).host}/org/dask`, "image");
    expect(await findRemoteManifest(ref, "env-1", { login })).toBe("sha256:abc");
    expect(tokens.seen).toEqual([
      { path: "/token?service=registry&scope=repository%3Aorg%2Fdask%3Apull", authorization: basic },
    ]);
  });

  test("without a login an http realm on another host is asked anonymously", async () => {
    const anonymous = await listen("127.0.0.2", () => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"token":"t0k"}',
    }));
    const reg = await registry(() => `${anonymous.base}/token`);
    const ref = parseImageReference(`${new URL(reg.base).host}/org/dask`, "image");
    expect(await findRemoteManifest(ref, "env-1")).toBe("sha256:abc");
    expect(anonymous.seen).toEqual([
      { path: "/token?service=registry&scope=repository%3Aorg%2Fdask%3Apull", authorization: undefined },
    ]);
  });

  test("a registry reached over https may not send the credentials to a plain-http realm, even on its own host", async () => {
    const calls: string[] = [];
    const fetchImpl: Fetch = async (url, init) => {
      calls.push(`${url} ${new Headers(init?.headers).get("authorization") ?? "-"}`);
      return new Response(null, {
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="http://ghcr.io/token",service="ghcr.io"' },
      });
    };
    const error = await findRemoteManifest(parseImageReference("ghcr.io/org/dask", "image"), "env-1", {
      login,
      fetch: fetchImpl,
    }).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      "token realm as http://ghcr.io/token, and the registry credentials are not sent there",
    );
    expect(calls).toEqual(["https://ghcr.io/v2/org/dask/manifests/env-1 -"]);
  });

  test("a realm that is not a URL is named in the error", async () => {
    const reg = await registry(() => "not a url");
    const ref = parseImageReference(`${new URL(reg.base).host}/org/dask`, "image");
    expect(await findRemoteManifest(ref, "env-1", { login }).catch((e: Error) => e.message)).toContain(
      `the bearer challenge's token realm "not a url" is not a URL`,
    );
  });
});
