import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  EnvironmentFileError,
  ImageConfigError,
  ImageError,
  loadDockerfileProject,
  loadEnvironment,
} from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";
import { envWith } from "./helpers.js";

// Issue 14's bad-input corpus for environment files and Dockerfile inputs. Each row: the file, its text,
// and a fragment of the message that says what is wrong. Every error must name where (file:line:column,
// or the option for a path problem), what, and a fix; both classes are "bad input" (the CLI's exit code 2,
// see packages/cli/src/exit-code.ts). Parsing is pure, so nothing can be created by a refused file.

/** A conda file with one pip section holding `lines`. */
const pipWith = (...lines: string[]) =>
  `dependencies:\n  - python=3.11\n  - pip\n  - pip:\n${lines.map((l) => `    - ${l}`).join("\n")}\n`;
/** A conda file with `channels` (each written as given, so quoting is the caller's). */
const channelsWith = (...channels: string[]) =>
  `channels:\n${channels.map((c) => `  - ${c}`).join("\n")}\ndependencies:\n  - numpy\n`;
/** A conda file with one variable line under `variables:`. */
const variableWith = (line: string) => `variables:\n  ${line}\ndependencies:\n  - numpy\n`;

type Row = readonly [name: string, file: string, text: string, fragment: string];

const malformedYaml: Row[] = [
  ["unclosed flow list", "environment.yml", "dependencies: [numpy", "not valid YAML"],
  ["mixed indentation in a mapping", "environment.yml", "dependencies:\n  - numpy\n  bad: : x\n", "not valid YAML"],
  ["tab indentation", "environment.yml", "dependencies:\n\t- numpy\n", "tab is used for indentation"],
  ["duplicate key", "environment.yml", "dependencies:\n  - a\ndependencies:\n  - b\n", "appears twice"],
  ["self-referencing alias", "environment.yml", "a: &a [*a]\n", 'unknown key "a"'],
  ["top-level list", "environment.yml", "- numpy\n", "is a list"],
  ["top-level scalar", "environment.yml", "numpy\n", "single value"],
  ["only a comment", "environment.yml", "# nothing\n", "empty"],
  ["an empty file", "environment.yml", "", "empty"],
  [
    "a YAML merge key as a dependency",
    "environment.yml",
    "dependencies:\n  - <<: {a: 1}\n",
    "is a mapping, not a package spec",
  ],
  [
    "huge unparsable file (3 MB)",
    "environment.yml",
    `dependencies:\n  - numpy\n${"x".repeat(3_000_000)}`,
    "not valid YAML",
  ],
  ["unclosed quote", "environment.yml", 'dependencies:\n  - "numpy\n', "not valid YAML"],
  ["unknown key with a typo", "environment.yml", "dependecies:\n  - numpy\n", "did you mean"],
  ["unknown key", "environment.yml", "dependencies:\n  - numpy\nbuild: fast\n", 'unknown key "build"'],
  ["no dependencies key", "environment.yml", "name: x\n", 'no "dependencies:" key'],
  ["empty dependencies", "environment.yml", "dependencies:\n", "is empty"],
];

const wrongTypes: Row[] = [
  ["name is a number", "environment.yml", "name: 42\ndependencies:\n  - numpy\n", "must be text"],
  [
    "channels is a scalar",
    "environment.yml",
    "channels: conda-forge\ndependencies:\n  - numpy\n",
    '"channels" must be a list',
  ],
  ["dependencies is a scalar", "environment.yml", "dependencies: numpy\n", "must be a list of package specs"],
  ["dependency is a number", "environment.yml", "dependencies:\n  - 42\n", "as the number 42"],
  ["dependency is a float", "environment.yml", "dependencies:\n  - 3.11\n", "number"],
  ["dependency is a mapping", "environment.yml", "dependencies:\n  - {a: b}\n", "is a mapping"],
  ["pip is a scalar", "environment.yml", "dependencies:\n  - pip: numpy\n", "must be followed by a list"],
  ["pip requirement is a number", "environment.yml", pipWith("5"), "the number 5"],
  ["variables is a list", "environment.yml", "variables: [a]\ndependencies:\n  - numpy\n", "must be a mapping"],
  ["variable value is a list", "environment.yml", variableWith("A: [1]"), "needs a single value"],
  ["channel is a number", "environment.yml", channelsWith("7"), "reads it as a number"],
  ["dependency is null", "environment.yml", "dependencies:\n  -\n", "this dependency is empty"],
];

