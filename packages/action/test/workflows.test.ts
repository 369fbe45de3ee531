import { readdirSync, readFileSync } from "node:fs";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

const root = new URL("../../../", import.meta.url);
const examples = readdirSync(new URL("workflows-examples/", root)).filter((f) => f.endsWith(".yml"));

test("action.yml passes the action schema", () => {
  const text = readFileSync(new URL("action.yml", root), "utf8");
  // The validator's bundled schema (0.6) lists runtimes up to node20; node24 is checked in action-yml.test.ts.
  expect(text).toContain("using: node24");
  expect(validateAction(text.replace("using: node24", "using: node20")).errors).toEqual([]);
});

test("there are the four example workflows", () => {
  expect(examples.sort()).toEqual(["nightly-training.yml", "pr-check.yml", "reap.yml", "rebuild-image.yml"]);
});

describe.each(examples)("workflows-examples/%s", (file) => {
  const text = readFileSync(new URL(`workflows-examples/${file}`, root), "utf8");
  const workflow = parse(text) as {
    permissions?: unknown;
    jobs: Record<
      string,
      { "timeout-minutes"?: number; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }
    >;
  };

  test("passes the workflow schema", () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  test("pins third-party actions by commit SHA, sets least permissions and a timeout on every job", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job["timeout-minutes"], name).toBeGreaterThan(0);
      for (const step of job.steps) {
        if (!step.uses || step.uses.startsWith("org/dask-fargate-action@")) continue;
        expect(step.uses, `${name}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      }
    }
  });

  test("third-party actions are pinned to a release built for the node24 runtime, named in a comment", () => {
    // The first majors whose action.yml says `using: node24` (runners no longer have Node 20); read from each
    // repository's tags and action.yml. A pin must carry its tag (`# v7.0.1`) so a reader knows what it is.
    const node24Majors: Record<string, number> = {
      "actions/checkout": 5,
      "aws-actions/configure-aws-credentials": 6,
      "actions/upload-artifact": 5,
    };
    for (const [line, action, tag] of text.matchAll(
      /uses: ([\w.-]+\/[\w.-]+)@[0-9a-f]{40}(?: # v(\d+)\.\d+\.\d+)?$/gm,
    )) {
      expect(tag, `${line}: name the tag in a comment`).toBeDefined();
      expect(node24Majors[action ?? ""], `${action}: which major runs on node24?`).toBeDefined();
      expect(Number(tag), line).toBeGreaterThanOrEqual(node24Majors[action ?? ""] ?? Number.POSITIVE_INFINITY);
    }
  });

  test("every checkout keeps its token out of .git/config (persist-credentials: false): a job or a later step could read it there", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps)
        if (step.uses?.startsWith("actions/checkout@")) expect(step.with?.["persist-credentials"], name).toBe(false);
    }
  });

  test("no run: script pastes an expression: values reach scripts through env: (a $ in an output, or its text, would be shell code)", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps)
        if (step.run !== undefined) expect(step.run, `${name}: ${step.run}`).not.toContain("${{");
    }
  });

  test("uses only inputs that action.yml declares", () => {
    const declared = Object.keys(
      (parse(readFileSync(new URL("action.yml", root), "utf8")) as { inputs: Record<string, unknown> }).inputs,
    );
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) {
        if (!step.uses?.startsWith("org/dask-fargate-action@")) continue;
        for (const input of Object.keys(step.with ?? {})) expect(declared).toContain(input);
      }
    }
  });
});
