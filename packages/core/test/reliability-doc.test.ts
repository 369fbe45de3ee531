import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JOB_SCENARIOS, runPhaseOf, SCENARIOS } from "@dask-fargate-action/testkit/fault-matrix";
import { expect, test } from "vitest";

// docs/reliability.md lists the fault matrix that the pipeline's fault-matrix-emulator.itest.ts (and, for the job and
// outputs phases, its fault-matrix-jobs-emulator.itest.ts) runs; this keeps the two the
// same (regenerate the table with: DFA_WRITE_RELIABILITY_TABLE=1 npx vitest run test/reliability-doc.test.ts).
const doc = fileURLToPath(new URL("../../../docs/reliability.md", import.meta.url));
const BEGIN = "<!-- fault-matrix:begin (generated from packages/testkit/src/fault-matrix.ts) -->";
const END = "<!-- fault-matrix:end -->";

/** The table as the doc shows it: one row per scenario, with the outcome the itest requires. */
export function matrixTable(): string {
  const rows = SCENARIOS.map((s, i) => {
    const how = s.rules && s.rules.length > 0 ? "emulator fault rule" : s.middleware ? "SDK middleware" : "none";
    const outcome =
      s.outcome.kind === "recovers"
        ? `recovers; ${how === "none" ? "the run's teardown removed the cluster, the second found nothing" : "the fault was used"}; nothing left after down`
        : `fails naming ${s.outcome.cause.source.replace(/\|/g, " or ")} and the ${runPhaseOf(s.phase)} phase; the fault was used; nothing left after down`;
    return `| ${i + 1} | ${s.phase} | ${s.fault} | ${how} | ${outcome} |`;
  });
  const jobRows = JOB_SCENARIOS.map((s, i) => {
    const how = s.injectedBy ?? "emulator fault rule";
    const names = (cause: RegExp) => `${cause.source.replace(/\|/g, " or ")} and the ${s.phase} phase`;
    const outcome =
      s.outcome.kind === "recovers"
        ? `recovers${s.job === "outputs" ? " (every file comes back)" : ""}; nothing left after down`
        : s.outcome.kind === "reports"
          ? `the job succeeds; the message names ${names(s.outcome.cause)}; nothing left after down`
          : `fails naming ${names(s.outcome.cause)}; nothing left after down`;
    return `| ${SCENARIOS.length + i + 1} | ${s.phase} | ${s.fault} | ${how} | ${outcome} |`;
  });
  return [
    "| # | phase | fault | injected by | required result (asserted) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    ...jobRows,
  ].join("\n");
}

test("docs/reliability.md shows the fault matrix exactly as the integration test runs it", async () => {
  const text = readFileSync(doc, "utf8");
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(start, `${doc} needs the markers ${BEGIN} … ${END}`).toBeGreaterThanOrEqual(0);
  const shown = text.slice(start + BEGIN.length, end).trim();
  if (process.env["DFA_WRITE_RELIABILITY_TABLE"] === "1" && shown !== matrixTable()) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(doc, `${text.slice(0, start + BEGIN.length)}\n${matrixTable()}\n${text.slice(end)}`);
    return;
  }
  expect(shown).toBe(matrixTable());
  expect(SCENARIOS.length).toBeGreaterThanOrEqual(30);
  expect(new Set(JOB_SCENARIOS.map((s) => s.phase))).toEqual(new Set(["job", "outputs"]));
});
