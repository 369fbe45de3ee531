/**
 * @packageDocumentation
 * `@dask-fargate-action/core/settings`: the one table of every setting of the action and the CLI (table.ts), the
 * reader both front ends call (reader.ts: typed, checked settings, every rule between settings once, InputError
 * for a bad one) and what the table says to each front end's documentation (docs.ts). Light: no AWS SDK client,
 * no dockerode (test/light-entries.test.ts keeps it so).
 */

export { actionInputDocs, actionInputsYaml, type CliFlagDoc, cliFlagDocs, flagsMarkdown } from "./docs.js";
export { ACTION_INPUT_NAMES, actionRaw, cliRaw, flagOf, type RawSettings, type RawValue, takes } from "./raw.js";
export {
  type ClusterSettings,
  type ImageSettings,
  type JobSettings,
  type ReadOptions,
  readSettings,
  type Settings,
} from "./reader.js";
export {
  ACTION_COMMANDS,
  type ActionCommand,
  CLI_COMMANDS,
  type CliCommand,
  type FrontEnd,
  type SettingGroup,
  type SettingKind,
  type SettingSpec,
  type SettingsCommand,
} from "./setting.js";
export {
  type ActionInputName,
  type CliSettingName,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  settingOf,
} from "./table.js";
