import { PassThrough, Readable } from "node:stream";
import type Docker from "dockerode";
import { extract } from "tar-stream";

/**
 * What is inside an image: the Python version and every installed Python distribution with its version,
 * keyed by normalised name (PEP 503: lower case, runs of `-_.` as `-`).
 */
export interface ImageRecord {
  readonly python: string;
  readonly packages: Readonly<Record<string, string>>;
}

/** Where a generated image keeps its record (the image's label `io.dask-fargate-action.record` names it too). */
export const RECORD_PATHS = {
  micromamba: "/opt/conda/share/dask-fargate-action/packages.json",
  pip: "/usr/share/dask-fargate-action/packages.json",
} as const;

/**
 * The fixed Python program that writes a record: importlib.metadata (Python 3.8+) sees conda's and pip's Python
 * packages alike, so one program serves both installers. No user text: it is written into a RUN line as is.
 */
export const RECORD_PROGRAM =
  "import importlib.metadata as m, json, platform, re; " +
  "d = {re.sub(r'[-_.]+', '-', x.metadata['Name']).lower(): x.version for x in m.distributions() if x.metadata['Name']}; " +
  "print(json.dumps({'python': platform.python_version(), 'packages': dict(sorted(d.items()))}, indent=1))";

/** The versions the CLI prints and the action shows: the ones a Dask training depends on. */
export const KEY_PACKAGES = ["dask", "distributed", "xgboost", "scikit-learn"] as const;

/** `python 3.11.2, dask 2022.12.1, …` with `-` for what is not installed. */
export function formatKeyVersions(record: ImageRecord): string {
  return [`python ${record.python}`, ...KEY_PACKAGES.map((name) => `${name} ${record.packages[name] ?? "-"}`)].join(
    ", ",
  );
}

/**
 * What changed between two records, one line each: `dask 2024.12.0 → 2024.12.1`, `name 1.0 (added)`,
 * `name 1.0 (removed)`; Python and the key packages first, then the others by name.
 */
export function diffRecords(before: ImageRecord, after: ImageRecord): string[] {
  const lines: string[] = [];
  if (before.python !== after.python) lines.push(`python ${before.python} → ${after.python}`);
  const names = [...new Set([...Object.keys(before.packages), ...Object.keys(after.packages)])].sort((a, b) => {
    const rank = (n: string) => {
      const i = (KEY_PACKAGES as readonly string[]).indexOf(n);
      return i < 0 ? KEY_PACKAGES.length : i;
    };
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const name of names) {
    const [was, now] = [before.packages[name], after.packages[name]];
    if (was === now) continue;
    lines.push(
      was === undefined
        ? `${name} ${now} (added)`
        : now === undefined
          ? `${name} ${was} (removed)`
          : `${name} ${was} → ${now}`,
    );
  }
  return lines;
}

/** `changes since IMAGE: a → b, …` (or `none in the package record`), as the CLI and the action show it. */
export function changesText(changes: { readonly since: string; readonly lines: readonly string[] }): string {
  return `changes since ${changes.since}: ${changes.lines.length > 0 ? changes.lines.join(", ") : "none in the package record"}`;
}

/** Parses the JSON a record program printed; undefined when it is not a record. */
export function parseImageRecord(text: string): ImageRecord | undefined {
  try {
    const value = JSON.parse(text) as { python?: unknown; packages?: unknown };
    if (typeof value.python !== "string" || typeof value.packages !== "object" || value.packages === null)
      return undefined;
    const packages = Object.fromEntries(
      Object.entries(value.packages).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    return { python: value.python, packages };
  } catch {
    return undefined;
  }
}

/**
 * Reads the record of a local image. A generated image carries it at the path its record label names; it is
 * copied out of a created, never started container. An image without one (your own Dockerfile, an image built
 * before records) gets the same program run once with Python as the entrypoint, so the image's own entrypoint
 * script does not run. Undefined when the image has no Python.
 */
export async function readImageRecord(
  docker: Docker,
  image: string,
  recordLabel: string,
): Promise<ImageRecord | undefined> {
  const info = await docker.getImage(image).inspect();
  const path = info.Config?.Labels?.[recordLabel];
  if (path) {
    const container = await docker.createContainer({ Image: image, Entrypoint: ["/bin/true"], Cmd: [] });
    try {
      const archive = (await container.getArchive({ path })) as unknown as NodeJS.ReadableStream;
      const text = await firstFileOf(archive);
      const record = text === undefined ? undefined : parseImageRecord(text);
      if (record) return record;
    } finally {
      await container.remove({ force: true });
    }
  }
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["sh", "-c", 'exec "$(command -v python3 || command -v python)" -c "$0"', RECORD_PROGRAM],
    Cmd: [],
    HostConfig: { NetworkMode: "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) return undefined;
    const logs = (await container.logs({ stdout: true, stderr: false })) as Buffer;
    return parseImageRecord(await stdoutOf(docker, logs));
  } finally {
    await container.remove({ force: true });
  }
}

async function firstFileOf(archive: NodeJS.ReadableStream): Promise<string | undefined> {
  const reader = extract();
  let text: string | undefined;
  reader.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => chunks.push(c as Buffer));
    stream.on("end", () => {
      if (text === undefined && header.type === "file") text = Buffer.concat(chunks).toString("utf8");
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    reader.on("finish", resolve);
    reader.on("error", reject);
    archive.pipe(reader);
  });
  return text;
}

/** The stdout of a container log (8-byte frame headers when non-TTY), split by the engine client's own `demuxStream`. */
async function stdoutOf(docker: Docker, logs: Buffer): Promise<string> {
  const stdout = new PassThrough();
  const text = new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c));
    stdout.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
  const source = Readable.from([logs]);
  await new Promise<void>((resolve, reject) => {
    source.on("end", resolve);
    source.on("error", reject);
    docker.modem.demuxStream(source, stdout, new PassThrough().resume());
  });
  stdout.end();
  return text;
}
