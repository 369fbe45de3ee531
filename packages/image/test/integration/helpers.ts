import type Docker from "dockerode";
import type { Logger } from "../../src/index.js";

/** A logger that keeps every line, to assert on output (and on what must never be in it). */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
  };
}

/** Engine events of the given types between two times (seconds since the epoch). */
export async function engineEvents(
  docker: Docker,
  since: number,
  until: number,
): Promise<{ Type: string; Action: string; Actor?: { Attributes?: Record<string, string> } }[]> {
  const stream = (await docker.getEvents({ since, until })) as unknown as NodeJS.ReadableStream;
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

/** Runs a command in a fresh container of `image` and returns its output; the container is removed. */
export async function runInImage(
  docker: Docker,
  image: string,
  cmd: string[],
): Promise<{ output: string; exitCode: number }> {
  const container = await docker.createContainer({ Image: image, Cmd: cmd, HostConfig: { AutoRemove: false } });
  try {
    await container.start();
    const { StatusCode } = await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true });
    return { output: demux(logs), exitCode: StatusCode };
  } finally {
    await container.remove({ force: true });
  }
}

/** Strips the 8-byte stream headers of a non-TTY container log. */
function demux(buffer: Buffer): string {
  let out = "";
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    out += buffer.subarray(offset + 8, offset + 8 + size).toString("utf8");
    offset += 8 + size;
  }
  return out;
}
