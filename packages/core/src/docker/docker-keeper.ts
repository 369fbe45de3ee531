import type Docker from "dockerode";
import type { ClusterHandle, MemberWatch } from "../cluster.js";
import { workerReplacementLimit } from "../cluster-spec.js";
import { LABEL } from "../internal/labels.js";
import { readLines } from "../internal/output-lines.js";
import type { Logger } from "../logger.js";
import { ReplacementLedger, stoppedOnPurpose } from "../worker-keeper.js";

/** The stop code a Docker member's loss is reported with (ECS's codes name Fargate's causes). */
export const CONTAINER_DIED = "ContainerDied";

/**
 * Watches a Docker cluster's scheduler and workers while a job runs (the engine's `die` events): a member that
 * dies is reported with its exit code (and `OutOfMemoryError` when the kernel killed it for memory), and a dead
 * worker is started again, up to `max-worker-replacements`. Started again, not replaced by a new container: it
 * keeps its name, labels, limits, network and the TLS files copied in before its first start (never in container
 * metadata), so teardown, the reaper and `scale` (which counts workers by label and name) see the same worker and
 * nothing new needs removing; the Dask worker inside is a fresh process that registers anew. `stop()` ends the watch.
 */
export async function keepDockerWorkers(
  handle: ClusterHandle,
  options: { docker: Docker; logger: Logger },
): Promise<MemberWatch> {
  const { docker, logger } = options;
  const ledger = new ReplacementLedger(workerReplacementLimit(handle.spec), logger);
  const stream = (await docker.getEvents({
    filters: { type: ["container"], event: ["die"], label: [`${LABEL.clusterId}=${handle.clusterId}`] },
  })) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
  stream.on("error", () => {});
  let ended = false;
  const restarts = new Set<Promise<void>>();
  const restart = async (id: string, member: string, exitCode: number | undefined, reason: string | undefined) => {
    try {
      await docker.getContainer(id).start();
      ledger.replaced({
        member,
        stopCode: CONTAINER_DIED,
        exitCode,
        reason,
        replacement: `${member} (started again)`,
        startedAt: Date.now(),
      });
    } catch (error) {
      ledger.failed(member, error);
    }
  };
  const onDie = async (id: string, attributes: Record<string, string>) => {
    const member = attributes["name"] ?? "a member";
    const exitCode = attributes["exitCode"] !== undefined ? Number(attributes["exitCode"]) : undefined;
    let removed = false;
    const state = await docker
      .getContainer(id)
      .inspect()
      .then((info) => info.State)
      .catch((error: { statusCode?: number }) => {
        removed = error.statusCode === 404;
        return undefined;
      });
    const reason = state?.OOMKilled
      ? "OutOfMemoryError: container killed due to memory usage"
      : state?.Error || undefined;
    const worker = attributes[LABEL.role] === "worker";
    // A container that is gone was removed on purpose (a scale-down, adaptive retirement, teardown).
    const onPurpose =
      removed || state?.Status === "removing"
        ? "its container was removed"
        : stoppedOnPurpose({ exitCode, stopCode: CONTAINER_DIED });
    if (ledger.lost({ member, exitCode, reason, stopCode: CONTAINER_DIED, worker, onPurpose }) && !ended)
      await restart(id, member, exitCode, reason);
  };
  // One JSON event per line.
  void readLines(stream, (line) => {
    try {
      const event = JSON.parse(line) as { id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
      const attributes = event.Actor?.Attributes ?? {};
      const id = event.Actor?.ID ?? event.id;
      if (attributes[LABEL.role] === "job" || !id || ended) return;
      const handling = onDie(id, attributes);
      restarts.add(handling);
      void handling.finally(() => restarts.delete(handling));
    } catch {
      // a foreign line: ignore
    }
  });
  return ledger.watch(async () => {
    ended = true;
    stream.destroy?.();
    await Promise.all([...restarts]);
  });
}
