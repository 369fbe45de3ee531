import { createInterface } from "node:readline";

/**
 * Calls `onLine` for every line of a text stream, the last one even without a newline; resolves when it ends.
 * node:readline decodes UTF-8 across chunk boundaries and takes `\r\n` as one break. The one line splitter of
 * every process, container and event stream the tool reads.
 */
export function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", onLine);
  return new Promise((resolve) => lines.once("close", () => resolve()));
}
