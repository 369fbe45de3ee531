import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { withActionTables } from "../scripts/action-docs.mjs";

const root = new URL("../../../", import.meta.url);

test("the README's input, output and flag tables match action.yml and the settings table (regenerate: node packages/action/scripts/action-docs.mjs --write)", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const regenerated = (withActionTables as (readme: string, action: string) => string)(
    readme,
    readFileSync(new URL("action.yml", root), "utf8"),
  );
  expect(readme).toBe(regenerated);
});

test("the README starts with the two commands for a fresh machine", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const block = /^```sh\n([\s\S]*?)```/m.exec(readme)?.[1] ?? "";
  expect(
    block
      .trim()
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, "")),
  ).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
  expect(readme.indexOf("```sh")).toBeLessThan(readme.indexOf("## "));
});
