import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { CancelledError, WaitTimeoutError } from "../src/index.js";
import { createClusterTls, writeTlsFiles } from "../src/internal/tls.js";
import { type Clock, pollUntil, systemClock } from "../src/internal/wait.js";

const run = promisify(execFile);

/** A clock whose sleep advances time instantly. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

test("a wait that never finishes times out saying what it waited for and what it saw last", async () => {
  const clock = fakeClock();
  let n = 0;
  const error = await pollUntil({
    waitingFor: "3 workers to register",
    timeoutSeconds: 10,
    clock,
    check: async () => ({ done: false, seen: `${Math.min(++n, 2)}/3 registered` }),
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaitTimeoutError);
  expect((error as Error).message).toMatchInlineSnapshot(
    `"timed out after 10 s waiting for 3 workers to register; last seen: 2/3 registered"`,
  );
  expect(Math.max(...clock.slept)).toBeLessThanOrEqual(2000);
});

test("progress is reported when what is seen changes, and the value is returned", async () => {
  const seen: string[] = [];
  let n = 0;
  const value = await pollUntil({
    waitingFor: "x",
    timeoutSeconds: 10,
    clock: fakeClock(),
    onProgress: (s) => seen.push(s),
    check: async () => (++n >= 4 ? { done: true, value: n } : { done: false, seen: n < 3 ? "starting" : "almost" }),
  });
  expect(value).toBe(4);
  expect(seen).toEqual(["starting", "almost"]);
});

test("an aborted signal stops the wait", async () => {
  const controller = new AbortController();
  controller.abort();
  await expect(
    pollUntil({
      waitingFor: "x",
      timeoutSeconds: 10,
      signal: controller.signal,
      check: async () => ({ done: false, seen: "" }),
    }),
  ).rejects.toBeInstanceOf(CancelledError);
});

test("a wake-up ends the delay at once: the next look follows it, not the backoff", async () => {
  let wake = () => {};
  const looks: number[] = [];
  const started = Date.now();
  const value = await pollUntil({
    waitingFor: "2 workers to register",
    timeoutSeconds: 30,
    // Real timers: the first delay is 10 s, far past the wait's end if the wake-up did not cut it short.
    clock: systemClock,
    delayMs: 10_000,
    wakeUps: (w) => {
      wake = w;
    },
    check: async () => {
      looks.push(Date.now() - started);
      if (looks.length === 1) setTimeout(() => wake(), 50);
      return looks.length >= 2 ? { done: true, value: "registered" } : { done: false, seen: "1/2 registered" };
    },
  });
  expect(value).toBe("registered");
  expect(looks).toHaveLength(2);
  expect(looks[1]).toBeLessThan(5000);
});

test("a wake-up during a look makes the next look come without a delay; the caller's abort still cancels", async () => {
  const clock = fakeClock();
  let wake = () => {};
  let n = 0;
  await pollUntil({
    waitingFor: "x",
    timeoutSeconds: 10,
    clock,
    wakeUps: (w) => {
      wake = w;
    },
    check: async () => {
      if (++n === 2) wake();
      return n >= 4 ? { done: true, value: n } : { done: false, seen: "" };
    },
  });
  // Looks 1→2 and 3→4 waited; the wake-up during look 2 made look 3 follow at once (the backoff counts looks).
  expect(clock.slept).toEqual([250, 1000]);

  const controller = new AbortController();
  const waiting = pollUntil({
    waitingFor: "x",
    timeoutSeconds: 30,
    clock: systemClock,
    delayMs: 10_000,
    signal: controller.signal,
    wakeUps: () => {},
    check: async () => ({ done: false, seen: "" }),
  });
  setTimeout(() => controller.abort(), 50);
  await expect(waiting).rejects.toBeInstanceOf(CancelledError);
});

test("per-cluster TLS: both certificates chain to the cluster CA, for client and server use", async () => {
  const now = new Date("2026-11-26T12:00:00Z");
  const tls = await createClusterTls("c1", 3600, now);
  const ca = new X509Certificate(tls.member.ca);
  expect(ca.ca).toBe(true);
  expect(tls.client.ca).toBe(tls.member.ca);
  expect(ca.subject).toBe("CN=dask-fargate-action c1 CA");
  for (const identity of [tls.member, tls.client]) {
    const cert = new X509Certificate(identity.cert);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
    expect(cert.checkPrivateKey(createPrivateKey(identity.key))).toBe(true);
    expect(identity.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/); // PKCS#8, as Python's ssl load_cert_chain reads it
    expect(cert.issuer).toBe(ca.subject);
    // Valid from five minutes before the start to an hour past the cluster's lifetime.
    expect([new Date(cert.validFrom).toISOString(), new Date(cert.validTo).toISOString()]).toEqual([
      "2026-11-26T11:55:00.000Z",
      "2026-11-26T14:00:00.000Z",
    ]);
  }
  expect(new X509Certificate(tls.member.cert).subject).toBe("CN=dask-fargate-action c1 member");
  expect(new X509Certificate(tls.client.cert).subject).toBe("CN=dask-fargate-action c1 client");
  const other = await createClusterTls("c2", 3600);
  expect(new X509Certificate(other.client.cert).verify(ca.publicKey)).toBe(false);
});

test("per-cluster TLS: OpenSSL accepts the chain in strict mode (as Python 3.13's default context checks it), for its purposes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
  try {
    const tls = await createClusterTls("c1", 3600);
    const member = await writeTlsFiles(join(dir, "member"), tls.member);
    const client = await writeTlsFiles(join(dir, "client"), tls.client);
    const verify = (purpose: string, files: { ca: string; cert: string }) =>
      run("openssl", ["verify", "-x509_strict", "-purpose", purpose, "-CAfile", files.ca, files.cert]).then(
        (r) => r.stdout.trim(),
        (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ""}${e.stderr ?? ""}`.trim(),
      );
    expect(await verify("sslserver", member)).toBe(`${member.cert}: OK`);
    expect(await verify("sslclient", member)).toBe(`${member.cert}: OK`);
    expect(await verify("sslclient", client)).toBe(`${client.cert}: OK`);
    // The check can fail: another cluster's CA does not vouch for this certificate.
    const stranger = await writeTlsFiles(join(dir, "stranger"), (await createClusterTls("c2", 3600)).client);
    expect(await verify("sslclient", { ca: stranger.ca, cert: client.cert })).toMatch(
      /unable to get local issuer certificate/,
    );
    const text = await run("openssl", ["x509", "-noout", "-text", "-in", member.cert]);
    expect(text.stdout).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text.stdout).toMatch(/X509v3 Authority Key Identifier/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Python's ssl as Dask's Security sets it up (create_default_context for the peer's purpose with the cluster CA,
 * CERT_REQUIRED, no host name check, the identity's chain), with Python 3.13's strict flags turned on explicitly.
 * A member serves; a member (a worker) or the client connects; each side checks the other's certificate.
 */
