import { EnvironmentFileError } from "./errors.js";
import type { PositionedText, RawEnvironment } from "./raw-environment.js";

/**
 * Parses a pip-only `requirements.txt`: one requirement per line, `#` comments, and `\` line
 * continuations. Each requirement keeps its line for error messages; validation happens later.
 * A continued line is joined to the next without a separator, as pip joins them (pip's req_file.py,
 * join_lines), so a URL split over lines is checked (and its credentials found and redacted) whole.
 */
export function parseRequirementsFile(file: string, text: string): RawEnvironment {
  const pip: PositionedText[] = [];
  const lines = text.split(/\r?\n/);
  let pending: PositionedText | undefined;
  for (const [index, rawLine] of lines.entries()) {
    const withoutComment = rawLine.replace(/(^|\s)#.*$/, "");
    const continued = /\\\s*$/.test(withoutComment);
    const part = withoutComment.replace(/\\\s*$/, "").trim();
    const column = rawLine.length - rawLine.trimStart().length + 1;
    if (pending) {
      pending = { ...pending, text: `${pending.text}${withoutComment.replace(/\\\s*$/, "")}`.trim() };
    } else if (part !== "") {
      pending = { text: part, line: index + 1, column };
    }
    if (!continued && pending) {
      pip.push(pending);
      pending = undefined;
    }
  }
  if (pending) pip.push(pending);
  if (pip.length === 0) {
    throw new EnvironmentFileError(
      { file, line: 1, column: 1 },
      "the file lists no requirements",
      "write one requirement per line, e.g.\n    dask[distributed]==2024.8.2\n    xgboost>=2.0",
    );
  }
  return {
    file,
    kind: "requirements",
    name: undefined,
    channels: [],
    conda: [],
    explicit: [],
    pip,
    variables: [],
    notices: [],
  };
}
