import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The secrets check over the integration tests (issue 14). Tests (or their process helpers) register every
 * secret they hand to the code under test — registry passwords, AWS secret keys, tokens — and record what
 * the processes they spawn print and the files they write (outputs, summaries, state files). A finding is
 * a registered secret, or any PEM private key, in any of them. Each test file asserts in afterAll
 * ({@link expectNoSecrets}); the global teardown ({@link scanLeftFiles}) scans the whole run's records
 * again, so a test that forgot its afterAll still fails the suite. Everything lives in one directory per
 * run, {@link SECRET_SCAN_DIR}. Findings name the secret's kind and where, never its value.
 */

/** Where registrations and captured text are kept for the global teardown (set by the global setup). */
export const SECRET_SCAN_DIR = process.env["DFA_SECRET_SCAN_DIR"] ?? join(tmpdir(), `dfa-secret-scan-${process.ppid}`);
/** Secrets shorter than this are refused: a short value (e.g. moto's "test") would match everywhere and prove nothing. */
export const MIN_SECRET_LENGTH = 10;
/** Private keys the tool generates itself (the cluster's TLS keys) are not known to the tests: any PEM private key is a finding. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

interface Secret {
  readonly kind: string;
  readonly value: string;
}

const secrets = new Map<string, Secret>();
const captured: { readonly where: string; readonly text: string }[] = [];

function scanDir(sub: string): string {
  const dir = join(SECRET_SCAN_DIR, sub);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Registers a secret the test gives to the code under test; `kind` names it in findings (e.g. "registry password"). */
export function registerSecret(value: string, kind: string): void {
  if (value.length < MIN_SECRET_LENGTH)
    throw new Error(
      `registerSecret: a ${kind} of ${value.length} characters is too short to search for; use at least ${MIN_SECRET_LENGTH}`,
    );
  if (secrets.has(value)) return;
  secrets.set(value, { kind, value });
  appendFileSync(join(scanDir("registered"), `${process.pid}.jsonl`), `${JSON.stringify({ kind, value })}\n`, {
    mode: 0o600,
  });
}

/**
 * Registers what looks like a secret among a process's inputs or environment: names with PASSWORD, SECRET,
 * TOKEN or PRIVATE_KEY (INPUT_REGISTRY-PASSWORD, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, …). Values too short
 * to search for (moto's "test") are skipped.
 */
export function registerSecretsIn(values: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value && value.length >= MIN_SECRET_LENGTH && /PASSWORD|SECRET|TOKEN|PRIVATE.?KEY/i.test(name))
      registerSecret(value, name);
  }
}

let capturedCount = 0;
/** Records text a spawned process printed or a file the test run wrote; `where` names it in findings. */
export function recordOutput(where: string, text: string): void {
  if (text === "") return;
  captured.push({ where, text });
  capturedCount += 1;
  writeFileSync(join(scanDir("captured"), `${process.pid}-${capturedCount}.txt`), `${where}\n${text}`, { mode: 0o600 });
}

/**
 * Records every file under `dir` (a step's temp directory, a state directory), recursively, except paths
 * matching `exclude` (files whose purpose is to hold a key, such as the cluster's TLS files for the next step).
 */
export function recordFiles(dir: string, label = dir, exclude?: RegExp): void {
  for (const path of filesUnder(dir)) {
    const name = path.slice(dir.length + 1);
    if (!exclude?.test(name)) recordOutput(`${label}/${name}`, readFileSync(path, "latin1"));
  }
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return names.map((n) => join(dir, n)).filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true);
}

/** The findings in `texts` for `known` secrets: "KIND in WHERE", never the value. */
export function findSecrets(
  texts: readonly { readonly where: string; readonly text: string }[],
  known: Iterable<Secret>,
): string[] {
  const all = [...known];
  const findings: string[] = [];
  for (const { where, text: raw } of texts) {
    // `::add-mask::VALUE` lines are how an action hides a value: the runner consumes them and shows them to no one.
    const text = raw
      .split("\n")
      .filter((line) => !line.startsWith("::add-mask::"))
      .join("\n");
    for (const secret of all) if (text.includes(secret.value)) findings.push(`${secret.kind} in ${where}`);
    if (PEM_PRIVATE_KEY.test(text)) findings.push(`a PEM private key in ${where}`);
  }
  return findings;
}

/** Fails (throws) when this test file's captured text holds a registered secret or a private key. For afterAll. */
export function expectNoSecrets(): void {
  const findings = findSecrets(captured, secrets.values());
  if (findings.length > 0)
    throw new Error(`secrets leaked into test output (values not shown):\n  ${findings.join("\n  ")}`);
}

/** The global teardown's scan: everything recorded by every test process of the run, against every registered secret. */
export function scanLeftFiles(dir = SECRET_SCAN_DIR): string[] {
  const known: Secret[] = [];
  for (const path of filesUnder(join(dir, "registered")))
    for (const line of readFileSync(path, "utf8").split("\n")) if (line) known.push(JSON.parse(line) as Secret);
  const texts = filesUnder(join(dir, "captured")).map((path) => {
    const text = readFileSync(path, "latin1");
    const newline = text.indexOf("\n");
    return { where: text.slice(0, newline), text: text.slice(newline + 1) };
  });
  return findSecrets(texts, known);
}
