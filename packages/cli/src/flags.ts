import { parseArgs } from "node:util";
import {
  CLI_COMMANDS,
  type CliCommand,
  type CliSettingName,
  cliFlagDocs,
  type SETTINGS,
  type SettingGroup,
} from "@dask-fargate-action/core/settings";

/**
 * Every flag of the CLI, from core's settings table (the action reads the same table for its inputs): parsing,
 * `--help` and the options (options.ts) all come from it. This module imports nothing heavy (no AWS SDK, no Docker
 * client): `--help` and a bad flag are answered before any command module is loaded.
 */
interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string | undefined;
  /** The value's placeholder in help (`--workers N`). */
  readonly value?: string | undefined;
  /** One line or more (joined with "\n"); the default is appended from `default`. */
  readonly help: string;
  /** The default help shows: the table's (core's INPUT_DEFAULTS), the CLI's own, or the one it describes. */
  readonly default?: string | undefined;
  /** Where the flag means something narrower for one command (`default: null`: none shown there). */
  readonly wording?: Partial<Record<CommandName, { readonly help?: string; readonly default?: string | null }>>;
}

type Row<K extends CliSettingName> = (typeof SETTINGS)[K];
/** A setting's flag: its name, unless its row spells the flag otherwise (`no-push`, `secret`, `build-arg`). */
type FlagOf<K extends CliSettingName> = Row<K>["cli"] extends { readonly flag: infer F extends string } ? F : K;
type ValueOf<K extends CliSettingName> = Row<K>["kind"] extends "boolean"
  ? boolean
  : Row<K>["cli"] extends { readonly repeatable: true }
    ? string[] | undefined
    : string | undefined;

/** A flag's name. */
export type FlagName = { [K in CliSettingName]: FlagOf<K> }[CliSettingName] | "help";

/** A command's name. */
export type CommandName = CliCommand;

/** Parsed command-line values (a boolean flag not given is false, any other flag undefined), and the command they are for. */
export type Flags = { readonly [K in CliSettingName as FlagOf<K>]: ValueOf<K> } & {
  readonly help: boolean;
  readonly command: CommandName;
};

const HELP_FLAG: FlagSpec = { type: "boolean", short: "h", help: "this help" };
const TABLE = cliFlagDocs();

/** Every flag, by name: the table's, and --help. */
// The table's flags are exactly FlagName's (both come from SETTINGS; the flags test checks every one parses).
export const FLAGS = Object.fromEntries([...TABLE, ["help", HELP_FLAG]]) as Readonly<Record<FlagName, FlagSpec>>;

const FARGATE_HEADING = "Fargate (--backend fargate; AWS credentials from the default chain)";
/** Where a command's help lists a group of flags under a heading of its own (the rest come first, without one). */
const HEADINGS: Partial<Record<CommandName, Partial<Record<SettingGroup, string>>>> = {
  plan: { fargate: "Fargate (--backend fargate)" },
  up: { fargate: FARGATE_HEADING },
  run: { job: "The job:", fargate: FARGATE_HEADING },
};

function groupsOf(command: CommandName): Readonly<Record<string, readonly FlagName[]>> {
  const groups: Record<string, FlagName[]> = { "": [] };
  for (const [flag, doc] of TABLE) {
    if (!doc.commands.includes(command)) continue;
    const heading = HEADINGS[command]?.[doc.group] ?? "";
    groups[heading] = [...(groups[heading] ?? []), flag as FlagName];
  }
  return groups;
}

/** A command's flags in help order (the table's), grouped under headings ("" for the first group). */
export const COMMAND_FLAGS: Readonly<Record<CommandName, Readonly<Record<string, readonly FlagName[]>>>> =
  Object.fromEntries(CLI_COMMANDS.map((command) => [command, groupsOf(command)])) as Record<
    CommandName,
    Record<string, readonly FlagName[]>
  >;

/** True when `name` is a command. */
export function isCommandName(name: string): name is CommandName {
  return CLI_COMMANDS.some((command) => command === name);
}

/** The flags `command` accepts (always with --help). */
export function flagsOf(command: CommandName): FlagName[] {
  return [...new Set([...Object.values(COMMAND_FLAGS[command]).flat(), "help" as const])];
}

/** Bad command-line usage (exit code 2); thrown before anything else is loaded. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Parses the flags after the command name. A flag the command does not take is an error naming it and the
 * command (`status --workers 5`), and so is a flag no command takes.
 */
export function parseFlags(command: CommandName, argv: readonly string[]): Flags {
  const accepted = flagsOf(command);
  const options = Object.fromEntries(
    accepted.map((name) => {
      const spec: FlagSpec = FLAGS[name];
      return [
        name,
        { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
      ];
    }),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    const name = unknown?.replace(/^--?/, "");
    if (unknown && name && Object.hasOwn(FLAGS, name))
      throw new UsageError(`${command} does not take ${unknown}; see dask-fargate ${command} --help`);
    if (unknown) {
      const near = name ? closest(name, accepted) : undefined;
      throw new UsageError(
        `${command}: unknown flag ${unknown}${near ? ` (did you mean --${near}?)` : ""}; see dask-fargate ${command} --help`,
      );
    }
    throw new UsageError(`${(error as Error).message}; see dask-fargate ${command} --help`);
  }
  const all: Record<string, unknown> = { command };
  for (const [name, spec] of Object.entries(FLAGS))
    all[name] = values[name] ?? (spec.type === "boolean" ? false : undefined);
  return all as Flags;
}

/** The accepted flag nearest to a mistyped one (at most two edits away), for "did you mean". */
function closest(name: string, accepted: readonly string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const flag of accepted) {
    const distance = editDistance(name, flag);
    if (distance <= 2 && (!best || distance < best.distance)) best = { flag, distance };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}
