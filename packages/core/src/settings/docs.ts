import { flagOf, takes } from "./raw.js";
import { CLI_COMMANDS, type CliCommand, type SettingGroup, type SettingSpec } from "./setting.js";
import { SETTING_NAMES, type SettingName, settingOf } from "./table.js";

/**
 * What the table says to each front end's documentation: action.yml's inputs, the CLI's flags (for parsing and
 * `--help`) and the README's flag table. The action's scripts/action-docs.mjs writes action.yml and README from
 * these; tests in the action and the CLI fail when a generated text differs from the file.
 */

/** An action input as action.yml declares it. */
export interface ActionInputDoc {
  readonly description: string;
  /** The default as action.yml writes it (a boolean's is "false" unless the table says otherwise). */
  readonly default: string | undefined;
}

/** The default a front end shows: the table's, a boolean's false, the CLI's own, or the one it describes. */
function defaultOf(row: SettingSpec): string | undefined {
  return row.default ?? (row.kind === "boolean" ? "false" : undefined);
}

/** The action's inputs, in table order. */
export function actionInputDocs(): [SettingName, ActionInputDoc][] {
  return SETTING_NAMES.filter((name) => takes("action", name)).map((name) => {
    const row = settingOf(name);
    return [name, { description: row.description, default: defaultOf(row) }];
  });
}

/** action.yml's `inputs:` block, as `node packages/action/scripts/action-docs.mjs --write` writes it. */
export function actionInputsYaml(): string {
  const lines = ["inputs:"];
  for (const [name, input] of actionInputDocs()) {
    lines.push(`  ${name}:`, `    description: ${JSON.stringify(input.description)}`, "    required: false");
    if (input.default !== undefined) lines.push(`    default: ${JSON.stringify(input.default)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A CLI flag as the parser and `--help` take it. */
export interface CliFlagDoc {
  readonly setting: SettingName;
  readonly type: "string" | "boolean";
  readonly multiple: boolean;
  readonly short: string | undefined;
  /** The value's placeholder in help (`--workers N`). */
  readonly value: string | undefined;
  readonly help: string;
  /** The default help shows beside the flag. */
  readonly default: string | undefined;
  readonly commands: readonly CliCommand[];
  readonly group: SettingGroup;
  /** Where the flag means something narrower for one command (`default: null`: none shown there). */
  readonly wording: Partial<Record<CliCommand, { readonly help?: string; readonly default?: string | null }>>;
}

/** The CLI's flags by flag name, in table order. */
export function cliFlagDocs(): Map<string, CliFlagDoc> {
  const flags = new Map<string, CliFlagDoc>();
  for (const name of SETTING_NAMES) {
    const row = settingOf(name);
    const cli = row.cli;
    if ("absent" in cli) continue;
    const isBoolean = row.kind === "boolean";
    flags.set(flagOf(name), {
      setting: name,
      type: isBoolean ? "boolean" : "string",
      multiple: cli.repeatable === true,
      short: cli.short,
      value: cli.value,
      help: row.help,
      // A boolean flag's default is not given: the flag turns it on (or, negated, off).
      default: isBoolean ? undefined : (cli.default ?? cli.shownDefault ?? row.default),
      commands: cli.commands,
      group: row.group,
      wording: cli.wording ?? {},
    });
  }
  return flags;
}

const cell = (text: string) =>
  text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");

/**
 * The README's flag table: every flag, the action input of the same setting (or why the action has none), the
 * commands that take it, its default and its help; then the action inputs the CLI lacks, with why.
 */
export function flagsMarkdown(): string {
  const rows = ["| flag | action input | commands | default | what it does |", "| --- | --- | --- | --- | --- |"];
  for (const [flag, doc] of cliFlagDocs()) {
    const action = settingOf(doc.setting).action;
    const input = "absent" in action ? `none: ${action.absent}` : `\`${doc.setting}\``;
    const commands = CLI_COMMANDS.filter((c) => doc.commands.includes(c)).join(", ");
    rows.push(
      `| \`--${flag}\` | ${cell(input)} | ${commands} | ${doc.default === undefined ? "" : cell(doc.default)} | ${cell(doc.help)} |`,
    );
  }
  const onlyAction = SETTING_NAMES.flatMap((name) => {
    const cli = settingOf(name).cli;
    return "absent" in cli ? [`| \`${name}\` | ${cell(cli.absent)} |`] : [];
  });
  return [...rows, "", "| action input without a flag | why |", "| --- | --- |", ...onlyAction].join("\n");
}
