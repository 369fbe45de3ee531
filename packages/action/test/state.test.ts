import { expect, test } from "vitest";
import { STATE_KEY } from "../src/action-io.js";
import { clusterState } from "../src/state.js";

const store = () => {
  const saved = new Map<string, string>();
  return {
    saved,
    io: {
      saveState: (name: string, value: string) => void saved.set(name, value),
      getState: (name: string) => saved.get(name) ?? "",
    },
  };
};

test("the post step reads back what main saved, in the CLI's record schema", () => {
  const { io } = store();
  const main = clusterState(io);
  main.save({
    clusterId: "gh-1-abc",
    backend: "fargate",
    settings: { fargate: { region: "eu-west-1" } },
    tlsDir: "/tmp/t",
    tornDown: false,
  });
  main.save({ clusterId: "gh-1-abc", partial: { backend: "fargate" } as never });
  expect(clusterState(io).load()).toMatchObject({
    version: 1,
    clusterId: "gh-1-abc",
    backend: "fargate",
    tlsDir: "/tmp/t",
    tornDown: false,
  });
});

test("a corrupt saved state is refused with what is wrong and how to remove the cluster", () => {
  const { saved, io } = store();
  saved.set(STATE_KEY, '{"clusterId": "gh-1-abc", "backend": "fargate"}');
  expect(() => clusterState(io).load()).toThrowErrorMatchingInlineSnapshot(
    `[ClusterConfigError: cluster-id: the step's saved state "cluster" is not a saved dask-fargate cluster (version undefined is not 1); remove the cluster with this action's command: down and its cluster-id, or command: reap]`,
  );
  expect(clusterState(store().io).load()).toBeUndefined();
});
