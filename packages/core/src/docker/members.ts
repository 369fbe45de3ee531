import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import type { ClusterSpec } from "../cluster-spec.js";
import { DASHBOARD_PORT, SCHEDULER_PORT, TLS_DIR, TLS_FILES } from "../dask-commands.js";
import { clusterLabels, type MemberRole } from "../labels.js";
import { lineSplitter } from "../output-lines.js";
import type { TlsIdentity } from "../tls.js";

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
  readonly workingDir?: string;
}

/** Creates (does not start) a member container on the cluster's network, with CPU and memory limits from the spec. */
export async function createMember(docker: Docker, spec: ClusterSpec, options: MemberOptions): Promise<Docker.Container> {
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
      ...(options.publish ? { PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostIp: "127.0.0.1", HostPort: "" }]])) } : {}),
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

/** The last lines a container printed (stdout and stderr), for failure reports. */
export async function lastLines(container: Docker.Container, count = 15): Promise<string[]> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, tail: count })) as unknown as Buffer;
    return demuxBuffer(raw)
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l !== "");
  } catch {
    return [];
  }
}

/** Streams a started or attached container's output line by line. */
export function streamLines(docker: Docker, stream: NodeJS.ReadableStream, onLine: (line: string, source: "stdout" | "stderr") => void): Promise<void> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = lineSplitter((l) => onLine(l, "stdout"));
  const err = lineSplitter((l) => onLine(l, "stderr"));
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, stdout, stderr);
  return new Promise((resolve) => {
    const end = () => {
      out.flush();
      err.flush();
      resolve();
    };
    stream.on("end", end);
    stream.on("close", end);
    stream.on("error", end);
  });
}

/** Strips the 8-byte headers of a non-TTY container log buffer. */
export function demuxBuffer(buffer: Buffer): string {
  let out = "";
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    out += buffer.subarray(offset + 8, offset + 8 + size).toString("utf8");
    offset += 8 + size;
  }
  return out;
}
