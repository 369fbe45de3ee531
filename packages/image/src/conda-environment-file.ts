import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from "yaml";
import { readDependencies } from "./conda-dependencies.js";
import { CondaFileSource, ENVIRONMENT_EXAMPLE } from "./conda-file-source.js";
import { checkBeforeYaml } from "./conda-text-checks.js";
import { expectText, expectTextList, readVariables } from "./conda-top-level-values.js";
import { didYouMean } from "./did-you-mean.js";
import type { PositionedText, RawEnvironment } from "./raw-environment.js";

const KNOWN_KEYS = ["name", "channels", "dependencies", "variables", "prefix"] as const;

/**
 * Parses a conda `environment.yml` strictly: every problem becomes an {@link EnvironmentFileError}
 * with file, line and column and the change that fixes it. Specs are not validated here (see
 * `validate-environment.ts`); this step only checks the file's shape, in order: the raw text
 * (conda-text-checks.ts), the YAML, the top-level mapping, then each key's value
 * (conda-top-level-values.ts, conda-dependencies.ts).
 */
export function parseCondaEnvironmentFile(file: string, text: string): RawEnvironment {
  checkBeforeYaml(file, text);
  const source = new CondaFileSource(file, text);
  const root = topLevelMapping(source, parseYaml(source));
  const { name, channels, conda, pip, variables, notices } = readKeys(source, root);
  return { file, kind: "conda-environment", name, channels, conda, explicit: [], pip, variables, notices };
}

/** The YAML document; its first error (a duplicate key, a syntax error) thrown with the line it is on. */
function parseYaml(source: CondaFileSource): Document.Parsed {
  const doc = parseDocument(source.text, { lineCounter: source.lines, uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const offset = yamlError.pos[0];
    if (yamlError.code === "DUPLICATE_KEY") {
      const key = source.text.slice(offset).split(/[:\n]/)[0]?.trim() ?? "";
      source.fail(
        offset,
        `the key "${key}" appears twice in the same mapping`,
        `keep one "${key}:" and merge the entries of the other into it`,
      );
    }
    source.fail(
      offset,
      `this is not valid YAML (${yamlError.message.split("\n")[0]})`,
      "check the indentation and quoting on this line; each dependency is a line '  - spec'",
    );
  }
  return doc;
}

/** The document's root, which must be a mapping (not empty, a list or a single value). */
function topLevelMapping(source: CondaFileSource, doc: Document.Parsed): YAMLMap {
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    source.fail(0, "the file holds no environment", `write at least:\n    ${ENVIRONMENT_EXAMPLE}`);
  }
  if (isSeq(root)) {
    source.fail(
      source.start(root),
      "the file is a list, but an environment file is a mapping",
      `put the list under a key, i.e. start the file with:\n    ${ENVIRONMENT_EXAMPLE}`,
    );
  }
  if (!isMap(root)) {
    source.fail(
      source.start(root as Node),
      "the file is a single value, but an environment file is a mapping",
      `write:\n    ${ENVIRONMENT_EXAMPLE}`,
    );
  }
  return root as YAMLMap;
}

/** What the top-level keys hold, as {@link RawEnvironment} names it. */
interface KeysRead {
  name: string | undefined;
  channels: PositionedText[];
  conda: PositionedText[];
  pip: PositionedText[];
  variables: (PositionedText & { key: string })[];
  notices: string[];
}

/** Each top-level key read by its own rule; an unknown key, a top-level `pip:` or no `dependencies:` is an error. */
function readKeys(source: CondaFileSource, root: YAMLMap): KeysRead {
  const read: KeysRead = {
    name: undefined,
    channels: [],
    conda: [],
    pip: [],
    variables: [],
    notices: [],
  };
  let sawDependencies = false;
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const keyOffset = source.start(keyNode);
    const value = pair.value as Node | null;
    switch (key) {
      case "name":
        read.name = expectText(source, value, keyOffset, "name", "name: my-env");
        break;
      case "prefix":
        expectText(source, value, keyOffset, "prefix", "prefix: /opt/env");
        read.notices.push(`${source.file}: "prefix" is ignored: the image installs into its base environment`);
        break;
      case "channels":
        read.channels = expectTextList(source, value, keyOffset, "channels", "channels:\n    - conda-forge");
        break;
      case "variables":
        read.variables = readVariables(source, value, keyOffset);
        break;
      case "dependencies":
        sawDependencies = true;
        ({ conda: read.conda, pip: read.pip } = readDependencies(source, value, keyOffset));
        break;
      case "pip":
        source.fail(
          keyOffset,
          '"pip:" is at the top level, where conda ignores it',
          'move it into the dependencies list as an item: "  - pip:" followed by its requirements indented below it',
        );
        break;
      default:
        refuseUnknownKey(source, key, keyOffset);
    }
  }
  if (!sawDependencies) {
    source.fail(
      0,
      'the file has no "dependencies:" key, so the environment would be empty',
      `add:\n    ${ENVIRONMENT_EXAMPLE}`,
    );
  }
  return read;
}

/** An unknown top-level key, with the known key it is closest to, if any. */
function refuseUnknownKey(source: CondaFileSource, key: string, keyOffset: number): never {
  const guess = didYouMean(key, KNOWN_KEYS);
  return source.fail(
    keyOffset,
    `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`,
    guess ? `rename "${key}:" to "${guess}:"` : `use only the keys ${KNOWN_KEYS.join(", ")}`,
  );
}