const injection: Row[] = [
  [
    "shell in a variable name",
    "environment.yml",
    variableWith('"A;rm -rf /": x'),
    "not a valid environment variable name",
  ],
  ["variable name with a space", "environment.yml", variableWith('"A B": x'), "not a valid environment variable name"],
  [
    "variable name starting with a digit",
    "environment.yml",
    variableWith('"1A": x'),
    "not a valid environment variable name",
  ],
  ["line break in a variable value", "environment.yml", variableWith('A: "x\\ny"'), "line break"],
  ["shell after a package name", "environment.yml", envWith("numpy; rm -rf /"), "too many space-separated parts"],
  ["&& after a package name", "environment.yml", envWith('"numpy && curl x"'), "too many space-separated parts"],
  [
    "command substitution in a version",
    "environment.yml",
    envWith("numpy=1.0$(id)"),
    "is not a valid conda version spec",
  ],
  ["backticks in a version", "environment.yml", envWith("numpy=`id`"), "is not a valid conda version spec"],
  ["semicolon in a version", "environment.yml", envWith("numpy=1.0|x;y"), "is not a valid conda version spec"],
  ["pipe to a shell in a version", "environment.yml", envWith('"numpy=1|$(sh)"'), "not a valid conda version spec"],
  ["redirect in a build string", "environment.yml", envWith('"numpy 1.0 >/etc/passwd"'), "numpy 1.0 >/etc/passwd"],
  ["space in a package name", "environment.yml", envWith("num py"), 'unexpected "py"'],
  ["dollar package name", "environment.yml", envWith('"$HOME"'), "does not start with a package name"],
  ["shell in a channel", "environment.yml", channelsWith('"conda-forge; rm -rf /"'), "is not a channel name or URL"],
  ["command substitution in a channel", "environment.yml", channelsWith('"$(id)"'), "is not a channel name or URL"],
  [
    "credentials in a channel URL",
    "environment.yml",
    channelsWith('"https://user:pass@example.com/c"'),
    "has credentials in its URL",
  ],
  [
    "a token path segment in a channel URL",
    "environment.yml",
    channelsWith('"https://example.com/t/tk-123/conda-forge"'),
    "has credentials in its URL",
  ],
  [
    "a channel with a newline",
    "environment.yml",
    channelsWith('"conda-forge\\nRUN id"'),
    "is not a channel name or URL",
  ],
  [
    "a channel with a query string",
    "environment.yml",
    channelsWith('"https://example.com/c?token=abc"'),
    "has credentials in its URL",
  ],
  [
    "pip wheel URL presigned by S3",
    "environment.yml",
    pipWith('"https://b.s3.amazonaws.com/x.whl?X-Amz-Credential=AKIA1&X-Amz-Signature=abc"'),
    "has credentials in its URL",
  ],
  ["pip marker with code", "environment.yml", pipWith(`"xgboost; os.system('id')"`), "environment marker"],
  [
    "pip option: index URL",
    "environment.yml",
    pipWith('"--index-url http://evil"'),
    "is a pip option, not a requirement",
  ],
  ["pip option: extra index", "environment.yml", pipWith('"--extra-index-url=http://evil"'), "is a pip option"],
  ["pip option: trusted host", "environment.yml", pipWith('"--trusted-host evil"'), "is a pip option"],
  ["pip editable", "environment.yml", pipWith('"-e ."'), "editable install"],
  ["pip && after a name", "environment.yml", pipWith('"xgboost && curl x"'), "is not a version specifier"],
  [
    "pip credentials in a wheel URL",
    "environment.yml",
    pipWith('"https://user:secret@example.com/x.whl"'),
    "has credentials in its URL",
  ],
  ["pip absolute path", "environment.yml", pipWith('"/etc/passwd"'), "absolute path"],
  [
    "pip path leaving the directory",
    "environment.yml",
    pipWith('"../outside"'),
    "leaves the environment file's directory",
  ],
  ["pip NUL byte", "environment.yml", pipWith('"x\\u0000y"'), "control character"],
  ["pip line break", "environment.yml", pipWith('"x\\ny"'), "control character"],
  ["pip carriage return", "environment.yml", pipWith('"x\\ry"'), "control character"],
  ["requirements: marker with shell", "requirements.txt", "numpy; rm -rf /\n", "invalid environment marker"],
  ["requirements: index URL", "requirements.txt", "--index-url http://evil/simple\nnumpy\n", "is a pip option"],
  ["requirements: include another file", "requirements.txt", "-r other.txt\n", "includes another file"],
  ["requirements: constraints file", "requirements.txt", "-c constraints.txt\n", "-c constraints.txt"],
  ["requirements: editable VCS", "requirements.txt", "-e git+https://x/y\n", "editable install"],
  ["requirements: command substitution", "requirements.txt", "numpy==1.0 $(id)\n", "is not a version specifier"],
  ["requirements: backticks", "requirements.txt", "`id`\n", "does not start with a project name"],
  [
    "requirements: token in a VCS URL",
    "requirements.txt",
    "git+https://user:tok@github.com/a/b\n",
    "has credentials in its URL",
  ],
  ["requirements: hash option", "requirements.txt", "numpy --hash=sha256:abc\n", "is not a version specifier"],
  ["requirements: doubled operator", "requirements.txt", "numpy>=>1\n", "is not a version specifier"],
  ["requirements: unclosed extras", "requirements.txt", "numpy[\n", "is not a version specifier"],
  ["requirements: space in a name", "requirements.txt", "nump y\n", "is not a version specifier"],
  ["lockfile: not a URL", "lock.txt", "@EXPLICIT\nnot a url\n", "is not a conda package URL"],
  ["lockfile: a file URL", "lock.txt", "@EXPLICIT\nfile:///etc/passwd\n", "is not a conda package URL"],
  [
    "lockfile: credentials",
    "lock.txt",
    "@EXPLICIT\nhttps://u:p@conda.anaconda.org/conda-forge/linux-64/numpy-1.0-0.conda#abc\n",
    "has credentials in its URL",
  ],
  [
    "lockfile: no Dask",
    "lock.txt",
    "@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-1.0-0.tar.bz2\n",
    "no dask-core and distributed",
  ],
  ["lockfile: empty", "lock.txt", "@EXPLICIT\n", "lists no packages"],
];

