import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  expectNoSecrets,
  recordFiles,
  recordOutput,
  registerSecretsIn,
} from "@dask-fargate-action/testkit/secret-scan";
import { afterAll } from "vitest";

// The secrets check (issue 14): every file that runs steps fails in afterAll when a secret it handed to a step
// (an input or variable named like a password, secret key or token) or any private key is in the step's
// stdout, stderr, outputs, summary or state, or in a file under its RUNNER_TEMP.
afterAll(expectNoSecrets);

const bundle = (entry: "main" | "post") => fileURLToPath(new URL(`../../dist/${entry}/index.js`, import.meta.url));

/** One step of a job, as the GitHub runner executes a JavaScript action: main, then post in a new process. */
export interface RunnerStep {
  readonly dir: string;
  readonly files: { readonly output: string; readonly state: string; readonly summary: string };
  main(
    inputs: Record<string, string>,
    env?: Record<string, string>,
    onStdout?: (text: string, child: ChildProcess) => void,
  ): Promise<StepResult>;
  post(env?: Record<string, string>): Promise<StepResult>;
  outputs(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

export interface StepResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Parses the runner's file commands (`name<<DELIMITER` … `DELIMITER`, or `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] ?? "");
      values[heredoc[1]] = body.join("\n");
    } else if (line.includes("=")) {
      values[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return values;
}

/**
 * A fresh step: its own GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files and RUNNER_TEMP.
 * `node` is the Node.js binary that runs the bundle (default: the one running the tests); its folder comes
 * first on PATH, as on a runner.
 */
export async function runnerStep(
  baseEnv: Record<string, string>,
  options: { readonly node?: string } = {},
): Promise<RunnerStep> {
  const node = options.node ?? process.execPath;
  const dir = await mkdtemp(join(tmpdir(), "dfa-runner-"));
  const files = { output: join(dir, "output"), state: join(dir, "state"), summary: join(dir, "summary") };
  for (const file of Object.values(files)) await writeFile(file, "");
  const spawnStep = (
    entry: "main" | "post",
    env: Record<string, string>,
    onStdout?: (text: string, child: ChildProcess) => void,
  ) =>
    new Promise<StepResult>((resolve) => {
      const child = spawn(node, [bundle(entry)], {
        env: {
          PATH: options.node ? `${dirname(options.node)}:${process.env["PATH"] ?? ""}` : (process.env["PATH"] ?? ""),
          HOME: process.env["HOME"] ?? "",
          RUNNER_TEMP: dir,
          GITHUB_OUTPUT: files.output,
          GITHUB_STATE: files.state,
          GITHUB_STEP_SUMMARY: files.summary,
          ...baseEnv,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (c: Buffer) => {
        stdout += c.toString();
        onStdout?.(stdout, child);
      });
      child.stderr?.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.on("close", (code) => {
        registerSecretsIn({ ...baseEnv, ...env });
        recordOutput(`${entry} stdout`, stdout);
        recordOutput(`${entry} stderr`, stderr);
        // The cluster's TLS files (tls-*-file outputs) hold the client's key on purpose, for a later step.
        recordFiles(dir, `${entry}: RUNNER_TEMP`, /(^|\/)tls\/(client|member)\/[^/]*key\.pem$/);
        resolve({ code, stdout, stderr });
      });
    });
  return {
    dir,
    files,
    main: (inputs, env = {}, onStdout) => {
      // The runner passes input `some-name` as INPUT_SOME-NAME (spaces become _, hyphens stay).
      const inputEnv = Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v]),
      );
      return spawnStep("main", { ...inputEnv, ...env }, onStdout);
    },
    post: async (env = {}) => {
      // The runner hands the state saved by main to the post step as STATE_<name>.
      const state = parseFileCommands(await readFile(files.state, "utf8"));
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      return spawnStep("post", { ...stateEnv, ...env });
    },
    outputs: async () => parseFileCommands(await readFile(files.output, "utf8")),
    summary: () => readFile(files.summary, "utf8"),
  };
}

/** A workflow command as the runner parses it. */
export interface RunnerCommand {
  readonly command: string;
  readonly data: string;
}

const RUNNER_COMMANDS = [
  "set-output",
  "set-env",
  "add-path",
  "add-mask",
  "save-state",
  "debug",
  "notice",
  "warning",
  "error",
  "group",
  "endgroup",
];
const MORE_COMMANDS = ["add-matcher", "remove-matcher", "echo", "stop-commands"];

/**
 * The workflow commands the GitHub runner acts on in a step's output, modelled on actions/runner
 * (src/Runner.Common/ActionCommand.cs, src/Runner.Worker/ActionCommandManager.cs): lines split at \r and \n;
 * `::name props::data` after leading whitespace, else `##[name props]data` anywhere in the line; between
 * `::stop-commands::TOKEN` and `::TOKEN::` (or `##[TOKEN]`) nothing but the token is acted on.
 */
export function runnerCommands(output: string): RunnerCommand[] {
  const acted: RunnerCommand[] = [];
  let stopToken: string | undefined;
  const registered = (name: string) =>
    [...RUNNER_COMMANDS, ...MORE_COMMANDS].includes(name.toLowerCase()) ||
    (stopToken !== undefined && name.toLowerCase() === stopToken.toLowerCase());
  const parse = (line: string): RunnerCommand | undefined => {
    const trimmed = line.replace(/^[\s\u0085]+/, "");
    if (trimmed.startsWith("::")) {
      const end = trimmed.indexOf("::", 2);
      if (end >= 0) {
        const name = trimmed.slice(2, end).split(" ")[0] ?? "";
        if (registered(name)) return { command: name, data: trimmed.slice(end + 2) };
      }
    }
    const prefix = line.indexOf("##[");
    if (prefix < 0) return undefined;
    const close = line.indexOf("]", prefix);
    if (close < 0) return undefined;
    const name = line.slice(prefix + 3, close).split(" ")[0] ?? "";
    return registered(name) ? { command: name, data: line.slice(close + 1) } : undefined;
  };
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command = parse(line);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.command.toLowerCase() === stopToken.toLowerCase()) {
        acted.push({ command: "resume-commands", data: "" });
        stopToken = undefined;
      }
      continue;
    }
    if (command.command === "stop-commands") stopToken = command.data;
    acted.push(command);
  }
  return acted;
}
