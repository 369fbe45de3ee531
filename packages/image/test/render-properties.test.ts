import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ImageError, renderBuildContext } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";

// Property-based tests (issue 14): for any environment file the parser accepts, the rendered Dockerfile
// carries no user text in RUN, ENTRYPOINT or CMD (user text reaches the image only through copied files,
// ENV and LABEL), every line is an instruction this package writes (so no user text starts an instruction
// of its own), and the content hash is a function of the normalised spec alone. Any file it refuses is
// refused with an ImageError (never a TypeError). User tokens carry the marker "zq" so they can be found.

const MARK = "zq";
/** Text a user might write in any field, hostile characters included. */
const hostile = fc.string({
  unit: fc.constantFrom(
    "a",
    "1",
    "-",
    "_",
    ".",
    " ",
    "$",
    "(",
    ")",
    "`",
    ";",
    "&",
    "|",
    "'",
    '"',
    "\\",
    "\n",
    "#",
    "=",
    ">",
    "<",
    "*",
    "é",
    "\u202e",
  ),
  maxLength: 12,
});
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const version = fc.oneof(
  { arbitrary: fc.constant(""), weight: 3 },
  { arbitrary: fc.stringMatching(/^(==|>=|<=|=|!=|~=)?[0-9]{1,2}(\.[0-9*]{1,2}){0,2}$/), weight: 3 },
  { arbitrary: hostile, weight: 1 },
);
/** Mostly plausible text, sometimes hostile: enough files are accepted for the properties to say something. */
const mostlyWord = fc.oneof({ arbitrary: word, weight: 6 }, { arbitrary: hostile, weight: 1 });
const yamlString = (s: string) => JSON.stringify(s);

const condaFile = fc
  .record({
    name: fc.option(mostlyWord, { nil: undefined }),
    channels: fc.array(
      fc.oneof({ arbitrary: word.map((w) => `${MARK}${w}`), weight: 6 }, { arbitrary: hostile, weight: 1 }),
      { maxLength: 2 },
    ),
    conda: fc.uniqueArray(fc.tuple(word, version), { selector: ([n]) => n, maxLength: 3 }),
    pip: fc.uniqueArray(fc.tuple(word, version), { selector: ([n]) => n.replace(/[-_.]+/g, "-"), maxLength: 3 }),
    variables: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}$/), mostlyWord), {
      selector: ([n]) => n,
      maxLength: 2,
    }),
  })
  .map(({ name, channels, conda, pip, variables }) => {
    const lines: string[] = [];
    if (name !== undefined) lines.push(`name: ${yamlString(`${MARK}${name}`)}`);
    if (channels.length > 0) lines.push("channels:", ...channels.map((c) => `  - ${yamlString(c)}`));
    if (variables.length > 0)
      lines.push(
        "variables:",
        ...variables.map(([k, v]) => `  ${MARK.toUpperCase()}${k}: ${yamlString(`${MARK}${v}`)}`),
      );
    lines.push("dependencies:", "  - python=3.11", ...conda.map(([n, v]) => `  - ${yamlString(`${MARK}${n}${v}`)}`));
    if (pip.length > 0)
      lines.push("  - pip", "  - pip:", ...pip.map(([n, v]) => `    - ${yamlString(`${MARK}${n}${v}`)}`));
    return `${lines.join("\n")}\n`;
  });

const requirementsFile = fc
  .uniqueArray(fc.tuple(word, version), { selector: ([n]) => n.replace(/[-_.]+/g, "-"), minLength: 1, maxLength: 4 })
  .map((rows) => `${rows.map(([n, v]) => `${MARK}${n}${v}`).join("\n")}\n`);

/** Each instruction of a Dockerfile with its continuation lines joined. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const INSTRUCTION = /^(FROM|ARG|COPY|RUN|ENV|LABEL|USER|WORKDIR|ENTRYPOINT|CMD) /;

/** Parses and renders; undefined when the parser refuses the file (with an ImageError, checked here). */
function render(file: string, text: string, baseImage?: string) {
  let spec: ReturnType<typeof parseEnvironment>;
  try {
    spec = parseEnvironment(file, text);
  } catch (error) {
    expect(ImageError.isInstance(error), String(error)).toBe(true);
    return undefined;
  }
  return renderBuildContext(spec, baseImage ? { baseImage } : {});
}

describe.each([
  ["a conda environment file", "environment.yml", condaFile, undefined],
  ["a requirements file", "requirements.txt", requirementsFile, "python:3.11-slim"],
] as const)("%s", (_kind, file, arbitrary, baseImage) => {
  test("accepted: no user text in RUN, ENTRYPOINT or CMD; every line an instruction of ours", () => {
    let accepted = 0;
    fc.assert(
      fc.property(arbitrary, (text) => {
        const built = render(file, text, baseImage);
        if (!built) return;
        accepted += 1;
        for (const line of instructions(built.dockerfile)) {
          expect(line).toMatch(INSTRUCTION);
          if (/^(RUN|ENTRYPOINT|CMD) /.test(line)) expect(line.toLowerCase()).not.toContain(MARK);
        }
      }),
      { numRuns: 300 },
    );
    // The property would be empty if the generator gave only refused files.
    expect(accepted).toBeGreaterThan(30);
  });

  test("accepted: the content hash is stable (same text, a comment added, rendered twice)", () => {
    fc.assert(
      fc.property(arbitrary, (text) => {
        const first = render(file, text, baseImage);
        if (!first) return;
        const again = render(file, text, baseImage);
        const commented = render(file, `# a comment\n${text}`, baseImage);
        expect(again?.contentHash).toBe(first.contentHash);
        expect(commented?.contentHash).toBe(first.contentHash);
        expect(first.tag).toContain(first.contentHash.slice(0, 12));
      }),
      { numRuns: 150 },
    );
  });
});

test("the hash changes when the environment does (a property that can fail)", () => {
  fc.assert(
    fc.property(word, word, (a, b) => {
      // PEP 503: names that differ only in runs of -, _ and . are the same project.
      fc.pre(a.replace(/[-_.]+/g, "-") !== b.replace(/[-_.]+/g, "-"));
      const one = render("requirements.txt", `${MARK}${a}\n`, "python:3.11-slim");
      const two = render("requirements.txt", `${MARK}${b}\n`, "python:3.11-slim");
      if (!one || !two) return;
      expect(one.contentHash).not.toBe(two.contentHash);
    }),
    { numRuns: 100 },
  );
});
