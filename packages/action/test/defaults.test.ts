import { readFileSync } from "node:fs";
import { INPUT_DEFAULTS } from "@dask-fargate-action/core/defaults";
import { DEFAULT_BASE_IMAGE } from "@dask-fargate-action/image";
import { expect, test } from "vitest";
import { parse } from "yaml";

// Core's INPUT_DEFAULTS is the one place the shared defaults live: action.yml's input defaults must say the same
// (the README's input table is rendered from action.yml and checked by readme.test.ts; the CLI help reads
// INPUT_DEFAULTS itself, checked by the CLI's flags test).
const actionYml = parse(readFileSync(new URL("../../../action.yml", import.meta.url), "utf8")) as {
  inputs: Record<string, { description: string; default?: string }>;
};

test("action.yml's input defaults are core's defaults", () => {
  const shared = Object.keys(INPUT_DEFAULTS).filter((name) => name in actionYml.inputs);
  expect(shared.length).toBeGreaterThanOrEqual(10);
  for (const name of shared)
    expect(actionYml.inputs[name]?.default, name).toBe(INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]);
});

test("the base image named as default in action.yml is the image package's default", () => {
  expect(actionYml.inputs["base-image"]?.description).toContain(`(default ${DEFAULT_BASE_IMAGE})`);
});
