import { expect, test } from "vitest";
import { afterSignal, Cancellation, cancelledOutcome, type TeardownOutcome } from "../src/cancellation.js";
import { phaseHook } from "../src/cluster-step.js";

test("the step enters the phase the pipeline names, not one read from the log group's title", async () => {
  const cancellation = new Cancellation();
  let seen: unknown;
  // A title that reads like another phase: only the pipeline's phase counts.
  await phaseHook(cancellation)("job", "Teardown", async () => {
    seen = cancellation.cancel("SIGTERM");
  });
  expect(seen).toMatchObject({ where: "during the job phase", phase: "job" });
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
    [
      at(undefined),
      at("image"),
      at("image", true),
      at("up"),
      at("job"),
      at("job", true),
      at("down"),
      at("down", true),
      at("reap"),
    ].map((c) => afterSignal(c, "run")),
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
  const run = (state: TeardownOutcome["state"], error?: unknown): TeardownOutcome =>
    state === "failed" ? { state, error } : { state };
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
