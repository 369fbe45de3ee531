import type { BackendName, BackendSettings, ClusterHandle, PartialCluster } from "@dask-fargate-action/core";

/** What main saves (after each created resource) so the post step can tear down. */
export interface SavedCluster {
  readonly clusterId: string;
  readonly backend: BackendName;
  readonly settings: BackendSettings;
  readonly stateDir: string;
  readonly handle: ClusterHandle | undefined;
  readonly partial: PartialCluster | undefined;
  /** True once main removed the cluster itself (command run); the post step then has nothing to do. */
  readonly tornDown: boolean;
}

/** The state key; the runner hands it to the post step as STATE_cluster. */
export const STATE_KEY = "cluster";

/** Saves and loads the cluster state through functions shaped like @actions/core's saveState/getState. */
export function clusterState(io: { saveState(name: string, value: string): void; getState(name: string): string }) {
  let current: SavedCluster | undefined;
  return {
    save(change: Partial<SavedCluster> & Pick<SavedCluster, "clusterId">): SavedCluster {
      current = {
        ...(current ?? { backend: "docker", settings: {}, stateDir: "", handle: undefined, partial: undefined, tornDown: false }),
        ...change,
      } as SavedCluster;
      io.saveState(STATE_KEY, JSON.stringify(current));
      return current;
    },
    load(): SavedCluster | undefined {
      const text = io.getState(STATE_KEY);
      return text ? (JSON.parse(text) as SavedCluster) : undefined;
    },
  };
}
