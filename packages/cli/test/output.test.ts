import { expect, test } from "vitest";
import { wantsSpinner } from "../src/output.js";

const terminal = (columns: number | undefined, isTTY = true) => ({ isTTY, columns }) as unknown as NodeJS.WriteStream;

test.each([
  ["a sized terminal", terminal(100), { TERM: "xterm-256color" }, true],
  ["a pipe", terminal(undefined, false), { TERM: "xterm-256color" }, false],
  ["a terminal that reports 0 columns", terminal(0), { TERM: "xterm-256color" }, false],
  ["TERM=dumb", terminal(100), { TERM: "dumb" }, false],
  ["CI set (any value)", terminal(100), { TERM: "xterm", CI: "" }, false],
])("spinner on %s", (_name, stream, env, expected) => {
  expect(wantsSpinner(stream, env)).toBe(expected);
});
