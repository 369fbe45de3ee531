import { isMap, isScalar, isSeq, LineCounter, type Node } from "yaml";
import { EnvironmentFileError } from "./errors.js";
import type { PositionedText } from "./raw-environment.js";

/** The smallest environment file, shown in the fixes of the errors that lack one. */
export const ENVIRONMENT_EXAMPLE = "dependencies:\n    - python=3.11\n    - dask\n    - pip:\n      - xgboost";

/**
 * One environment file's text as the YAML parser sees it: where a node starts (file, line, column), the text the
 * user wrote for it, and the error that points there.
 */
export class CondaFileSource {
  readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The file, line and column (1-based) of a character offset. */
  at(offset: number): { file: string; line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** Throws the {@link EnvironmentFileError} for `offset`: what is wrong and the change that fixes it. */
  fail(offset: number, problem: string, fix: string): never {
    throw new EnvironmentFileError(this.at(offset), problem, fix);
  }

  /** Where a node starts (0 when it has no range). */
  start(node: Node | null | undefined): number {
    return node?.range?.[0] ?? 0;
  }

  /** The text the user wrote for a node, trimmed. */
  sourceOf(node: Node): string {
    const [from, to] = node.range ?? [0, 0];
    return this.text.slice(from, to).trim();
  }

  /** A scalar's value with its line and column. */
  positioned(node: Node): PositionedText {
    const { line, column } = this.at(this.start(node));
    return { text: String((node as { value?: unknown }).value), line, column };
  }
}

/** What YAML made of a node, in words for an error message. */
export function describeNode(node: Node | null): string {
  if (node === null) return "empty";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return node.value === null ? "empty" : `a ${typeof node.value}`;
  return "not text";
}
