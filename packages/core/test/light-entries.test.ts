import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, test } from "vitest";

// Core's light subpaths (./validate, ./settings, ./backend, ./text, ./explain) must not load the AWS SDK or dockerode, and createBackend must load only
// the engine of the backend it made, on its first engine verb. Each case imports core's sources in a fresh Node
// process (tsx) and reports which of those packages were loaded: both are CommonJS, so every file of theirs that
// was loaded is in require.cache, whether reached by import or require. The index case shows the check sees them.
const run = promisify(execFile);
const src = new URL("../src/", import.meta.url).href;

async function loadedBy(script: string): Promise<{ aws: string[]; dockerode: boolean }> {
  const probe = `
    import { createRequire } from "node:module";
    const src = ${JSON.stringify(src)};
    ${script}
    const files = Object.keys(createRequire(import.meta.url).cache);
    const aws = [...new Set(files.map((f) => /node_modules\\/@aws-sdk\\/([^/]+)/.exec(f)?.[1]).filter(Boolean))].sort();
    console.log(JSON.stringify({ aws, dockerode: files.some((f) => f.includes("/node_modules/dockerode/")) }));`;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], {
    cwd: new URL("..", import.meta.url),
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
}

const spec = `(await import(src + "validate.ts")).resolveClusterSpec({ image: "dask:1", clusterId: "c1" })`;
const logger = `{ info() {}, warn() {}, debug() {} }`;

test.each([
  ["validate.ts", `await import(src + "validate.ts");`],
  [
    "settings/index.ts, the table read for both front ends",
    `const { readSettings, actionInputsYaml, cliFlagDocs } = await import(src + "settings/index.ts");
     readSettings({ command: "up", image: "dask:1", region: "eu-west-1" }, { frontEnd: "action" });
     readSettings({ backend: "fargate", region: "eu-west-1", image: "dask:1" }, { frontEnd: "cli", command: "plan" });
     actionInputsYaml();
     cliFlagDocs();`,
  ],
  ["untrusted-text.ts", `(await import(src + "untrusted-text.ts")).neutralizeUntrustedText("::x");`],
  ["explain-error.ts", `(await import(src + "explain-error.ts")).explainError(new Error("x"));`],
  [
    "backend-entry.ts, a docker and a fargate backend validated and planned",
    `const { createBackend } = await import(src + "backend-entry.ts");
     const spec = ${spec};
     for (const backend of [createBackend("docker"), createBackend("fargate", { fargate: { region: "eu-west-1" } })]) {
       backend.validate(spec);
       backend.plan(spec);
     }
     await createBackend("docker").preflight(spec, { logger: ${logger} });`,
  ],
])("%s loads neither the AWS SDK nor dockerode", { timeout: 30_000 }, async (_name, script) => {
  expect(await loadedBy(script)).toEqual({ aws: [], dockerode: false });
});

test("a docker backend's first engine verb loads dockerode and no AWS SDK client", { timeout: 30_000 }, async () => {
  // The verb refuses a handle of the other backend once its engine module is loaded: nothing reaches an engine.
  const script = `const { createBackend } = await import(src + "backend-entry.ts");
    const handle = { backend: "fargate", clusterId: "c1", spec: ${spec} };
    const error = await createBackend("docker").scale(handle, 2, { logger: ${logger} }).catch((e) => e);
    if (!/runs on fargate, not docker/.test(String(error))) throw new Error("unexpected: " + error);`;
  expect(await loadedBy(script)).toEqual({ aws: [], dockerode: true });
});

test("a fargate backend's first engine verb loads the AWS SDK clients and not dockerode", {
  timeout: 30_000,
}, async () => {
  const script = `const { createBackend } = await import(src + "backend-entry.ts");
    // As the docker test: the verb refuses a handle of the other backend once its engine module is loaded.
    const handle = { backend: "docker", clusterId: "c1", spec: ${spec} };
    const error = await createBackend("fargate", { fargate: { region: "eu-west-1" } }).watchMembers(handle, { logger: ${logger} }).catch((e) => e);
    if (!/runs on docker, not fargate/.test(String(error))) throw new Error("unexpected: " + error);`;
  const loaded = await loadedBy(script);
  expect(loaded.dockerode).toBe(false);
  expect(loaded.aws).toContain("client-ecs");
});

test("the index loads both (the check above sees them)", { timeout: 30_000 }, async () => {
  const loaded = await loadedBy(`await import(src + "index.ts");`);
  expect(loaded.dockerode).toBe(true);
  expect(loaded.aws).toEqual(expect.arrayContaining(["client-ec2", "client-ecs", "client-s3", "client-sts"]));
});

test("the package exports the light entries from their built files", () => {
  const { exports } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  expect(exports["./validate"]).toEqual({ types: "./dist/validate.d.ts", import: "./dist/validate.js" });
  expect(exports["./backend"]).toEqual({ types: "./dist/backend-entry.d.ts", import: "./dist/backend-entry.js" });
  expect(exports["./explain"]).toEqual({ types: "./dist/explain-error.d.ts", import: "./dist/explain-error.js" });
});
