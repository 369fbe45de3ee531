import { readdirSync, readFileSync } from "node:fs";
import { actionInputDocs } from "@dask-fargate-action/core/settings";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
// @ts-expect-error: a plain ES module script without types
import { withActionInputs } from "../scripts/action-docs.mjs";
import { OUTPUT_NAMES } from "../src/action-io.js";
import { INPUT_NAMES } from "../src/inputs.js";

const root = new URL("../../../", import.meta.url);
const actionYmlText = readFileSync(new URL("action.yml", root), "utf8");
const actionYml = parse(actionYmlText) as {
  inputs: Record<string, { description: string; default?: unknown }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
};
const source = (file: string) => readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8");
const allSources = readdirSync(new URL("../src/", import.meta.url))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => [f, source(f)] as const);

describe("action.yml and the code agree", () => {
  test("action.yml's inputs are the settings table's, word for word (regenerate: node packages/action/scripts/action-docs.mjs --write)", () => {
    expect(Object.keys(actionYml.inputs)).toEqual([...INPUT_NAMES]);
    expect(actionYmlText).toBe((withActionInputs as (text: string) => string)(actionYmlText));
    for (const [name, doc] of actionInputDocs()) {
      expect(actionYml.inputs[name]?.description, name).toBe(doc.description);
      expect(actionYml.inputs[name]?.default, name).toBe(doc.default);
    }
  });

  test("inputs are read in inputs.ts only", () => {
    for (const [file, text] of allSources) {
      if (file === "inputs.ts" || file === "main.ts") continue;
      expect(text, `${file} reads an input`).not.toMatch(/getInput|getBooleanInput|INPUT_/);
    }
    expect(source("main.ts").match(/core\.getInput/g)).toHaveLength(1);
  });

  test("every output in action.yml is set by the code, and every output the code sets is declared", () => {
    expect(Object.keys(actionYml.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    const code = allSources.map(([, text]) => text).join("\n");
    for (const name of OUTPUT_NAMES) expect(code, `no setOutput("${name}")`).toContain(`setOutput("${name}"`);
    // Outputs are written through action-io.ts's setOutput only.
    for (const [file, text] of allSources)
      if (file !== "action-io.ts") expect(text, file).not.toContain("core.setOutput(");
  });

  test("every input and output has a description; booleans have defaults; the runtime is node24 with an always() post step", () => {
    for (const [name, input] of Object.entries(actionYml.inputs))
      expect(input.description.length, name).toBeGreaterThan(10);
    // Every input is `required: false` (the action checks per command), so each description says first when it is needed.
    for (const [name, input] of Object.entries(actionYml.inputs))
      expect(input.description, name).toMatch(/^(Required|Optional)\b/);
    for (const name of ["push", "force", "tls", "spot-workers", "dry-run"])
      expect(actionYml.inputs[name]?.default, name).toMatch(/^(true|false)$/);
    expect(actionYml.runs).toEqual({
      using: "node24",
      main: "packages/action/dist/main/index.js",
      post: "packages/action/dist/post/index.js",
      "post-if": "always()",
    });
  });
});