const unicodeAndSize: Row[] = [
  ["non-ASCII package name", "environment.yml", envWith("nümpy"), 'unexpected "ümpy"'],
  ["right-to-left override after a name", "environment.yml", envWith("numpy\u202e"), "after the package name"],
  ["zero-width space in a name", "environment.yml", envWith("num\u200bpy"), "after the package name"],
  ["NUL as a dependency", "environment.yml", envWith('"\\u0000"'), "does not start with a package name"],
  ["Cyrillic lookalike in a name", "environment.yml", envWith("nump\u0443"), "after the package name"],
  ["emoji as a name", "environment.yml", envWith('"🐍"'), "does not start with a package name"],
  ["non-ASCII variable name", "environment.yml", variableWith("ÄB: x"), "not a valid environment variable name"],
  ["non-ASCII requirement", "requirements.txt", "ümlaut\n", "does not start with a project name"],
  ["fullwidth equals in a requirement", "requirements.txt", "numpy＝＝1.0\n", "is not a version specifier"],
  ["requirements file with only blank lines", "requirements.txt", "\n\n\n", "lists no requirements"],
  ["requirement listed twice", "requirements.txt", "numpy\nnumpy\n", "listed twice"],
  ["python listed twice", "environment.yml", "dependencies:\n  - python=3.11\n  - python=3.12\n", "listed twice"],
  [
    "20 000 dependencies with one bad at the end",
    "environment.yml",
    envWith(...Array.from({ length: 20_000 }, (_, i) => `pkg${i}`), "bad;x"),
    "bad;x",
  ],
  ["an unknown file kind", "environment.toml", "numpy\n", "cannot tell the kind"],
  ["a file without an extension", "environment", "numpy\n", "cannot tell the kind"],
];

const rows: Row[] = [...malformedYaml, ...wrongTypes, ...injection, ...unicodeAndSize];

