import {
  ACTION_INPUT_NAMES,
  type ActionCommand,
  type ActionInputName,
  actionRaw,
  readSettings,
  type Settings,
} from "@dask-fargate-action/core/settings";

/**
 * Every input of action.yml: the settings core's table gives the action (action.yml is generated from the same
 * table, and a test checks both ways).
 */
export const INPUT_NAMES = ACTION_INPUT_NAMES;

/** An input's name. */
export type InputName = ActionInputName;

export type { ActionCommand };

/** Everything the action was asked to do, validated. */
export interface ActionInputs extends Omit<Settings<ActionCommand>, "reapRepository" | "repository"> {
  /** For reap: only clusters tagged with this github.repository (default the running repository; `*` input: all). */
  readonly reapRepository: string | undefined;
}

/**
 * Reads and validates every input with core's settings reader, before any side effect. An error (InputError) names
 * the input, the value and what is accepted. `get` is `core.getInput` (or a fake in tests).
 */
export function readInputs(get: (name: InputName) => string, env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const {
    reapRepository,
    repository: _cliOnly,
    ...settings
  } = readSettings(actionRaw(get), { frontEnd: "action", env });
  // The reaper acts on this repository's clusters unless told otherwise: tags are data anyone may set.
  return {
    ...settings,
    reapRepository: reapRepository === "*" ? undefined : (reapRepository ?? env["GITHUB_REPOSITORY"]),
  };
}
