import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import { type CondaFileSource, describeNode } from "./conda-file-source.js";
import type { PositionedText } from "./raw-environment.js";

// The values of an environment file's top-level keys other than "dependencies": name and prefix (text), channels
// (a list of text) and variables (a mapping of names to single values).

/** A key's value that must be text (`name`, `prefix`). */
export function expectText(
  source: CondaFileSource,
  value: Node | null,
  keyOffset: number,
  key: string,
  example: string,
): string {
  if (!isScalar(value) || value.value === null)
    source.fail(keyOffset, `"${key}" has no value`, `write e.g. ${example}`);
  const scalar = value as Node & { value: unknown };
  if (typeof scalar.value !== "string") {
    source.fail(
      source.start(scalar),
      `"${key}" must be text, but YAML reads ${source.sourceOf(scalar)} as a ${typeof scalar.value}`,
      `quote it: ${key}: "${source.sourceOf(scalar)}"`,
    );
  }
  return scalar.value as string;
}

/** A key's value that must be a list of non-empty text (`channels`). */
export function expectTextList(
  source: CondaFileSource,
  value: Node | null,
  keyOffset: number,
  key: string,
  example: string,
): PositionedText[] {
  if (!isSeq(value))
    source.fail(value ? source.start(value) : keyOffset, `"${key}" must be a list`, `write:\n    ${example}`);
  return (value as { items: Node[] }).items.map((item) => {
    if (!isScalar(item) || typeof item.value !== "string" || item.value.trim() === "") {
      source.fail(
        source.start(item),
        `this "${key}" entry must be text, but YAML reads it as ${describeNode(item)}`,
        `write one name per line, e.g.\n    ${example}`,
      );
    }
    return source.positioned(item);
  });
}

/** `variables`: environment variable names, each with one value on one line, kept as the user wrote it. */
export function readVariables(
  source: CondaFileSource,
  value: Node | null,
  keyOffset: number,
): (PositionedText & { key: string })[] {
  if (!isMap(value))
    source.fail(
      value ? source.start(value) : keyOffset,
      '"variables" must be a mapping of NAME: value',
      "write:\n    variables:\n      OMP_NUM_THREADS: '1'",
    );
  return (value as YAMLMap).items.map((pair) => {
    const k = pair.key as Node;
    const v = pair.value as Node | null;
    const keyText = isScalar(k) ? String(k.value) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyText)) {
      source.fail(
        source.start(k),
        `"${keyText}" is not a valid environment variable name`,
        "use letters, digits and '_', not starting with a digit",
      );
    }
    if (!isScalar(v) || v.value === null || typeof v.value === "object") {
      source.fail(
        v ? source.start(v) : source.start(k),
        `variable "${keyText}" needs a single value`,
        `write ${keyText}: "value"`,
      );
    }
    // Numbers and booleans keep the text the user wrote ("1.10" stays "1.10", not 1.1).
    const raw =
      typeof (v as { value: unknown }).value === "string"
        ? String((v as { value: unknown }).value)
        : source.sourceOf(v as Node);
    if (/[\n\r\0]/.test(raw))
      source.fail(
        source.start(v as Node),
        `variable "${keyText}" contains a line break`,
        "write the value on one line",
      );
    const { line, column } = source.at(source.start(k));
    return { key: keyText, text: raw, line, column };
  });
}
