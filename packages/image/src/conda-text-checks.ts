import { ENVIRONMENT_EXAMPLE } from "./conda-file-source.js";
import { EnvironmentFileError } from "./errors.js";

/** Shape checks on the raw text that give better messages than a YAML parser error for common mistakes. */
export function checkBeforeYaml(file: string, text: string): void {
  const lines = text.split(/\r?\n/);
  const significant = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== "" && !l.trim().startsWith("#"));
  if (significant.length === 0) {
    throw new EnvironmentFileError(
      { file, line: 1, column: 1 },
      "the file is empty",
      `write at least:\n    ${ENVIRONMENT_EXAMPLE}`,
    );
  }
  for (const [i, l] of lines.entries()) {
    const tab = /^[ ]*\t/.exec(l);
    if (tab) {
      throw new EnvironmentFileError(
        { file, line: i + 1, column: tab[0].length },
        "a tab is used for indentation, which YAML forbids",
        "indent with spaces (two per level)",
      );
    }
  }
  const first = significant[0];
  const second = significant[1];
  if (first && !/^\s*-\s/.test(first.l) && !/^[^#]*:(\s|$)/.test(first.l) && second && /^\s+-\s/.test(second.l)) {
    // The tutorial's snippet: a bare "python=3.8.3" line followed by an indented list.
    const spec = first.l.trim();
    throw new EnvironmentFileError(
      { file, line: first.i + 1, column: first.l.indexOf(spec) + 1 },
      `"${spec}" stands where a key belongs: the list below it has no "dependencies:" key`,
      `replace line ${first.i + 1} with these two lines:\n    dependencies:\n      - ${spec}`,
    );
  }
}
