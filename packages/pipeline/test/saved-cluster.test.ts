import { describe, expect, test } from "vitest";
import { formatSavedCluster, parseSavedCluster, type SavedCluster } from "../src/saved-cluster.js";

const saved: SavedCluster = {
  version: 1,
  clusterId: "dfa-0123abcd",
  backend: "fargate",
  settings: { fargate: { region: "eu-west-1" } },
  handle: undefined,
  partial: undefined,
  stateDir: "/runner/temp/dask-fargate/dfa-0123abcd",
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
    ["a handle of another cluster", JSON.stringify({ ...saved, handle: { backend: "fargate", clusterId: "dfa-ffffffff" } })],
  ])("%s is refused with what is wrong and how to go on", (_name, text) => {
    expect(() => parseSavedCluster(text, "the record r.json")).toThrowErrorMatchingSnapshot();
  });
});
