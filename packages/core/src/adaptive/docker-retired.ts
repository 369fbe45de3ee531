import type Docker from "dockerode";
import type { DockerClusterHandle } from "../cluster.js";
import { names } from "../docker/members.js";
import { LABEL } from "../internal/labels.js";
import type { RetiredWorker } from "./adapt-lines.js";

/**
 * Removes the containers of workers the scheduler retired (adaptive scale-down): Docker workers are named
 * `worker-N` in Dask and `<cluster>-worker-N` on the engine; one found by neither name nor its network address is
 * left alone (never a guess). Returns the handle with the workers that remain.
 */
export async function removeRetiredDockerWorkers(
  docker: Docker,
  handle: DockerClusterHandle,
  retired: readonly RetiredWorker[],
): Promise<DockerClusterHandle> {
  const list = () =>
    docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.clusterId}=${handle.clusterId}`, `${LABEL.role}=worker`] },
    });
  const members = await list();
  const doomed = new Set<string>();
  for (const worker of retired) {
    const index = /^worker-(\d+)$/.exec(worker.name)?.[1];
    const byName =
      index !== undefined
        ? members.find((c) => c.Names.includes(`/${names.worker(handle.clusterId, Number(index))}`))
        : undefined;
    const byHost = members.find((c) =>
      Object.values(c.NetworkSettings?.Networks ?? {}).some((n) => n.IPAddress !== "" && n.IPAddress === worker.host),
    );
    const found = byName ?? byHost;
    if (found) doomed.add(found.Id);
  }
  await Promise.all(
    [...doomed].map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
        }),
    ),
  );
  const left = (await list()).filter((c) => !doomed.has(c.Id)).length;
  return { ...handle, spec: { ...handle.spec, workers: left } };
}
