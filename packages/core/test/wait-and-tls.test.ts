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
  expect((error as Error).message).toMatchInlineSnapshot(`"timed out after 10 s waiting for 3 workers to register; last seen: 2/3 registered"`);
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
    pollUntil({ waitingFor: "x", timeoutSeconds: 10, signal: controller.signal, check: async () => ({ done: false, seen: "" }) }),
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

test("per-cluster TLS: both certificates chain to the cluster CA, for client and server use", () => {
  const tls = createClusterTls("c1", 3600);
  const ca = new X509Certificate(tls.member.ca);
  expect(ca.ca).toBe(true);
  for (const identity of [tls.member, tls.client]) {
    const cert = new X509Certificate(identity.cert);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
    expect(cert.checkPrivateKey(createPrivateKey(identity.key))).toBe(true);
  }
  const other = createClusterTls("c2", 3600);
  expect(new X509Certificate(other.client.cert).verify(ca.publicKey)).toBe(false);
});

test("per-cluster TLS: OpenSSL accepts the chain in strict mode (as Python 3.13's default context checks it), for its purposes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
  try {
    const tls = createClusterTls("c1", 3600);
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
    const stranger = await writeTlsFiles(join(dir, "stranger"), createClusterTls("c2", 3600).client);
    expect(await verify("sslclient", { ca: stranger.ca, cert: client.cert })).toMatch(/unable to get local issuer certificate/);
    const text = await run("openssl", ["x509", "-noout", "-text", "-in", member.cert]);
    expect(text.stdout).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text.stdout).toMatch(/X509v3 Authority Key Identifier/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("per-cluster TLS takes milliseconds, not the third of a second of CPU that RSA key pairs took on every start", () => {
  const started = performance.now();
  for (let i = 0; i < 5; i++) createClusterTls(`c${i}`, 3600);
  // Five clusters' worth (fifteen key pairs, fifteen signatures): generous for a loaded machine, far below RSA's cost.
  expect(performance.now() - started).toBeLessThan(1000);
});

test("client TLS files are written 0600 in a 0700 directory", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
  try {
    const files = await writeTlsFiles(join(dir, "tls"), createClusterTls("c1", 3600).client);
    for (const path of Object.values(files)) expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "tls"))).mode & 0o777).toBe(0o700);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
