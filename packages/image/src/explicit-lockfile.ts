import { EnvironmentFileError } from "./errors.js";
import type { PositionedText, RawEnvironment } from "./raw-environment.js";

/** True when the text is an explicit conda lockfile (`conda list --explicit`, conda-lock's `--kind explicit`). */
export function isExplicitLockfile(text: string): boolean {
  return /^@EXPLICIT\s*$/m.test(text);
}

/**
 * Parses an explicit conda lockfile: comments, the `@EXPLICIT` marker, then one package URL per line
 * (optionally followed by `#md5` or `#sha256`). Installing it never re-solves.
 */
export function parseExplicitLockfile(file: string, text: string): RawEnvironment {
  const explicit: PositionedText[] = [];
  let sawMarker = false;
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const position = { file, line: index + 1, column: rawLine.indexOf(line) + 1 };
    if (line === "@EXPLICIT") {
      sawMarker = true;
      continue;
    }
    if (!sawMarker) {
      throw new EnvironmentFileError(
        position,
        `"${line}" comes before the @EXPLICIT line`,
        "an explicit lockfile lists package URLs only after its @EXPLICIT line; regenerate it with `conda list --explicit --md5` or conda-lock",
      );
    }
    explicit.push({ text: line, line: position.line, column: position.column });
  }
  if (explicit.length === 0) {
    throw new EnvironmentFileError(
      { file, line: 1, column: 1 },
      "the lockfile lists no packages after @EXPLICIT",
      "regenerate it with `conda list --explicit --md5` from a working environment",
    );
  }
  return {
    file,
    kind: "explicit-lockfile",
    name: undefined,
    channels: [],
    conda: [],
    explicit,
    pip: [],
    variables: [],
    notices: [],
  };
}
