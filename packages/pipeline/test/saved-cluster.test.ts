import { describe, expect, test } from "vitest";
import { formatSavedCluster, parseSavedCluster, type SavedCluster } from "../src/saved-cluster.js";

const saved: SavedCluster = {
  version: 1,
  clusterId: "dfa-0123abcd",
  backend: "fargate",
  settings: { fargate: { region: "eu-west-1" } },
  handle: undefined,
  partial: undefined,
  tlsDir: "/runner/temp/dask-fargate/dfa-0123abcd",
  tornDown: false,
};

describe("one saved-cluster schema for the CLI's records and the action's state, checked on load", () => {
  test("what is saved reads back", () => {
    expect(parseSavedCluster(formatSavedCluster(saved), "the record r.json")).toEqual(saved);
  });
  test.each([
    ["corrupt", '{"version": 1, "clusterId": "dfa-0123'],
    ["foreign", JSON.stringify({ name: "some-package", version: "1.0.0" })],
    ["a list", "[]"],
    ["another version", JSON.stringify({ ...saved, version: 2 })],
    ["an unknown backend", JSON.stringify({ ...saved, backend: "k8s" })],
    ["a Fargate cluster without region", JSON.stringify({ ...saved, settings: {} })],
    ["a path as cluster id", JSON.stringify({ ...saved, clusterId: "../../projects" })],
    [
      "a handle of another cluster",
      JSON.stringify({ ...saved, handle: { backend: "fargate", clusterId: "dfa-ffffffff" } }),
    ],
  ])("%s is refused with what is wrong and how to go on", (_name, text) => {
    expect(() => parseSavedCluster(text, "the record r.json")).toThrowErrorMatchingSnapshot();
  });
});

describe("a partial start", () => {
  const fargate = { ecsCluster: "dfa-0123abcd", workerTaskArns: [], createdSecurityGroupId: "sg-1" };
  test("carries its backend and reads back", () => {
    const record = { ...saved, partial: { backend: "fargate", fargate } };
    expect(parseSavedCluster(JSON.stringify(record), "r.json").partial).toEqual({ backend: "fargate", fargate });
  });
  test("saved by an earlier version ({ resources, fargate }) still loads, as the record's backend's", () => {
    const old = { ...saved, partial: { resources: [], fargate } };
    expect(parseSavedCluster(JSON.stringify(old), "r.json").partial).toEqual({ backend: "fargate", fargate });
    const oldDocker = { ...saved, backend: "docker", settings: {}, partial: { resources: ["network dfa-0123abcd"] } };
    expect(parseSavedCluster(JSON.stringify(oldDocker), "r.json").partial).toEqual({ backend: "docker" });
  });
  test("of another backend than the record's is refused", () => {
    const record = { ...saved, partial: { backend: "docker" } };
    expect(() => parseSavedCluster(JSON.stringify(record), "r.json")).toThrow(
      /its partial start is on "docker", not fargate/,
    );
  });
});

test("a record written before the TLS directory was called tlsDir (stateDir, in the record and its handle) still names it", () => {
  const old = {
    version: 1,
    clusterId: "dfa-0a1b2c3d",
    backend: "docker",
    settings: {},
    stateDir: "/records/clusters/dfa-0a1b2c3d",
    handle: { backend: "docker", clusterId: "dfa-0a1b2c3d", stateDir: "/records/clusters/dfa-0a1b2c3d" },
    partial: undefined,
  };
  const saved = parseSavedCluster(JSON.stringify(old), "an old record");
  expect(saved.tlsDir).toBe("/records/clusters/dfa-0a1b2c3d");
  expect((saved.handle as unknown as Record<string, unknown>)["tlsDir"]).toBe("/records/clusters/dfa-0a1b2c3d");
  expect(saved).not.toHaveProperty("stateDir");
});
