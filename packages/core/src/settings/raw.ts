import { ClusterConfigError, InputError } from "../errors.js";
import type { FrontEnd, SettingSpec } from "./setting.js";
import { type ActionInputName, SETTING_NAMES, type SettingName, settingOf } from "./table.js";

/** A setting as a front end got it: the action's input text, or the CLI's parsed flag (a boolean, a repeated flag's values). */
export type RawValue = string | boolean | readonly string[];

/** Every setting a front end was given, by the table's name; an absent setting has no key. */
export type RawSettings = Partial<Record<SettingName, RawValue>>;

/** True when `frontEnd` takes the setting (its row does not say why it is absent there). */
export function takes(frontEnd: FrontEnd, name: SettingName): boolean {
  return !("absent" in settingOf(name)[frontEnd]);
}

/** The action's inputs, in table order. */
export const ACTION_INPUT_NAMES: readonly ActionInputName[] = SETTING_NAMES.filter((name): name is ActionInputName =>
  takes("action", name),
);

/** The CLI flag of a setting: its own name unless the row spells it otherwise (`no-push`, `secret`, `build-arg`). */
export function flagOf(name: SettingName): string {
  const cli = settingOf(name).cli;
  return "flag" in cli && cli.flag !== undefined ? cli.flag : name;
}

/** The settings the action reads, from `core.getInput` (or a fake): each input trimmed, an empty one absent. */
export function actionRaw(get: (name: ActionInputName) => string): RawSettings {
  const raw: RawSettings = {};
  for (const name of ACTION_INPUT_NAMES) {
    const value = get(name).trim();
    if (value !== "") raw[name] = value;
  }
  return raw;
}

/** The settings the CLI was given, from its parsed flags: a flag not given (false, undefined, none repeated) is absent. */
export function cliRaw(flags: Readonly<Record<string, RawValue | undefined>>): RawSettings {
  const raw: RawSettings = {};
  for (const name of SETTING_NAMES.filter((n) => takes("cli", n))) {
    const value = flags[flagOf(name)];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    // `--no-push` given means push false.
    const cli = settingOf(name).cli;
    raw[name] = "negated" in cli && cli.negated ? "false" : value;
  }
  return raw;
}

/**
 * Reads single settings by the table's kinds, and words what it refuses for the front end that read them: an
 * action input is named `x`, a CLI flag `--x`; an error's field is the front end's own spelling (`secrets` /
 * `secret`).
 */
export class SettingReader {
  constructor(
    private readonly raw: RawSettings,
    readonly frontEnd: FrontEnd,
  ) {}

  /** The setting as this front end's user writes it in a sentence: `dockerfile` or `--dockerfile`. */
  name(name: SettingName): string {
    return this.frontEnd === "cli" ? `--${flagOf(name)}` : name;
  }

  /** Refuses a setting: an {@link InputError} whose field is the front end's spelling. */
  fail(name: SettingName, message: string): never {
    throw new InputError(this.frontEnd === "cli" ? flagOf(name) : name, message);
  }

  /** Runs a core check (which throws ClusterConfigError) as this setting's check: its refusal becomes an InputError. */
  check<T>(name: SettingName, run: (field: string) => T): T {
    const field = this.frontEnd === "cli" ? flagOf(name) : name;
    try {
      return run(field);
    } catch (error) {
      if (!ClusterConfigError.isInstance(error)) throw error;
      throw new InputError(
        error.field,
        error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message,
      );
    }
  }

  /** True when the setting was given. */
  given(name: SettingName): boolean {
    return this.raw[name] !== undefined;
  }

  text(name: SettingName): string | undefined {
    const value = this.value(name, "text");
    if (value === undefined || typeof value === "string") return value;
    return this.fail(name, "takes one value");
  }

  bool(name: SettingName): boolean {
    const value = this.value(name, "boolean") ?? "false";
    if (typeof value === "boolean") return value;
    // The YAML 1.2 core schema's booleans, as @actions/core's getBooleanInput accepts them.
    if (value === "true" || value === "True" || value === "TRUE") return true;
    if (value === "false" || value === "False" || value === "FALSE") return false;
    return this.fail(name, `"${value}" is not a boolean; use true or false`);
  }

  whole(name: SettingName): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) return this.fail(name, `"${value}" is not a whole number`);
    return Number(value);
  }

  /** Comma- or space-separated (or, from the CLI, also repeated) values. */
  list(name: SettingName): string[] | undefined {
    const value = this.value(name, "list");
    if (value === undefined || typeof value === "boolean") return undefined;
    const items = (typeof value === "string" ? [value] : value)
      .flatMap((v) => v.split(/[,\s]+/))
      .filter((v) => v !== "");
    return items;
  }

  /** One entry a line (the action's multi-line input), or one a repeated flag (the CLI). */
  lines(name: SettingName): string[] | undefined {
    const value = this.value(name, "lines");
    if (value === undefined || typeof value === "boolean") return undefined;
    return typeof value === "string" ? value.split(/\r?\n/) : [...value];
  }

  oneOf<T extends string>(name: SettingName, accepted: readonly T[]): T | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const found = accepted.find((a) => a === value);
    if (found === undefined) return this.fail(name, `"${value}" is not accepted; use one of: ${accepted.join(", ")}`);
    return found;
  }

  /** The raw value, or the default the table says the reader applies (the CLI's own where it has one). */
  private value(name: SettingName, kind: SettingSpec["kind"]): RawValue | undefined {
    const row = settingOf(name);
    // A reader that asks for another kind than the table's is a programming error, found by any test that reads it.
    if (row.kind !== kind && !(kind === "text" && (row.kind === "one-of" || row.kind === "whole number")))
      throw new Error(`setting ${name} is a ${row.kind}, read as ${kind}`);
    const given = this.raw[name];
    if (given !== undefined) return given;
    const spelling = row[this.frontEnd];
    if (this.frontEnd === "cli" && "default" in spelling && spelling.default !== undefined) return spelling.default;
    return row.defaultIs === "applied" ? row.default : undefined;
  }
}
