import Docker from "dockerode";
import { LABEL } from "../../src/internal/labels.js";

export const docker = new Docker();

/** Containers and networks that carry a cluster's label (what teardown must leave at zero). */
export async function leftovers(clusterId: string): Promise<string[]> {
  const filter = { label: [`${LABEL.clusterId}=${clusterId}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  const networks = await docker.listNetworks({ filters: filter });
  const volumes = (await docker.listVolumes({ filters: filter })).Volumes ?? [];
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...volumes.map((v) => `volume ${v.Name}`),
  ];
}

/** A logger that records lines. */
export function recorder(): { lines: string[]; info(m: string): void; warn(m: string): void; debug(m: string): void } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} };
}
