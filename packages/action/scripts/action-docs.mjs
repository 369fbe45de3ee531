// Renders the input and output tables of README.md from action.yml, so the README never drifts from it.
//   node packages/action/scripts/action-docs.mjs --write   (updates README.md between the markers)
// A test renders them again and fails when README.md differs.
import { readFileSync, writeFileSync } from "node:fs";
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
      ([name, input]) => `| \`${name}\` | ${input.default === undefined ? "" : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
    ),
  ].join("\n");
  const outputs = [
    "| output | description |",
    "| --- | --- |",
    ...Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`),
  ].join("\n");
  return { inputs, outputs };
}

/** README.md with the tables between `<!-- action-inputs -->`/`<!-- /action-inputs -->` (and outputs) replaced. */
export function withActionTables(readme, actionYmlText) {
  const { inputs, outputs } = renderActionTables(actionYmlText);
  const replace = (text, marker, table) => {
    const pattern = new RegExp(`(<!-- ${marker} -->\\n)[\\s\\S]*?(<!-- /${marker} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${marker} --> … <!-- /${marker} --> block`);
    return text.replace(pattern, (_all, open, close) => `${open}${table}\n${close}`);
  };
  return replace(replace(readme, "action-inputs", inputs), "action-outputs", outputs);
}

if (process.argv.includes("--write")) {
  const readmePath = new URL("README.md", root);
  const updated = withActionTables(readFileSync(readmePath, "utf8"), readFileSync(new URL("action.yml", root), "utf8"));
  writeFileSync(readmePath, updated);
  console.log("README.md: action input and output tables updated from action.yml");
}
