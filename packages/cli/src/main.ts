#!/usr/bin/env node
import type { Command } from "./commands/command.js";
import { type CommandName, isCommandName, parseFlags, UsageError } from "./flags.js";
import { HELP } from "./help.js";

/**
 * Each command's module, loaded only when that command runs: the AWS SDK and the Docker client take most of
 * a second to load, and `--help` or a bad flag needs neither.
 */
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  build: async () => (await import("./commands/build.js")).build,
  plan: async () => (await import("./commands/plan.js")).plan,
  up: async () => (await import("./commands/up.js")).up,
  status: async () => (await import("./commands/status.js")).status,
  scale: async () => (await import("./commands/scale.js")).scale,
  run: async () => (await import("./commands/run.js")).run,
  logs: async () => (await import("./commands/logs.js")).logs,
  down: async () => (await import("./commands/down.js")).down,
  reap: async () => (await import("./commands/reap.js")).reap,
  "setup-roles": async () => (await import("./commands/setup-roles.js")).setupRolesCommand,
};

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h") {
    process.stdout.write(`${HELP.main}\n`);
    return 0;
  }
  if (!name || !isCommandName(name)) {
    process.stderr.write(`${name ? `unknown command "${name}"\n\n` : ""}${HELP.main}\n`);
    return 2;
  }
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(name, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${HELP[name]}\n`);
    return 0;
  }
  return runCommand(name, flags);
}

async function runCommand(name: CommandName, flags: ReturnType<typeof parseFlags>): Promise<number> {
  // Some SDKs wait on handles that do not keep Node alive; an explicit timer guarantees the command finishes (and tears down).
  const keepAlive = setInterval(() => {}, 60_000);
  const { signalOnInterrupt } = await import("./cancellation.js");
  const interrupt = signalOnInterrupt((signal) =>
    process.stderr.write(`\n${signal}: stopping and removing what was created...\n`),
  );
  try {
    const [command, { terminalLogger }] = await Promise.all([COMMANDS[name](), import("./output.js")]);
    const logger = terminalLogger();
    try {
      return await command({ flags, logger, signal: interrupt.signal, print: (text) => logger.print(text) });
    } finally {
      logger.done();
    }
  } catch (error) {
    // An error can quote remote text (a container's last lines, an AWS message): printed as safely as the rest.
    // A bare `connect ECONNREFUSED …` names neither the service nor the fix: the engine, the AWS endpoint and
    // credentials get a message that does.
    const [{ neutralizeUntrustedText }, { explainError }] = await Promise.all([
      import("@dask-fargate-action/core/text"),
      import("@dask-fargate-action/core/explain"),
    ]);
    const raw = error instanceof Error ? error.message : String(error);
    const explained = explainError(error);
    const message = explained && !raw.includes(explained) ? explained : raw;
    process.stderr.write(`error: ${neutralizeUntrustedText(message)}\n`);
    if (interrupt.signal.aborted) return 130;
    const { exitCodeOf } = await import("./exit-code.js");
    return exitCodeOf(error);
  } finally {
    clearInterval(keepAlive);
    interrupt.dispose();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
