/**
 * The shape of one row of the settings table (table.ts): what a setting is, which front end takes it under which
 * spelling, for which commands and backends, its default, help and check. Types only; nothing here runs.
 */

/** How a setting's text is read. `list`: comma- or space-separated; `lines`: one entry a line (the CLI repeats the flag). */
export type SettingKind = "text" | "boolean" | "whole number" | "list" | "lines" | "one-of";

/** The two front ends that read the table. */
export type FrontEnd = "action" | "cli";

/** The action's commands (its `command` input). */
export const ACTION_COMMANDS = ["build", "up", "run", "down", "reap"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The CLI's commands (its first argument), in the order its help lists them. */
export const CLI_COMMANDS = [
  "build",
  "plan",
  "up",
  "status",
  "scale",
  "run",
  "logs",
  "down",
  "reap",
  "setup-roles",
] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

/** Any front end's command: what the reader's command-dependent rules look at. */
export type SettingsCommand = ActionCommand | CliCommand;

/** Where the help of a command lists a setting; a CLI command's help puts `job` and `fargate` under headings. */
export type SettingGroup = "image" | "cluster" | "job" | "fargate" | "reap" | "setup" | "output";

/** How the CLI takes a setting. */
export interface CliSpelling {
  readonly commands: readonly CliCommand[];
  /** The flag's name where it is not the setting's (`no-push` for `push`, `secret` for `secrets`). */
  readonly flag?: string;
  /** `--flag` given alone means false (`--no-push`, `--no-tls`). */
  readonly negated?: true;
  /** The flag is repeated for a `lines` (or `list`) setting the action takes as one multi-line input. */
  readonly repeatable?: true;
  /** The value's placeholder in help (`--workers N`). */
  readonly value?: string;
  readonly short?: string;
  /** The CLI's own default where it differs from the action's (applied: `backend` is docker on the command line). */
  readonly default?: string;
  /** A default help describes but the reader does not apply (computed later: the default VPC's subnets, a new id). */
  readonly shownDefault?: string;
  /** Where the flag means something narrower for one command: its help there, and its default (`null`: none shown). */
  readonly wording?: Partial<Record<CliCommand, { readonly help?: string; readonly default?: string | null }>>;
}

/** How the action takes a setting. */
export interface ActionSpelling {
  readonly commands: readonly ActionCommand[];
}

/** A front end that does not take the setting, and why. */
export interface Absent {
  readonly absent: string;
}

/** One setting. The row's key is its name: the action input's name, and the CLI's flag unless `cli.flag` says otherwise. */
export interface SettingSpec {
  readonly kind: SettingKind;
  /** For `one-of`: the accepted values. */
  readonly values?: readonly string[];
  /** The default as a user writes it (from core's INPUT_DEFAULTS), shown in help and action.yml. */
  readonly default?: string;
  /**
   * `applied`: the settings reader fills the default in. `spec`: the default is the cluster or Fargate spec's
   * (resolveClusterSpec/resolveFargateSpec apply it from DEFAULTS), and the reader passes the setting on only when
   * it is given.
   */
  readonly defaultIs?: "applied" | "spec";
  readonly unit?: string;
  readonly group: SettingGroup;
  /** The backends that use it; absent: both. */
  readonly backends?: readonly ("docker" | "fargate")[];
  /** The CLI's `--help` text for it (a line, or lines joined with "\n"); the default is appended from the row. */
  readonly help: string;
  /** The action.yml description: when it is needed first (Required/Optional), then what it does. */
  readonly description: string;
  /** Who checks the value: the reader (`reader`), or a spec resolver once the run starts resolving (`cluster spec`, `Fargate spec`). */
  readonly checkedBy: "reader" | "cluster spec" | "Fargate spec" | "command";
  readonly action: ActionSpelling | Absent;
  readonly cli: CliSpelling | Absent;
}
