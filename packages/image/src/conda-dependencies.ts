import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import { type CondaFileSource, describeNode, ENVIRONMENT_EXAMPLE } from "./conda-file-source.js";
import type { PositionedText } from "./raw-environment.js";

/**
 * `dependencies`: a list of conda specs (text) with at most one `- pip:` entry holding a list of pip requirements.
 * Numbers YAML read from an unquoted version, and mappings where a spec belongs, each get an error of their own.
 */
export function readDependencies(
  source: CondaFileSource,
  value: Node | null,
  keyOffset: number,
): { conda: PositionedText[]; pip: PositionedText[] } {
  if (value === null || (isScalar(value) && value.value === null)) {
    source.fail(keyOffset, '"dependencies" is empty', `list the packages:\n    ${ENVIRONMENT_EXAMPLE}`);
  }
  if (!isSeq(value)) {
    source.fail(
      source.start(value),
      '"dependencies" must be a list of package specs',
      `write each spec as "  - spec":\n    ${ENVIRONMENT_EXAMPLE}`,
    );
  }
  const conda: PositionedText[] = [];
  let pip: PositionedText[] | undefined;
  for (const item of (value as { items: Node[] }).items) {
    if (isScalar(item) && typeof item.value === "string") {
      conda.push(source.positioned(item));
    } else if (isScalar(item) && typeof item.value === "number") {
      source.fail(
        source.start(item),
        `YAML reads ${source.sourceOf(item)} as the number ${item.value}, not a package spec`,
        `write the package and quote the version, e.g. - "python=${source.sourceOf(item)}"`,
      );
    } else if (isMap(item)) {
      if (isPipEntry(item)) {
        if (pip) source.fail(source.start(item), 'there is a second "- pip:" entry', "merge both pip lists into one");
        pip = readPip(source, item.items[0]?.value as Node | null, source.start(item));
      } else {
        refuseMappingItem(source, item);
      }
    } else {
      source.fail(
        source.start(item),
        `this dependency is ${describeNode(item)}, not a package spec`,
        "write one spec per item, e.g. - numpy=1.26",
      );
    }
  }
  return { conda, pip: pip ?? [] };
}

/** `- pip:` alone in its mapping. */
function isPipEntry(item: YAMLMap): boolean {
  const first = item.items[0];
  return first !== undefined && isScalar(first.key) && String(first.key.value) === "pip" && item.items.length === 1;
}

/** A mapping where a spec belongs (`- numpy: 1.26`, `- numpy: {}`): says what to write instead. */
function refuseMappingItem(source: CondaFileSource, item: YAMLMap): never {
  const first = item.items[0];
  const itemKey = first && isScalar(first.key) ? String(first.key.value) : "";
  const itemValue = first?.value as Node | null;
  if (isScalar(itemValue) && typeof itemValue.value === "number") {
    source.fail(
      source.start(item),
      `"${source.sourceOf(item)}" is a mapping, and YAML reads its version as the number ${itemValue.value}`,
      `write it as a spec: - "${itemKey}=${source.sourceOf(itemValue)}"`,
    );
  }
  source.fail(
    source.start(item),
    `"${source.sourceOf(item).split("\n")[0]}" is a mapping, not a package spec`,
    `write "- ${itemKey}=<version>" for a conda package, or "- pip:" with a list below it`,
  );
}

/** The list under `- pip:`: each requirement text. */
function readPip(source: CondaFileSource, value: Node | null, itemOffset: number): PositionedText[] {
  if (!isSeq(value)) {
    source.fail(
      value ? source.start(value) : itemOffset,
      '"- pip:" must be followed by a list of requirements indented below it',
      "write:\n    - pip:\n      - xgboost>=2.0",
    );
  }
  return (value as { items: Node[] }).items.map((item) => {
    if (!isScalar(item) || typeof item.value !== "string") {
      const reads = isScalar(item) && typeof item.value === "number" ? `the number ${item.value}` : describeNode(item);
      source.fail(
        source.start(item),
        `this pip requirement is ${reads}, not text`,
        `quote it, e.g. - "pkg==${isScalar(item) ? source.sourceOf(item) : "1.0"}"`,
      );
    }
    return source.positioned(item);
  });
}
