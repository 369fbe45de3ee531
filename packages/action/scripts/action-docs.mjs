// Writes what core's settings table says to the documentation: action.yml's inputs (the block between `inputs:`
// and `outputs:`), and README.md's input and output tables (rendered from action.yml) and its CLI flag table.
//   node packages/action/scripts/action-docs.mjs --write   (after `npm run build --workspace @dask-fargate-action/core`)
// Tests render them again and fail when action.yml or README.md differs.
import { readFileSync, writeFileSync } from "node:fs";
import { actionInputsYaml, flagsMarkdown } from "@dask-fargate-action/core/settings";
import { parse } from "yaml";

const root = new URL("../../../", import.meta.url);

const cell = (text) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, " ");

/** The Markdown tables for the inputs and the outputs of an action.yml text. */
export function renderActionTables(actionYmlText) {
  const action = parse(actionYmlText);
  const inputs = [
    "| input | default | description |",
    "| --- | --- | --- |",
    ...Object.entries(action.inputs).map(
      ([name, input]) =>
        `| \`${name}\` | ${input.default === undefined ? "" : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
    ),
  ].join("\n");
  const outputs = [
    "| output | description |",
    "| --- | --- |",
    ...Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`),
  ].join("\n");
  return { inputs, outputs };
}

/** action.yml with its `inputs:` block replaced by the one the settings table gives. */
export function withActionInputs(actionYmlText) {
  const pattern = /^inputs:\n[\s\S]*?\n(?=outputs:\n)/m;
  if (!pattern.test(actionYmlText)) throw new Error("action.yml has no inputs: block followed by outputs:");
  return actionYmlText.replace(pattern, () => `${actionInputsYaml()}\n`);
}

/**
 * README.md with the tables between `<!-- action-inputs -->`/`<!-- /action-inputs -->` (and `action-outputs`,
 * `cli-flags`) replaced. The markers, not the headings, find the tables: sections may move.
 */
export function withActionTables(readme, actionYmlText) {
  const { inputs, outputs } = renderActionTables(actionYmlText);
  const replace = (text, marker, table) => {
    const pattern = new RegExp(`(<!-- ${marker} -->\\n)[\\s\\S]*?(<!-- /${marker} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${marker} --> … <!-- /${marker} --> block`);
    return text.replace(pattern, (_all, open, close) => `${open}${table}\n${close}`);
  };
  return replace(
    replace(replace(readme, "action-inputs", inputs), "action-outputs", outputs),
    "cli-flags",
    flagsMarkdown(),
  );
}

if (process.argv.includes("--write")) {
  const actionPath = new URL("action.yml", root);
  const action = withActionInputs(readFileSync(actionPath, "utf8"));
  writeFileSync(actionPath, action);
  const readmePath = new URL("README.md", root);
  writeFileSync(readmePath, withActionTables(readFileSync(readmePath, "utf8"), action));
  console.log("action.yml: inputs from the settings table; README.md: input, output and flag tables");
}
