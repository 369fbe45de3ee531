#!/usr/bin/env node
import { signalOnInterrupt } from "./cancellation.js";
import { build } from "./commands/build.js";
import type { Command } from "./commands/context.js";
import { down } from "./commands/down.js";
import { logs } from "./commands/logs.js";
import { plan } from "./commands/plan.js";
import { reap } from "./commands/reap.js";
import { run } from "./commands/run.js";
import { scale } from "./commands/scale.js";
import { setupRolesCommand } from "./commands/setup-roles.js";
import { status } from "./commands/status.js";
import { up } from "./commands/up.js";
import { exitCodeOf } from "./exit-code.js";
import { HELP } from "./help.js";
import { parseFlags } from "./options.js";
import { terminalLogger } from "./output.js";

const COMMANDS: Record<string, Command> = { build, plan, up, status, scale, run, logs, down, reap, "setup-roles": setupRolesCommand };

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!name || name === "--help" || name === "-h" || !command) {
    const out = command || name === "--help" || name === "-h" ? process.stdout : process.stderr;
    out.write(`${name && !command && name !== "--help" && name !== "-h" ? `unknown command "${name}"\n\n` : ""}${HELP["main"]}\n`);
    return name === "--help" || name === "-h" ? 0 : 2;
  }
  // Some SDKs wait on handles that do not keep Node alive; an explicit timer guarantees the command finishes (and tears down).
  const keepAlive = setInterval(() => {}, 60_000);
  const interrupt = signalOnInterrupt((signal) => process.stderr.write(`\n${signal}: stopping and removing what was created...\n`));
  try {
    const { values } = parseFlags(rest);
    if (values.help) {
      process.stdout.write(`${HELP[name]}\n`);
      return 0;
    }
    const logger = terminalLogger();
    try {
      return await command({ flags: values, logger, signal: interrupt.signal, print: (text) => logger.print(text) });
    } finally {
      logger.done();
    }
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (interrupt.signal.aborted) return 130;
    return exitCodeOf(error);
  } finally {
    clearInterval(keepAlive);
    interrupt.dispose();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