const HANDSHAKE = `
import socket, ssl, sys, threading
def context(purpose, ca, cert, key):
    ctx = ssl.create_default_context(purpose, cafile=ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.check_hostname = False
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    ctx.load_cert_chain(cert, key)
    return ctx
server_ctx = context(ssl.Purpose.CLIENT_AUTH, *sys.argv[1:4])
client_ctx = context(ssl.Purpose.SERVER_AUTH, *sys.argv[4:7])
a, b = socket.socketpair()
a.settimeout(10); b.settimeout(10)
seen = {}
def serve():
    try:
        with server_ctx.wrap_socket(a, server_side=True) as s:
            seen["server saw"] = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
    except Exception as e:
        seen["server error"] = str(e)
t = threading.Thread(target=serve); t.start()
try:
    with client_ctx.wrap_socket(b) as c:
        c.recv(1)
        seen["client saw"] = dict(x[0] for x in c.getpeercert()["subject"])["commonName"]
except Exception as e:
    seen["client error"] = str(e)
t.join()
print(sorted(seen.items()))
`;

test("per-cluster TLS: Python's ssl in strict mode completes mutual TLS between members and from the client", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
  try {
    const tls = await createClusterTls("c1", 3600);
    const member = await writeTlsFiles(join(dir, "member"), tls.member);
    const client = await writeTlsFiles(join(dir, "client"), tls.client);
    const stranger = await writeTlsFiles(join(dir, "stranger"), (await createClusterTls("c2", 3600)).client);
    const handshake = async (server: typeof member, peer: typeof member) =>
      (
        await run("/usr/bin/python3", [
          "-c",
          HANDSHAKE,
          server.ca,
          server.cert,
          server.key,
          peer.ca,
          peer.cert,
          peer.key,
        ])
      ).stdout.trim();
    const strict = await run("/usr/bin/python3", ["-c", "import ssl; print(ssl.VERIFY_X509_STRICT != 0)"]);
    expect(strict.stdout.trim()).toBe("True");
    expect(await handshake(member, member)).toBe(
      "[('client saw', 'dask-fargate-action c1 member'), ('server saw', 'dask-fargate-action c1 member')]",
    );
    expect(await handshake(member, client)).toBe(
      "[('client saw', 'dask-fargate-action c1 member'), ('server saw', 'dask-fargate-action c1 client')]",
    );
    // The checks can fail. The member refuses a certificate from another cluster's CA, even from a peer that trusts this one;
    // a peer that trusts only the other CA refuses the member.
    expect(await handshake(member, { ...stranger, ca: member.ca })).toMatch(
      /\('server error', '\[SSL: CERTIFICATE_VERIFY_FAILED\]/,
    );
    expect(await handshake(member, stranger)).toMatch(/\('client error', '\[SSL: CERTIFICATE_VERIFY_FAILED\]/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("per-cluster TLS takes milliseconds, not the third of a second of CPU that RSA key pairs took on every start", async () => {
  const started = performance.now();
  for (let i = 0; i < 5; i++) await createClusterTls(`c${i}`, 3600);
  // Five clusters' worth (fifteen key pairs, fifteen signatures): generous for a loaded machine, far below RSA's cost.
  expect(performance.now() - started).toBeLessThan(1000);
});

test("client TLS files are written 0600 in a 0700 directory", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
  try {
    const files = await writeTlsFiles(join(dir, "tls"), (await createClusterTls("c1", 3600)).client);
    for (const path of Object.values(files)) expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "tls"))).mode & 0o777).toBe(0o700);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
