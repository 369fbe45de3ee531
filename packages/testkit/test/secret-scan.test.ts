import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

// The secrets check must be able to fail: a planted secret in output, in a step's files or a private key
// anywhere is found, and the finding names where without printing the value.
const dir = mkdtempSync(join(tmpdir(), "dfa-secret-scan-test-"));
process.env["DFA_SECRET_SCAN_DIR"] = dir;
const scan = await import("../src/secret-scan.js");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the secrets check", () => {
  const planted = "planted-registry-password-0123";
  test("a registered secret printed by a process is found, and the finding does not show it", () => {
    scan.registerSecret(planted, "registry password");
    scan.recordOutput("main stderr", `logging in with ${planted}\n`);
    expect(() => scan.expectNoSecrets()).toThrow(/registry password in main stderr/);
    expect(() => scan.expectNoSecrets()).not.toThrow(new RegExp(planted));
  });
  test("a secret in a step's files (outputs, summary, state) is found by the global teardown's scan", () => {
    const step = mkdtempSync(join(dir, "step-"));
    writeFileSync(join(step, "summary"), `## Run\n${planted}\n`);
    writeFileSync(join(step, "output"), "cluster-id=dfa-1\n");
    scan.recordFiles(step, "step");
    expect(scan.scanLeftFiles(dir)).toContain("registry password in step/summary");
    expect(scan.scanLeftFiles(dir)).not.toContain("registry password in step/output");
  });
  test("a PEM private key is found without being registered (the cluster's TLS keys are made by the tool)", () => {
    expect(scan.findSecrets([{ where: "state", text: "-----BEGIN EC PRIVATE KEY-----\nMHc...\n" }], [])).toEqual([
      "a PEM private key in state",
    ]);
    expect(scan.findSecrets([{ where: "state", text: "-----BEGIN CERTIFICATE-----\n" }], [])).toEqual([]);
  });
  test("names that hold secrets are registered from an environment; values too short to search for are not", () => {
    scan.registerSecretsIn({
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      "INPUT_REGISTRY-PASSWORD": "test",
    });
    expect(scan.findSecrets([{ where: "log", text: "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }], [])).toEqual([]);
    expect(scan.scanLeftFiles(dir).length).toBeGreaterThan(0);
    scan.recordOutput("post stdout", "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    expect(scan.scanLeftFiles(dir)).toContain("AWS_SECRET_ACCESS_KEY in post stdout");
    scan.recordOutput("post stdout", "moto's key is test, and the id AKIAIOSFODNN7EXAMPLE is not a secret");
    expect(scan.scanLeftFiles(dir).filter((f) => f.includes("INPUT_REGISTRY") || f.includes("ACCESS_KEY_ID"))).toEqual(
      [],
    );
  });
  test("an ::add-mask:: line is the runner's way to hide a value, not a leak; the same value elsewhere is", () => {
    const known = [{ kind: "TLS key line", value: "MHcCAQEEIBwXyz0123456789" }];
    expect(
      scan.findSecrets(
        [
          {
            where: "main stdout",
            text: "::add-mask::MHcCAQEEIBwXyz0123456789\n::add-mask::-----BEGIN EC PRIVATE KEY-----\n",
          },
        ],
        known,
      ),
    ).toEqual([]);
    expect(
      scan.findSecrets([{ where: "main stdout", text: "::add-mask::x\nkey MHcCAQEEIBwXyz0123456789\n" }], known),
    ).toEqual(["TLS key line in main stdout"]);
  });
  test("a secret too short to search for is refused", () => {
    expect(() => scan.registerSecret("test", "AWS secret key")).toThrow(/too short/);
  });
});
