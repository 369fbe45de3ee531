import { PassThrough, Readable } from "node:stream";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import type { ClusterSpec } from "../cluster-spec.js";
import { DASHBOARD_PORT, SCHEDULER_PORT, TLS_DIR, TLS_FILES } from "../internal/dask-commands.js";
import { clusterLabels, type MemberRole } from "../internal/labels.js";
import { readLines } from "../internal/output-lines.js";
import type { TlsIdentity } from "../internal/tls.js";

/** Names of the Docker objects of a cluster. */
export const names = {
  network: (clusterId: string) => clusterId,
  scheduler: (clusterId: string) => `${clusterId}-scheduler`,
  worker: (clusterId: string, index: number) => `${clusterId}-worker-${index}`,
  job: (clusterId: string, suffix: string) => `${clusterId}-job-${suffix}`,
};

/** What a member container needs besides the spec. */
export interface MemberOptions {
  readonly role: MemberRole;
  readonly name: string;
  readonly command: readonly string[];
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Publish the scheduler and dashboard ports on 127.0.0.1 (random host ports). */
  readonly publish?: boolean;
  readonly binds?: readonly string[];
  /** Empty tmpfs mounts (container path → mount options), e.g. over the working directory's `.git`. */
  readonly tmpfs?: Readonly<Record<string, string>>;
  readonly workingDir?: string;
}

/** Creates (does not start) a member container on the cluster's network, with CPU and memory limits from the spec. */
export async function createMember(
  docker: Docker,
  spec: ClusterSpec,
  options: MemberOptions,
): Promise<Docker.Container> {
  const ports = [`${SCHEDULER_PORT}/tcp`, `${DASHBOARD_PORT}/tcp`];
  return docker.createContainer({
    name: options.name,
    Image: spec.image,
    Cmd: [...options.command],
    Env: Object.entries(options.environment).map(([k, v]) => `${k}=${v}`),
    Labels: clusterLabels(spec.clusterId, options.createdAt, options.expiresAt, spec.labels, options.role),
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    ...(options.publish ? { ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])) } : {}),
    HostConfig: {
      NetworkMode: names.network(spec.clusterId),
      NanoCpus: Math.round(options.cpu * 1e9),
      Memory: options.memoryMiB * 1024 * 1024,
      MemorySwap: options.memoryMiB * 1024 * 1024,
      ...(options.binds ? { Binds: [...options.binds] } : {}),
      ...(options.tmpfs && Object.keys(options.tmpfs).length > 0 ? { Tmpfs: { ...options.tmpfs } } : {}),
      ...(options.publish
        ? { PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostIp: "127.0.0.1", HostPort: "" }]])) }
        : {}),
    },
  });
}

/**
 * Copies TLS files into a created container before it starts, so keys never appear in container
 * metadata (environment, command, labels) or logs. Files are readable inside that container only.
 */
export async function putTlsFiles(container: Docker.Container, identity: TlsIdentity): Promise<void> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  const dir = TLS_DIR.replace(/^\/tmp\//, "");
  archive.entry({ name: `${dir}/`, type: "directory", mode: 0o755 });
  // The member runs as the image's user, whose uid is unknown here: the files are world-readable inside this container only.
  archive.entry({ name: `${dir}/${TLS_FILES.ca}`, mode: 0o444 }, identity.ca);
  archive.entry({ name: `${dir}/${TLS_FILES.cert}`, mode: 0o444 }, identity.cert);
  archive.entry({ name: `${dir}/${TLS_FILES.key}`, mode: 0o444 }, identity.key);
  archive.finalize();
  await done;
  await container.putArchive(Buffer.concat(chunks), { path: "/tmp" });
}

/** The last lines a container printed (stdout and stderr, in the order written), for failure reports and `logs`. */
export async function lastLines(container: Docker.Container, count = 15): Promise<string[]> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, tail: count })) as unknown as Buffer;
    const merged = new PassThrough();
    const lines: string[] = [];
    const reading = readLines(merged, (line) => {
      if (line.trimEnd() !== "") lines.push(line.trimEnd());
    });
    await demux(container.modem as Docker["modem"], Readable.from([raw]), merged, merged);
    merged.end();
    await reading;
    return lines;
  } catch {
    return [];
  }
}

/** Streams a started or attached container's output line by line. */
export async function streamLines(
  docker: Pick<Docker, "modem">,
  stream: NodeJS.ReadableStream,
  onLine: (line: string, source: "stdout" | "stderr") => void,
): Promise<void> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const reading = Promise.all([
    readLines(stdout, (l) => onLine(l, "stdout")),
    readLines(stderr, (l) => onLine(l, "stderr")),
  ]);
  await demux(docker.modem, stream, stdout, stderr);
  stdout.end();
  stderr.end();
  await reading;
}

/**
 * Splits a container's multiplexed output (8-byte frame headers, non-TTY) into its stdout and stderr with the
 * engine client's own `demuxStream` (a TTY container's raw output passes through as stdout); resolves when
 * the source ends, closes or fails.
 */
function demux(
  modem: Docker["modem"],
  stream: NodeJS.ReadableStream,
  stdout: PassThrough,
  stderr: PassThrough,
): Promise<void> {
  return new Promise((resolve) => {
    stream.on("end", () => resolve());
    stream.on("close", () => resolve());
    stream.on("error", () => resolve());
    modem.demuxStream(stream, stdout, stderr);
  });
}
