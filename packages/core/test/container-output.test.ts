import { PassThrough, Readable } from "node:stream";
import Docker from "dockerode";
import { expect, test } from "vitest";
import { lastLines, streamLines } from "../src/docker/members.js";

/** One frame of a non-TTY container's multiplexed output: stream type, 3 zero bytes, payload size, payload. */
const frame = (stream: 1 | 2, payload: Buffer | string) => {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};
// The engine client's own demultiplexer; constructing the client connects to nothing.
const modem = new Docker().modem;
const containerWith = (logs: Buffer) => ({ modem, logs: async () => logs }) as unknown as Docker.Container;

test("lastLines keeps stdout and stderr in the order written", async () => {
  const logs = Buffer.concat([
    frame(1, "loading\n"),
    frame(2, "Traceback (most recent call last):\n"),
    frame(1, "last words"),
  ]);
  expect(await lastLines(containerWith(logs))).toEqual(["loading", "Traceback (most recent call last):", "last words"]);
});

test("lastLines of a TTY container (no frame headers) is its text, not bytes read as headers", async () => {
  expect(await lastLines(containerWith(Buffer.from("plain output\nsecond line\n")))).toEqual([
    "plain output",
    "second line",
  ]);
});

test("streamLines gives a character cut between two frames whole, and each line its stream", async () => {
  const word = Buffer.from("café\n");
  const cut = word.indexOf(Buffer.from("é")) + 1;
  const stream = new PassThrough();
  const lines: string[] = [];
  const done = streamLines({ modem } as unknown as Docker, stream, (line, source) => lines.push(`${source}: ${line}`));
  for (const chunk of [
    frame(1, word.subarray(0, cut)),
    frame(1, word.subarray(cut)),
    frame(2, "warning\r\n"),
    frame(1, "no newline"),
  ])
    stream.write(chunk);
  stream.end();
  await done;
  expect(lines.sort()).toEqual(["stderr: warning", "stdout: café", "stdout: no newline"]);
});

test("a finished source gives every line (Readable.from, as lastLines feeds it)", async () => {
  const lines: string[] = [];
  await streamLines({ modem } as unknown as Docker, Readable.from([frame(1, "a\nb\n")]), (line) => lines.push(line));
  expect(lines).toEqual(["a", "b"]);
});
