import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { ciPolicyFile } from "../aws-setup-files.mjs";

const file = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("docs/aws/ci-policy.json is what scripts/aws-setup-files.mjs writes from docs/aws/tool-policy.json (regenerate: node scripts/aws-setup-files.mjs --write)", () => {
  expect(file("docs/aws/ci-policy.json")).toBe(ciPolicyFile(file("docs/aws/tool-policy.json")));
});

test("a changed tool policy changes the file it writes", () => {
  const tool = JSON.parse(file("docs/aws/tool-policy.json"));
  const changed = JSON.stringify({ ...tool, Statement: tool.Statement.slice(1) });
  expect(ciPolicyFile(changed)).not.toBe(file("docs/aws/ci-policy.json"));
});
