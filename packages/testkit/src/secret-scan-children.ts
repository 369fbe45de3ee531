import childProcess, { type ChildProcess } from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { promisify } from "node:util";
import { expect } from "vitest";
import { recordOutput, registerSecretsIn } from "./secret-scan.js";

/**
 * The secrets check (secret-scan.ts) for suites whose tests spawn the code under test (the CLI's): a vitest setup
 * file, beside secret-scan-setup.ts, so every test file of the suite is covered without recording anything
 * itself. It wraps `spawn` and `execFile` of node:child_process (the ES module exports too, through
 * syncBuiltinESMExports) before the test file is imported: what every child process prints (stdout and stderr) is
 * recorded when it closes, and secret-looking variables of its environment are registered.
 */

const testFile = expect.getState().testPath ?? "a test file";

function watch(child: ChildProcess, command: string, env: NodeJS.ProcessEnv | undefined): ChildProcess {
  if (env) registerSecretsIn(env);
  let printed = "";
  const keep = (chunk: unknown) => {
    printed += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("latin1");
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("close", () => recordOutput(`${testFile}: ${command} printed`, printed));
  return child;
}

type Options = { env?: NodeJS.ProcessEnv } | undefined;
const optionsOf = (args: readonly unknown[]): Options =>
  args.find(
    (a): a is { env?: NodeJS.ProcessEnv } => typeof a === "object" && a !== null && !Array.isArray(a),
  ) as Options;
const commandOf = (file: unknown, args: readonly unknown[]) =>
  [String(file), ...((args.find((a) => Array.isArray(a)) as unknown[] | undefined) ?? []).map(String)]
    .join(" ")
    .slice(0, 200);

const originalSpawn = childProcess.spawn;
const originalExecFile = childProcess.execFile;

const spawn = ((file: string, ...rest: unknown[]) =>
  watch(
    (originalSpawn as (...a: unknown[]) => ChildProcess)(file, ...rest),
    commandOf(file, rest),
    optionsOf(rest)?.env ?? process.env,
  )) as typeof childProcess.spawn;

const execFile = ((file: string, ...rest: unknown[]) =>
  watch(
    (originalExecFile as (...a: unknown[]) => ChildProcess)(file, ...rest),
    commandOf(file, rest),
    optionsOf(rest)?.env ?? process.env,
  )) as typeof childProcess.execFile;
// promisify(execFile) resolves { stdout, stderr } like Node's own (its promisify.custom), through the wrapper.
Object.defineProperty(execFile, promisify.custom, {
  value: (file: string, ...rest: unknown[]) => {
    let child: ChildProcess | undefined;
    const promise = new Promise((resolve, reject) => {
      child = (execFile as (...a: unknown[]) => ChildProcess)(
        file,
        ...rest,
        (error: Error | null, stdout: unknown, stderr: unknown) => {
          if (error) reject(Object.assign(error, { stdout, stderr }));
          else resolve({ stdout, stderr });
        },
      );
    });
    return Object.assign(promise, { child });
  },
});

childProcess.spawn = spawn;
childProcess.execFile = execFile;
syncBuiltinESMExports();
