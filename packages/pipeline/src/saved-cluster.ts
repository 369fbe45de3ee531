import type {
  BackendName,
  BackendSettings,
  ClusterHandle,
  FargateResources,
  PartialCluster,
} from "@dask-fargate-action/core/backend";
import { assertClusterId, ClusterConfigError } from "@dask-fargate-action/core/validate";

/**
 * What a start saves so that another process can find and remove the cluster: the CLI's record file
 * (status, scale, logs, down) and the action's saved state (its post step). One schema for both, checked
 * when it is loaded: the text comes from a file or the runner, so it is data, not trust.
 */
export interface SavedCluster {
  readonly version: 1;
  readonly clusterId: string;
  readonly backend: BackendName;
  /** The backend settings (region, Fargate settings: ARNs and ids only, no secrets). */
  readonly settings: BackendSettings;
  /** The running cluster, once it is ready. */
  readonly handle: ClusterHandle | undefined;
  /** What a start had created so far; written after each resource. */
  readonly partial: PartialCluster | undefined;
  /** The cluster's directory of client TLS files (the action's; the CLI derives it from its records directory). */
  readonly tlsDir?: string;
  /** True once the cluster was removed by the step that started it (the action's post step then has nothing to do). */
  readonly tornDown?: boolean;
}

const BACKENDS: readonly BackendName[] = ["docker", "fargate"];

/**
 * Parses and checks a saved cluster. The error names `source` (a file, the action's state), what is wrong, and
 * `fix`: how to remove the cluster without the record.
 */
export function parseSavedCluster(
  text: string,
  source: string,
  fix = "remove it, and remove its cluster by id with dask-fargate down --cluster-id ID (--backend fargate --region R for Fargate)",
): SavedCluster {
  const refuse = (why: string): never => {
    throw new ClusterConfigError("cluster-id", `${source} is not a saved dask-fargate cluster (${why}); ${fix}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message differs between Node versions and may quote the text; the cause is enough.
    return refuse("not JSON");
  }
  if (!isObject(value)) return refuse("not a JSON object");
  if (value["version"] !== 1) return refuse(`version ${JSON.stringify(value["version"])} is not 1`);
  const clusterId = value["clusterId"];
  if (typeof clusterId !== "string") return refuse("clusterId is not a string");
  assertClusterId(clusterId, source);
  if (!BACKENDS.includes(value["backend"] as BackendName))
    return refuse(`backend ${JSON.stringify(value["backend"])} is not docker or fargate`);
  const settings = value["settings"];
  if (!isObject(settings)) return refuse("settings is not an object");
  if (
    value["backend"] === "fargate" &&
    !(isObject(settings["fargate"]) && typeof settings["fargate"]["region"] === "string")
  )
    return refuse("a fargate cluster's settings name no region");
  for (const key of ["handle", "partial"] as const)
    if (value[key] !== undefined && value[key] !== null && !isObject(value[key]))
      return refuse(`${key} is not an object`);
  const handle = value["handle"];
  if (isObject(handle) && (handle["clusterId"] !== clusterId || handle["backend"] !== value["backend"]))
    return refuse(
      `its handle is of cluster ${JSON.stringify(handle["clusterId"])} on ${JSON.stringify(handle["backend"])}`,
    );
  const partial = value["partial"];
  if (isObject(partial) && partial["backend"] !== undefined && partial["backend"] !== value["backend"])
    return refuse(`its partial start is on ${JSON.stringify(partial["backend"])}, not ${value["backend"]}`);
  if (value["tlsDir"] !== undefined && typeof value["tlsDir"] !== "string") return refuse("tlsDir is not a string");
  if (value["tornDown"] !== undefined && typeof value["tornDown"] !== "boolean")
    return refuse("tornDown is not true or false");
  // Records written before the TLS directory had its own name called it stateDir (the record and its handle).
  const tlsDir = value["tlsDir"] ?? (typeof value["stateDir"] === "string" ? value["stateDir"] : undefined);
  const { stateDir: _old, ...rest } = value;
  return {
    ...(rest as unknown as SavedCluster),
    ...(tlsDir !== undefined ? { tlsDir: tlsDir as string } : {}),
    handle: handleOf(handle),
    partial: partialOf(partial, value["backend"] as BackendName),
  };
}

/** A saved handle; one written before the rename names its TLS directory `stateDir`. */
function handleOf(value: unknown): ClusterHandle | undefined {
  if (!isObject(value)) return undefined;
  if (value["tlsDir"] !== undefined || typeof value["stateDir"] !== "string") return value as unknown as ClusterHandle;
  const { stateDir, ...rest } = value;
  return { ...rest, tlsDir: stateDir } as unknown as ClusterHandle;
}

/**
 * A saved partial start. Records written before the partial carried its backend held `{ resources, fargate }`
 * (`resources` always empty): they are read as the backend's partial, so a later teardown still finds what they name.
 */
function partialOf(value: unknown, backend: BackendName): PartialCluster | undefined {
  if (!isObject(value)) return undefined;
  if (value["backend"] === "docker" || value["backend"] === "fargate") return value as unknown as PartialCluster;
  if (backend === "fargate" && isObject(value["fargate"]))
    return { backend, fargate: value["fargate"] as unknown as FargateResources };
  return backend === "docker" ? { backend } : undefined;
}

/** The text of a saved cluster (parseSavedCluster reads it back). */
export function formatSavedCluster(saved: SavedCluster): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
