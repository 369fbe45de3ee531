import { describe, expect, test } from "vitest";
import { namePhase, type RunMessageFacts, runMessage } from "../src/run-message.js";

// The one line a run ends with names the phase of every failure (issue 14): the job's own exit, a member lost
// during the job, the outputs that did not come back, an error in any phase, an interruption.
const base: RunMessageFacts = { ending: "succeeded", exitCode: 0, phase: "down", stoppedMembers: [] };
const spot = {
  member: "c1-worker 0a1b",
  exitCode: 143,
  reason: "SpotInterruption: Your Spot Task was interrupted.",
  lastLines: [],
};

describe("runMessage", () => {
  test.each<[string, Partial<RunMessageFacts>]>([
    ["a success", {}],
    ["a success with a worker lost to Spot", { stoppedMembers: [spot] }],
    ["a success with a worker lost to Spot and replaced", { stoppedMembers: [spot], replaced: 1 }],
    [
      "a success with two workers lost, one replaced and the limit used up",
      { stoppedMembers: [spot, { ...spot, member: "c1-worker 9f8e" }], replaced: 1, unreplaced: ["c1-worker 9f8e"] },
    ],
    [
      "a success whose outputs did not all come back fails the run",
      {
        ending: "outputs-failed",
        exitCode: 1,
        phase: "outputs",
        outputsProblem:
          "the job task could not upload its outputs to S3: could not upload p/c1/model.json: HTTP 500: …",
      },
    ],
    [
      "the job task killed for memory",
      {
        ending: "failed",
        exitCode: 137,
        phase: "job",
        jobReason: "EssentialContainerExited: OutOfMemoryError: Container killed due to memory usage",
      },
    ],
    [
      "a job that exits 3 and whose download failed",
      {
        ending: "failed",
        exitCode: 3,
        phase: "job",
        outputsProblem: "the job's outputs could not be downloaded to /out: S3 GetObject failed",
      },
    ],
    ["job-timeout", { ending: "timed-out", exitCode: 124, phase: "job", timeoutSeconds: 5 }],
    ["a Fargate job without output-uri that succeeded: its files stayed in the cluster", { outputsStayed: true }],
    [
      "a Fargate job without output-uri that failed",
      { ending: "failed", exitCode: 2, phase: "job", outputsStayed: true },
    ],
    [
      "an error while the cluster started",
      { ending: "error", exitCode: undefined, phase: "up", error: new Error("IAM GetRole failed with HTTP 500") },
    ],
    [
      "an error while the job was polled",
      {
        ending: "error",
        exitCode: undefined,
        phase: "job",
        error: new Error("ECS DescribeTasks failed with HTTP 500"),
      },
    ],
    ["an interruption while the image was built", { ending: "interrupted", exitCode: 130, phase: "image" }],
    ["an interruption during the job", { ending: "interrupted", exitCode: 130, phase: "job" }],
  ])("%s", (_name, facts) => {
    expect(runMessage({ ...base, ...facts })).toMatchSnapshot();
  });

  test("an error's message is prefixed with its phase once, and the error keeps its class", () => {
    class AwsError extends Error {}
    const error = new AwsError("ECS StopTask failed: ExpiredTokenException");
    namePhase(namePhase(error, "down"), "down");
    expect(error).toBeInstanceOf(AwsError);
    expect(error.message).toBe("down phase: ECS StopTask failed: ExpiredTokenException");
    expect(runMessage({ ...base, ending: "error", exitCode: undefined, phase: "down", error })).toBe(error.message);
  });
});
