import { Readable } from "node:stream";
import { expect, test } from "vitest";
import { type EngineMessage, readEngineStream } from "../src/docker-stream.js";

const read = async (chunks: Buffer[]) => {
  const messages: EngineMessage[] = [];
  const error = await readEngineStream(Readable.from(chunks), (m) => messages.push(m));
  return { messages, error };
};

test("a character cut between two chunks of the engine's stream arrives whole", async () => {
  const line = Buffer.from(`${JSON.stringify({ stream: "Step 3/9 : RUN echo café ✓" })}\n`);
  const cut = line.indexOf(Buffer.from("é")) + 1; // inside the two bytes of é
  const { messages } = await read([line.subarray(0, cut), line.subarray(cut)]);
  expect(messages).toEqual([{ stream: "Step 3/9 : RUN echo café ✓" }]);
});

test("CRLF, a last line without newline and the first error message", async () => {
  const text = `${JSON.stringify({ stream: "one" })}\r\n${JSON.stringify({ error: "boom", errorDetail: { message: "boom" } })}\n${JSON.stringify({ stream: "tail" })}`;
  const { messages, error } = await read([Buffer.from(text)]);
  expect(messages.map((m) => m.stream ?? m.error)).toEqual(["one", "boom", "tail"]);
  expect(error?.error).toBe("boom");
});
