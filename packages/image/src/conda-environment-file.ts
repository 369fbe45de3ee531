import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import { didYouMean } from "./did-you-mean.js";
import { EnvironmentFileError } from "./errors.js";
import type { PositionedText, RawEnvironment } from "./raw-environment.js";

const KNOWN_KEYS = ["name", "channels", "dependencies", "variables", "prefix"] as const;
const EXAMPLE = "dependencies:\n    - python=3.11\n    - dask\n    - pip:\n      - xgboost";

/**
 * Parses a conda `environment.yml` strictly: every problem becomes an {@link EnvironmentFileError}
 * with file, line and column and the change that fixes it. Specs are not validated here (see
 * `validate-environment.ts`); this step only checks the file's shape.
 */
export function parseCondaEnvironmentFile(file: string, text: string): RawEnvironment {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const fail = (offset: number, problem: string, fix: string): never => {
    throw new EnvironmentFileError(at(offset), problem, fix);
  };
  checkBeforeYaml(file, text);

  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const offset = yamlError.pos[0];
    if (yamlError.code === "DUPLICATE_KEY") {
      const key = text.slice(offset).split(/[:\n]/)[0]?.trim() ?? "";
      fail(offset, `the key "${key}" appears twice in the same mapping`, `keep one "${key}:" and merge the entries of the other into it`);
    }
    fail(
      offset,
      `this is not valid YAML (${yamlError.message.split("\n")[0]})`,
      "check the indentation and quoting on this line; each dependency is a line '  - spec'",
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    fail(0, "the file holds no environment", `write at least:\n    ${EXAMPLE}`);
  }
  if (isSeq(root)) {
    fail(start(root), "the file is a list, but an environment file is a mapping", `put the list under a key, i.e. start the file with:\n    ${EXAMPLE}`);
  }
  if (!isMap(root)) {
    fail(start(root as Node), "the file is a single value, but an environment file is a mapping", `write:\n    ${EXAMPLE}`);
  }
  const map = root as YAMLMap;
  const notices: string[] = [];
  let name: string | undefined;
  let channels: PositionedText[] = [];
  let conda: PositionedText[] = [];
  let pip: PositionedText[] = [];
  let variables: (PositionedText & { key: string })[] = [];
  let sawDependencies = false;
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const keyOffset = start(keyNode);
    const value = pair.value as Node | null;
    switch (key) {
      case "name":
        name = expectText(value, keyOffset, "name", "name: my-env");
        break;
      case "prefix":
        expectText(value, keyOffset, "prefix", "prefix: /opt/env");
        notices.push(`${file}: "prefix" is ignored: the image installs into its base environment`);
        break;
      case "channels":
        channels = expectTextList(value, keyOffset, "channels", "channels:\n    - conda-forge");
        break;
      case "variables":
        variables = readVariables(value, keyOffset);
        break;
      case "dependencies":
        sawDependencies = true;
        ({ conda, pip } = readDependencies(value, keyOffset));
        break;
      case "pip":
        fail(
          keyOffset,
          '"pip:" is at the top level, where conda ignores it',
          'move it into the dependencies list as an item: "  - pip:" followed by its requirements indented below it',
        );
        break;
      default: {
        const guess = didYouMean(key, KNOWN_KEYS);
        fail(
          keyOffset,
          `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`,
          guess ? `rename "${key}:" to "${guess}:"` : `use only the keys ${KNOWN_KEYS.join(", ")}`,
        );
      }
    }
  }
  if (!sawDependencies) {
    fail(0, 'the file has no "dependencies:" key, so the environment would be empty', `add:\n    ${EXAMPLE}`);
  }
  return { file, kind: "conda-environment", name, channels, conda, explicit: [], pip, variables, notices };

  function start(node: Node | null | undefined): number {
    return node?.range?.[0] ?? 0;
  }

  function sourceOf(node: Node): string {
    const [from, to] = node.range ?? [0, 0];
    return text.slice(from, to).trim();
  }

  function positioned(node: Node): PositionedText {
    const { line, column } = at(start(node));
    return { text: String((node as { value?: unknown }).value), line, column };
  }

  function expectText(value: Node | null, keyOffset: number, key: string, example: string): string {
    if (!isScalar(value) || value.value === null) fail(keyOffset, `"${key}" has no value`, `write e.g. ${example}`);
    const scalar = value as Node & { value: unknown };
    if (typeof scalar.value !== "string") {
      fail(start(scalar), `"${key}" must be text, but YAML reads ${sourceOf(scalar)} as a ${typeof scalar.value}`, `quote it: ${key}: "${sourceOf(scalar)}"`);
    }
    return scalar.value as string;
  }

  function expectTextList(value: Node | null, keyOffset: number, key: string, example: string): PositionedText[] {
    if (!isSeq(value)) fail(value ? start(value) : keyOffset, `"${key}" must be a list`, `write:\n    ${example}`);
    return (value as { items: Node[] }).items.map((item) => {
      if (!isScalar(item) || typeof item.value !== "string" || item.value.trim() === "") {
        fail(start(item), `this "${key}" entry must be text, but YAML reads it as ${describe(item)}`, `write one name per line, e.g.\n    ${example}`);
      }
      return positioned(item);
    });
  }

  function readVariables(value: Node | null, keyOffset: number): (PositionedText & { key: string })[] {
    if (!isMap(value))
      fail(value ? start(value) : keyOffset, '"variables" must be a mapping of NAME: value', "write:\n    variables:\n      OMP_NUM_THREADS: '1'");
    return (value as YAMLMap).items.map((pair) => {
      const k = pair.key as Node;
      const v = pair.value as Node | null;
      const keyText = isScalar(k) ? String(k.value) : "";
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyText)) {
        fail(start(k), `"${keyText}" is not a valid environment variable name`, "use letters, digits and '_', not starting with a digit");
      }
      if (!isScalar(v) || v.value === null || typeof v.value === "object") {
        fail(v ? start(v) : start(k), `variable "${keyText}" needs a single value`, `write ${keyText}: "value"`);
      }
      // Numbers and booleans keep the text the user wrote ("1.10" stays "1.10", not 1.1).
      const raw = typeof (v as { value: unknown }).value === "string" ? String((v as { value: unknown }).value) : sourceOf(v as Node);
      if (/[\n\r\0]/.test(raw)) fail(start(v as Node), `variable "${keyText}" contains a line break`, "write the value on one line");
      const { line, column } = at(start(k));
      return { key: keyText, text: raw, line, column };
    });
  }

  function readDependencies(value: Node | null, keyOffset: number): { conda: PositionedText[]; pip: PositionedText[] } {
    if (value === null || (isScalar(value) && value.value === null)) {
      fail(keyOffset, '"dependencies" is empty', `list the packages:\n    ${EXAMPLE}`);
    }
    if (!isSeq(value)) {
      fail(start(value), '"dependencies" must be a list of package specs', `write each spec as "  - spec":\n    ${EXAMPLE}`);
    }
    const condaItems: PositionedText[] = [];
    let pipItems: PositionedText[] | undefined;
    for (const item of (value as { items: Node[] }).items) {
      if (isScalar(item) && typeof item.value === "string") {
        condaItems.push(positioned(item));
      } else if (isScalar(item) && typeof item.value === "number") {
        fail(
          start(item),
          `YAML reads ${sourceOf(item)} as the number ${item.value}, not a package spec`,
          `write the package and quote the version, e.g. - "python=${sourceOf(item)}"`,
        );
      } else if (isMap(item)) {
        const first = item.items[0];
        const itemKey = first && isScalar(first.key) ? String(first.key.value) : "";
        const itemValue = first?.value as Node | null;
        if (itemKey === "pip" && item.items.length === 1) {
          if (pipItems) fail(start(item), 'there is a second "- pip:" entry', "merge both pip lists into one");
          pipItems = readPip(itemValue, start(item));
        } else if (isScalar(itemValue) && typeof itemValue.value === "number") {
          fail(
            start(item),
            `"${sourceOf(item)}" is a mapping, and YAML reads its version as the number ${itemValue.value}`,
            `write it as a spec: - "${itemKey}=${sourceOf(itemValue)}"`,
          );
        } else {
          fail(
            start(item),
            `"${sourceOf(item).split("\n")[0]}" is a mapping, not a package spec`,
            `write "- ${itemKey}=<version>" for a conda package, or "- pip:" with a list below it`,
          );
        }
      } else {
        fail(start(item), `this dependency is ${describe(item)}, not a package spec`, "write one spec per item, e.g. - numpy=1.26");
      }
    }
    return { conda: condaItems, pip: pipItems ?? [] };
  }

  function readPip(value: Node | null, itemOffset: number): PositionedText[] {
    if (!isSeq(value)) {
      fail(
        value ? start(value) : itemOffset,
        '"- pip:" must be followed by a list of requirements indented below it',
        "write:\n    - pip:\n      - xgboost>=2.0",
      );
    }
    return (value as { items: Node[] }).items.map((item) => {
      if (!isScalar(item) || typeof item.value !== "string") {
        const reads = isScalar(item) && typeof item.value === "number" ? `the number ${item.value}` : describe(item);
        fail(start(item), `this pip requirement is ${reads}, not text`, `quote it, e.g. - "pkg==${isScalar(item) ? sourceOf(item) : "1.0"}"`);
      }
      return positioned(item);
    });
  }
}

function describe(node: Node | null): string {
  if (node === null) return "empty";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return node.value === null ? "empty" : `a ${typeof node.value}`;
  return "not text";
}

/** Shape checks that give better messages than a YAML parser error for common mistakes. */
function checkBeforeYaml(file: string, text: string): void {
  const lines = text.split(/\r?\n/);
  const significant = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== "" && !l.trim().startsWith("#"));
  if (significant.length === 0) {
    throw new EnvironmentFileError({ file, line: 1, column: 1 }, "the file is empty", `write at least:\n    ${EXAMPLE}`);
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
