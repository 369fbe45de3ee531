import { pack } from "tar-stream";

/**
 * Packs a build context into an in-memory tar. Entries are sorted and carry fixed owners, modes and
 * times, so the same files always give the same bytes.
 */
export async function archiveBuildContext(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const content = files.get(path) ?? Buffer.alloc(0);
    archive.entry({ name: path, size: content.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: "", gname: "" }, content);
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
