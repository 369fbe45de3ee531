import { expect, test } from "vitest";
import { expiryVerdict } from "../src/fargate/fargate-expiry.js";

const now = Date.parse("2026-12-07T12:00:00Z");
const tagged = (what: string, createdAt: string, expiresAt: string) => ({
  what,
  tags: { "io.dask-fargate-action.created-at": createdAt, "io.dask-fargate-action.expires-at": expiresAt },
});

test("a cluster is over only when every resource with a time says so", () => {
  const expired = [
    tagged("ECS cluster c", "2026-12-07T00:00:00Z", "2026-12-07T06:00:00Z"),
    tagged("task t", "2026-12-07T00:00:00Z", "2026-12-07T06:00:00Z"),
  ];
  expect(expiryVerdict(expired, now)).toEqual({ reap: true, reason: "expired at 2026-12-07T06:00:00Z" });
  expect(expiryVerdict([], now)).toEqual({ reap: false });
  expect(expiryVerdict([{ what: "security group sg-1", tags: {} }], now)).toEqual({ reap: false });
});

test("a forged past time against a live resource leaves the cluster, naming both sides", () => {
  const verdict = expiryVerdict(
    [
      tagged("security group sg-f", "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z"),
      tagged("task t", "2026-12-07T11:00:00Z", "2026-12-07T17:00:00Z"),
    ],
    now,
  );
  expect(verdict).toEqual({
    reap: false,
    disagreement: {
      alive: ["task t (expires at 2026-12-07T17:00:00Z)"],
      expired: ["security group sg-f (expired at 2000-01-01T00:00:00Z)"],
    },
  });
  // The same with an age limit: the live task's created-at is recent.
  expect(
    expiryVerdict(
      [
        tagged("security group sg-f", "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"),
        tagged("task t", "2026-12-07T11:30:00Z", "2026-12-07T17:30:00Z"),
      ],
      now,
      3600_000,
    ).reap,
  ).toBe(false);
});
