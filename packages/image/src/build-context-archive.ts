import { pack } from "tar-stream";
import type { ContextEntry } from "./dockerfile-context.js";

/**
 * Packs a build context into an in-memory tar. Entries are sorted and carry fixed owners, modes and
 * times, so the same files always give the same bytes.
 */
export async function archiveBuildContext(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const paths = [...files.keys()].sort();
  return archiveContextEntries(
    paths.map((path) => ({ path, type: "file", mode: 0o644, content: files.get(path) ?? Buffer.alloc(0) })),
  );
}

/**
 * Packs context entries (files with their permission bits, directories, symbolic links as links) into an
 * in-memory tar, in the given order, with owner root and a fixed time: the same entries give the same bytes,
 * and the engine's COPY keeps the permission bits as the Docker CLI sends them.
 */
export async function archiveContextEntries(entries: readonly ContextEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  const fixed = { mtime: new Date(0), uid: 0, gid: 0, uname: "", gname: "" };
  for (const entry of entries) {
    if (entry.type === "file")
      archive.entry({ ...fixed, name: entry.path, size: entry.content.length, mode: entry.mode }, entry.content);
    else if (entry.type === "directory")
      archive.entry({ ...fixed, name: entry.path, type: "directory", mode: entry.mode });
    else archive.entry({ ...fixed, name: entry.path, type: "symlink", linkname: entry.target, mode: 0o777 });
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