/** Parses and returns the thrown error (the test fails when nothing is thrown). */
function refusal(file: string, text: string): ImageError {
  try {
    parseEnvironment(file, text);
  } catch (error) {
    if (ImageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`${file} was accepted:\n${text.slice(0, 200)}`);
}

describe.each([
  ["malformed YAML", malformedYaml],
  ["wrong types", wrongTypes],
  ["injection attempts", injection],
  ["unicode and size", unicodeAndSize],
])("environment files: %s", (_group, table) => {
  test.each(table)("%s", (_name, file, text, fragment) => {
    const error = refusal(file, text);
    expect(error.message).toContain(fragment);
    if (EnvironmentFileError.isInstance(error)) {
      // where: file:line:column; how to fix: a "fix:" line.
      expect(error.message).toMatch(new RegExp(`^${file.replace(".", "\\.")}:\\d+:\\d+: `));
      expect(error.message).toMatch(/\n {2}fix: \S/);
    } else {
      expect(ImageConfigError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/^environment-file: .*(: use|; check)/);
    }
    // A refused credential is never echoed back.
    expect(error.message).not.toMatch(/pass@|secret@|tok@|u:p@|tk-123|token=abc|Signature=abc|AKIA1/);
  });
});

test("the corpus of environment texts has at least 90 rows, each with its own name", () => {
  expect(rows.length).toBeGreaterThanOrEqual(90);
  expect(new Set(rows.map(([name]) => name)).size).toBe(rows.length);
});

describe("environment files and Dockerfiles on disk", () => {
  let dir: string;
  let outside: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dfa-corpus-"));
    outside = await mkdtemp(join(tmpdir(), "dfa-corpus-outside-"));
    await writeFile(join(outside, "Dockerfile"), "FROM scratch\n");
    await writeFile(join(outside, "x.whl"), "wheel");
    await mkdir(join(dir, "ctx"));
    await mkdir(join(dir, "a-directory"));
    await writeFile(join(dir, "ctx", "Dockerfile"), "FROM scratch\n");
    await writeFile(join(dir, "ctx", ".dockerignore"), "*\n");
    await writeFile(join(dir, "Dockerfile"), "FROM scratch\n");
    await writeFile(join(dir, "a-file"), "x");
    await symlink(join(outside, "Dockerfile"), join(dir, "Dockerfile.link"));
    await symlink(outside, join(dir, "ctx-link"));
    await symlink(join(outside, "x.whl"), join(dir, "linked.whl"));
    await writeFile(join(dir, "linked.yml"), pipWith("./linked.whl"));
    await writeFile(join(dir, "missing-wheel.yml"), pipWith("./nowhere.whl"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const loadError = async (load: () => Promise<unknown>): Promise<ImageError> => {
    try {
      await load();
    } catch (error) {
      if (ImageError.isInstance(error)) return error;
      throw error;
    }
    throw new Error("accepted");
  };

  test.each([
    ["a missing environment file", "nope.yml", "cannot read"],
    ["a directory as the environment file", "a-directory", "cannot"],
    ["a local wheel that is a symbolic link out of the directory", "linked.yml", "through a symbolic link"],
    ["a local wheel that does not exist", "missing-wheel.yml", "does not exist or is empty"],
  ])("environment file: %s", async (_name, file, fragment) => {
    const error = await loadError(() => loadEnvironment(join(dir, file)));
    expect(error.message).toContain(fragment);
  });

  test.each([
    ["a missing Dockerfile", { dockerfile: "nope/Dockerfile" }, "dockerfile: ", "does not exist"],
    ["a Dockerfile that is a directory", { dockerfile: "a-directory" }, "dockerfile: ", "is not a file"],
    [
      "a Dockerfile through a link out of the workspace",
      { dockerfile: "Dockerfile.link" },
      "dockerfile: ",
      "outside the repository",
    ],
    ["a Dockerfile outside the workspace", { dockerfile: "../x/Dockerfile" }, "dockerfile: ", "does not exist"],
    ["a context that does not exist", { dockerfile: "Dockerfile", context: "nowhere" }, "context: ", "does not exist"],
    ["a context that is a file", { dockerfile: "Dockerfile", context: "a-file" }, "context: ", "is not a directory"],
    [
      "a context linked out of the workspace",
      { dockerfile: "Dockerfile", context: "ctx-link" },
      "context: ",
      "outside the repository",
    ],
    ["a context of /", { dockerfile: "Dockerfile", context: "/" }, "context: ", "outside the repository"],
    [
      "a .dockerignore that excludes the Dockerfile",
      { dockerfile: "ctx/Dockerfile" },
      "dockerfile: ",
      "excludes the Dockerfile",
    ],
    [
      "a workspace that is a file",
      { dockerfile: "Dockerfile", workspace: "a-file" },
      "workspace: ",
      "is not a directory",
    ],
  ])("Dockerfile input: %s", async (_name, options, option, fragment) => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const error = await loadError(() => loadDockerfileProject(options));
      expect(ImageConfigError.isInstance(error)).toBe(true);
      expect(error.message.startsWith(option)).toBe(true);
      expect(error.message).toContain(fragment);
      // how to fix: every message ends with what to give instead.
      expect(error.message).toMatch(/(give|move|add|Fix)/i);
    } finally {
      process.chdir(cwd);
    }
  });
});
