import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";

// What image tests, the CLI's and the action's tests and the benchmarks build with and clean up after.

const run = promisify(execFile);

/**
 * Writes a real, minimal wheel (PEP 427) for the project `dfa_probe` whose module holds `value`.
 * Built with Python's zipfile so the test needs no build backend and no network.
 */
export async function writeProbeWheel(dir: string, value: string, version = "1.0"): Promise<string> {
  await mkdir(join(dir, "wheels"), { recursive: true });
  const path = join(dir, "wheels", `dfa_probe-${version}-py3-none-any.whl`);
  const script = `
import sys, zipfile, hashlib, base64
path, value, version = sys.argv[1], sys.argv[2], sys.argv[3]
info = f"dfa_probe-{version}.dist-info"
files = {
  "dfa_probe/__init__.py": f"VALUE = {value!r}\\n",
  f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: dfa-probe\\nVersion: {version}\\n",
  f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: dfa-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = []
with zipfile.ZipFile(path, "w") as z:
  for name, text in files.items():
    data = text.encode()
    z.writestr(name, data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(data)}")
  record.append(f"{info}/RECORD,,")
  z.writestr(f"{info}/RECORD", "\\n".join(record) + "\\n")
`;
  await run("python3", ["-c", script, path, value, version]);
  return path;
}

/** Makes a temporary project directory holding `files` (path → text). */
export async function projectDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dfa-image-it-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/**
 * Removes every tag that starts with `prefix`, by name: the same content built for another tag (the demo's
 * `dask-fargate-env:…` from the same requirements) has the same image id, and removing by id would take it too.
 */
export async function removeTagsStartingWith(docker: Docker, prefix: string): Promise<void> {
  for (const image of await docker.listImages())
    for (const tag of image.RepoTags ?? [])
      if (tag.startsWith(prefix))
        await docker
          .getImage(tag)
          .remove()
          .catch(() => {});
}

/**
 * Empties the engine of what one test or benchmark built, as on a fresh runner: the tags starting with `repository`,
 * and BuildKit's cache records of steps whose text holds `nonce` with every record built on them. Other users'
 * images and cache on the shared engine are left alone.
 */
export async function emptyEngineOf(docker: Docker, repository: string, nonce: string): Promise<void> {
  await removeTagsStartingWith(docker, repository);
  for (let round = 0; round < 6; round++) {
    const df = (await docker.df()) as { BuildCache?: { ID: string; Parent?: string; Description?: string }[] | null };
    const records = df.BuildCache ?? [];
    const ours = new Set(records.filter((r) => r.Description?.includes(nonce)).map((r) => r.ID));
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of records)
        if (r.Parent && ours.has(r.Parent) && !ours.has(r.ID)) {
          ours.add(r.ID);
          grew = true;
        }
    }
    if (ours.size === 0) return;
    for (const id of ours) {
      // One id per call: the engine turns the filter into BuildKit's `id~=` match. (dockerode's pruneBuilder sends no
      // filters and would prune the whole engine's cache, which other users share.)
      await new Promise<void>((resolve, reject) =>
        docker.modem.dial(
          {
            path: "/build/prune?",
            method: "POST",
            options: { filters: JSON.stringify({ id: [id] }) },
            statusCodes: { 200: true },
          } as never,
          (error: unknown) => (error ? reject(error) : resolve()),
        ),
      );
    }
  }
  throw new Error("BuildKit cache records of this test are still there after pruning");
}
