import { parseSavedCluster, type SavedCluster } from "@dask-fargate-action/pipeline";
import { STATE_KEY } from "./action-io.js";

/** A change to the saved cluster: its id, and the fields that changed. */
export type SavedClusterChange = Partial<Omit<SavedCluster, "version">> & Pick<SavedCluster, "clusterId">;

/**
 * Saves and loads the cluster state (the saved-cluster schema the CLI's records use too) through functions
 * shaped like @actions/core's saveState/getState. main saves after each created resource so the post step
 * can tear down; the post step's load checks the schema.
 */
export function clusterState(io: { saveState(name: string, value: string): void; getState(name: string): string }) {
  let current: SavedCluster | undefined;
  return {
    save(change: SavedClusterChange): SavedCluster {
      current = {
        ...(current ?? {
          version: 1,
          backend: "docker",
          settings: {},
          handle: undefined,
          partial: undefined,
          tornDown: false,
        }),
        ...change,
      } as SavedCluster;
      io.saveState(STATE_KEY, JSON.stringify(current));
      return current;
    },
    load(): SavedCluster | undefined {
      const text = io.getState(STATE_KEY);
      return text
        ? parseSavedCluster(
            text,
            `the step's saved state "${STATE_KEY}"`,
            "remove the cluster with this action's command: down and its cluster-id, or command: reap",
          )
        : undefined;
    },
  };
}
