import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { CancelledError, WaitTimeoutError } from "../src/index.js";
import { createClusterTls, writeTlsFiles } from "../src/internal/tls.js";
import { type Clock, pollUntil } from "../src/internal/wait.js";

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
  // Six RSA key pairs: seconds on a loaded 2-core machine, so not the default 5 s timeout.
}, 60_000);

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
