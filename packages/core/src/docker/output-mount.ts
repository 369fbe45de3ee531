import { chmodSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import type { ClusterHandle } from "../cluster.js";
import { clusterLabels } from "../internal/labels.js";
import { CONTAINER_OUTPUT_DIR, type SkippedOutput } from "../job-outputs.js";
import type { Logger } from "../logger.js";
import { sweepOutputDir } from "./output-sweep.js";

/**
 * The output directory as a writable bind mount of a job container. The container runs as the image's user,
 * whose uid is unknown here, so the directory itself (not the files in it) is opened to every user for the
 * job's duration; {@link OutputMount.restore} gives the files back to this process's user, puts the
 * directory's mode back and removes what is not a regular file (see {@link sweepOutputDir}). Files keep the
 * modes the job gave them (readable with the usual umask 022).
 */
export interface OutputMount {
  /** `host:container:rw`, for the job container's binds. */
  readonly bind: string;
  /** Gives the files back and removes every entry that is not a regular file or directory; returns those. */
  restore(): Promise<SkippedOutput[]>;
}

/** Opens `dir` (absolute, existing) for the job container; see {@link OutputMount}. */
export function openOutputMount(docker: Docker, handle: ClusterHandle, dir: string, logger: Logger): OutputMount {
  const mode = statSync(dir).mode & 0o7777;
  chmodSync(dir, 0o777);
  return {
    bind: `${dir}:${CONTAINER_OUTPUT_DIR}:rw`,
    restore: async () => {
      try {
        const uid = process.getuid?.();
        const gid = process.getgid?.();
        if (uid !== undefined && gid !== undefined && ownedByOthers(dir, uid))
          await chownInContainer(docker, handle, dir, `${uid}:${gid}`);
      } catch (error) {
        logger.warn(
          `the job's outputs in ${dir} may stay owned by the container's user: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        chmodSync(dir, mode);
      }
      let skipped: SkippedOutput[];
      try {
        skipped = sweepOutputDir(dir);
      } catch (error) {
        logger.warn(
          `could not check ${dir} for links and special files: ${error instanceof Error ? error.message : String(error)}; do not upload it as it is`,
        );
        return [];
      }
      for (const entry of skipped)
        logger.warn(
          `removed ${entry.path} (a ${entry.reason}) from the job's output directory: only regular files come back`,
        );
      return skipped;
    },
  };
}

/** Whether anything under `dir` belongs to another uid than `uid`. */
function ownedByOthers(dir: string, uid: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (lstatSync(path).uid !== uid) return true;
    if (entry.isDirectory() && ownedByOthers(path, uid)) return true;
  }
  return false;
}

/**
 * Only root may give files to another user: a short container of the cluster's image (as root, no network,
 * labelled with the cluster so teardown removes it if this process dies) runs `chown -R`.
 */
async function chownInContainer(docker: Docker, handle: ClusterHandle, dir: string, owner: string): Promise<void> {
  const container = await docker.createContainer({
    Image: handle.spec.image,
    User: "0",
    Cmd: ["chown", "-R", owner, CONTAINER_OUTPUT_DIR],
    Labels: clusterLabels(handle.clusterId, handle.createdAt, handle.expiresAt, handle.spec.labels, "job"),
    HostConfig: { NetworkMode: "none", Binds: [`${dir}:${CONTAINER_OUTPUT_DIR}:rw`] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`chown in a container of ${handle.spec.image} exited with ${StatusCode}`);
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
