import { expect, test } from "vitest";
import { afterSignal, Cancellation, cancelledOutcome, stepPhaseOf, type TeardownState } from "../src/cancellation.js";

test.each([
  ["Image", "image"],
  ["Replace the cluster of an earlier attempt", "up"],
  ["Start cluster gh-1-abc (docker: 1 scheduler + 2 workers of 1 vCPU / 4096 MiB)", "up"],
  ["Job: python3 train.py", "job"],
  ["Teardown", "down"],
  ["Something new", "something new"],
])("the pipeline's phase %j is the %s phase", (title, phase) => {
  expect(stepPhaseOf(title)).toBe(phase);
});

test("a signal names the phase under way, or the one that just ended, and only the first counts", async () => {
  const cancellation = new Cancellation();
  expect(cancellation.cancelled).toBeUndefined();
  await cancellation.phase("image", async () => {});
  let seen: unknown;
  await cancellation.phase("up", async () => {
    seen = cancellation.cancel("SIGTERM");
  });
  expect(seen).toEqual({ signal: "SIGTERM", where: "during the up phase", phase: "up", ended: false });
  expect(cancellation.signal.aborted).toBe(true);
  expect((cancellation.signal.reason as Error).message).toBe("cancelled during the up phase by SIGTERM");
  cancellation.enter("down");
  expect(cancellation.cancel("SIGINT")).toBeUndefined();
  expect(cancellation.cancelled?.signal).toBe("SIGTERM");

  const after = new Cancellation();
  await after.phase("image", async () => {});
  expect(after.cancel("SIGINT")?.where).toBe("after the image phase");
  expect(new Cancellation().cancel("SIGINT")?.where).toBe("before the first phase");
});

const at = (phase: string | undefined, ended = false) => ({
  signal: "SIGTERM",
  where: phase ? `${ended ? "after" : "during"} the ${phase} phase` : "before the first phase",
  phase,
  ended,
});

test("the warning at a signal says what the step does next", () => {
  expect(
    [at(undefined), at("image"), at("image", true), at("up"), at("job"), at("job", true), at("down"), at("down", true), at("reap")].map((c) =>
      afterSignal(c, "run"),
    ),
  ).toMatchInlineSnapshot(`
    [
      "nothing is started",
      "the image build is not interrupted; nothing is started after it",
      "nothing more is started",
      "stopping the start and removing what it created",
      "stopping the job and removing the cluster",
      "removing the cluster",
      "the teardown is not interrupted: it goes on to its end",
      "nothing is left to stop",
      "the reap phase is not interrupted: it goes on to its end",
    ]
  `);
  expect(afterSignal(at("image"), "build")).toBe("the image build is not interrupted: it goes on to its end");
});

test("a cancelled run's message names the phase, the signal and what became of the cluster", () => {
  const run = (teardown: TeardownState, error?: unknown) => ({ teardown, error });
  expect([
    cancelledOutcome(at(undefined), run("not needed")),
    cancelledOutcome(at("image"), run("not needed")),
    cancelledOutcome(at("up"), run("not needed")),
    cancelledOutcome(at("up"), run("done")),
    cancelledOutcome(at("up"), run("failed", new Error("cancelled during the up phase by SIGTERM"))),
    cancelledOutcome(at("job"), run("done")),
    cancelledOutcome(at("job", true), run("done")),
    cancelledOutcome(at("down"), run("done")),
    cancelledOutcome(at("down"), run("failed", new Error("network dfa-x has active endpoints"))),
  ]).toMatchInlineSnapshot(`
    [
      "cancelled before the first phase by SIGTERM: no cluster was created",
      "cancelled during the image phase by SIGTERM: no cluster was created",
      "cancelled during the up phase by SIGTERM: no cluster was created",
      "cancelled during the up phase by SIGTERM: the cluster was removed",
      "cancelled during the up phase by SIGTERM; the teardown failed; the post step tries again",
      "cancelled during the job phase by SIGTERM: the job was stopped and the cluster removed",
      "cancelled after the job phase by SIGTERM: the cluster was removed",
      "cancelled during the down phase by SIGTERM: the teardown went on to its end",
      "cancelled during the down phase by SIGTERM; the teardown failed: network dfa-x has active endpoints; the post step tries again",
    ]
  `);
});
