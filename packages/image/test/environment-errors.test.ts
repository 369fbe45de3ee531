import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { EnvironmentFileError } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";
import { envWith, errorOf } from "./helpers.js";

// Every message names file:line:column, what is wrong and the fix. Locked by inline snapshots.
describe("conda environment file shape", () => {
  test("empty file", () => {
    expect(errorOf("environment.yml", "\n# only a comment\n")).toMatchInlineSnapshot(`
      "environment.yml:1:1: the file is empty
        fix: write at least:
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("top-level list", () => {
    expect(errorOf("environment.yml", "- numpy\n- dask\n")).toMatchInlineSnapshot(`
      "environment.yml:1:1: the file is a list, but an environment file is a mapping
        fix: put the list under a key, i.e. start the file with:
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("top-level scalar", () => {
    expect(errorOf("environment.yml", "numpy\n")).toMatchInlineSnapshot(`
      "environment.yml:1:1: the file is a single value, but an environment file is a mapping
        fix: write:
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("tab indentation", () => {
    expect(errorOf("environment.yml", "dependencies:\n\t- numpy\n")).toMatchInlineSnapshot(`
      "environment.yml:2:1: a tab is used for indentation, which YAML forbids
        fix: indent with spaces (two per level)"
    `);
  });
  test("duplicate key", () => {
    expect(
      errorOf("environment.yml", "dependencies:\n  - numpy\nname: a\ndependencies:\n  - dask\n"),
    ).toMatchInlineSnapshot(`
      "environment.yml:4:1: the key "dependencies" appears twice in the same mapping
        fix: keep one "dependencies:" and merge the entries of the other into it"
    `);
  });
  test("typo'd dependencies key gets a did-you-mean", () => {
    expect(errorOf("environment.yml", "name: x\ndependecies:\n  - numpy\n")).toMatchInlineSnapshot(`
      "environment.yml:2:1: unknown key "dependecies" (did you mean "dependencies"?)
        fix: rename "dependecies:" to "dependencies:""
    `);
  });
  test("unknown key without a close match", () => {
    expect(errorOf("environment.yml", "dependencies:\n  - numpy\nbuild_options: fast\n")).toMatchInlineSnapshot(`
      "environment.yml:3:1: unknown key "build_options"
        fix: use only the keys name, channels, dependencies, variables, prefix"
    `);
  });
  test("missing dependencies key", () => {
    expect(errorOf("environment.yml", "name: x\nchannels:\n  - conda-forge\n")).toMatchInlineSnapshot(`
      "environment.yml:1:1: the file has no "dependencies:" key, so the environment would be empty
        fix: add:
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("empty dependencies", () => {
    expect(errorOf("environment.yml", "dependencies:\n")).toMatchInlineSnapshot(`
      "environment.yml:1:1: "dependencies" is empty
        fix: list the packages:
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("dependencies as a mapping", () => {
    expect(errorOf("environment.yml", "dependencies:\n  numpy: 1.26\n")).toMatchInlineSnapshot(`
      "environment.yml:2:3: "dependencies" must be a list of package specs
        fix: write each spec as "  - spec":
          dependencies:
          - python=3.11
          - dask
          - pip:
            - xgboost"
    `);
  });
  test("a version written as a YAML number", () => {
    expect(errorOf("environment.yml", envWith("python: 3.10"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "python: 3.10" is a mapping, and YAML reads its version as the number 3.1
        fix: write it as a spec: - "python=3.10""
    `);
  });
  test("a bare number as a dependency", () => {
    expect(errorOf("environment.yml", envWith("3.10"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: YAML reads 3.10 as the number 3.1, not a package spec
        fix: write the package and quote the version, e.g. - "python=3.10""
    `);
  });
  test("pip at the top level", () => {
    expect(errorOf("environment.yml", "dependencies:\n  - numpy\npip:\n  - xgboost\n")).toMatchInlineSnapshot(`
      "environment.yml:3:1: "pip:" is at the top level, where conda ignores it
        fix: move it into the dependencies list as an item: "  - pip:" followed by its requirements indented below it"
    `);
  });
  test("pip without a list", () => {
    expect(errorOf("environment.yml", envWith("pip: xgboost"))).toMatchInlineSnapshot(`
      "environment.yml:4:10: "- pip:" must be followed by a list of requirements indented below it
        fix: write:
          - pip:
            - xgboost>=2.0"
    `);
  });
  test("two pip lists", () => {
    expect(errorOf("environment.yml", envWith("pip:\n    - a", "pip:\n    - b"))).toMatchInlineSnapshot(`
      "environment.yml:6:5: there is a second "- pip:" entry
        fix: merge both pip lists into one"
    `);
  });
  test("a pip requirement written as a number", () => {
    expect(errorOf("environment.yml", envWith("pip:\n    - 1.5"))).toMatchInlineSnapshot(`
      "environment.yml:5:7: this pip requirement is the number 1.5, not text
        fix: quote it, e.g. - "pkg==1.5""
    `);
  });
  test("name written as a number", () => {
    expect(errorOf("environment.yml", "name: 2024\ndependencies:\n  - numpy\n")).toMatchInlineSnapshot(`
      "environment.yml:1:7: "name" must be text, but YAML reads 2024 as a number
        fix: quote it: name: "2024""
    `);
  });
  test("channels not a list", () => {
    expect(errorOf("environment.yml", "channels: conda-forge\ndependencies:\n  - numpy\n")).toMatchInlineSnapshot(`
      "environment.yml:1:11: "channels" must be a list
        fix: write:
          channels:
          - conda-forge"
    `);
  });
  test("invalid variable name", () => {
    expect(errorOf("environment.yml", "dependencies:\n  - numpy\nvariables:\n  1BAD: x\n")).toMatchInlineSnapshot(`
      "environment.yml:4:3: "1BAD" is not a valid environment variable name
        fix: use letters, digits and '_', not starting with a digit"
    `);
  });
  test("invalid YAML", () => {
    expect(errorOf("environment.yml", 'dependencies:\n  - "numpy\n')).toMatchInlineSnapshot(`
      "environment.yml:3:1: this is not valid YAML (Missing closing "quote)
        fix: check the indentation and quoting on this line; each dependency is a line '  - spec'"
    `);
  });
  test("the tutorial's snippet (no dependencies: key)", () => {
    const text = readFileSync(new URL("./fixtures/tutorial-snippet.yml", import.meta.url), "utf8");
    expect(errorOf("dask_env.yml", text)).toMatchInlineSnapshot(`
      "dask_env.yml:1:1: "python=3.8.3" stands where a key belongs: the list below it has no "dependencies:" key
        fix: replace line 1 with these two lines:
          dependencies:
            - python=3.8.3"
    `);
  });
});

describe("conda specs", () => {
  test("a URL among conda packages", () => {
    expect(errorOf("environment.yml", envWith("git+https://github.com/org/repo"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "git+https://github.com/org/repo" is a URL, not a conda package
        fix: move it under the \`- pip:\` list of dependencies, or name a conda package"
    `);
  });
  test("an invalid version", () => {
    expect(errorOf("environment.yml", envWith("numpy>=1.2.,,"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "numpy>=1.2.,,": ">=1.2.,," is not a valid conda version spec
        fix: write a conda version spec such as 1.2, 1.2.*, >=1.2,<2 or 1.2|1.3"
    `);
  });
  test("garbage after the name", () => {
    expect(errorOf("environment.yml", envWith("numpy@1.2"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "numpy@1.2": unexpected "@1.2" after the package name
        fix: write name=1.2, name>=1.2,<2 or name 1.2 build"
    `);
  });
  test("not a package name", () => {
    expect(errorOf("environment.yml", envWith("'!!numpy'"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "!!numpy" does not start with a package name
        fix: package names use letters, digits, '_', '-' and '.', e.g. numpy=1.26"
    `);
  });
  test("unknown bracket key", () => {
    expect(errorOf("environment.yml", envWith("numpy[colour=red]"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "numpy[colour=red]" has an unknown or empty bracket key "colour"
        fix: use one of version, build, build_number, channel, subdir, md5, sha256, license as [key="value"]"
    `);
  });
  test("version given twice", () => {
    expect(errorOf("environment.yml", envWith("numpy=1.26[version='>=1']"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "numpy=1.26[version='>=1']" gives the version twice
        fix: keep either the version after the name or [version=...]"
    `);
  });
  test("package listed twice", () => {
    expect(errorOf("environment.yml", envWith("numpy=1.26", "NumPy>=1"))).toMatchInlineSnapshot(`
      "environment.yml:5:5: "numpy" is listed twice ("numpy=1.26" and "NumPy>=1")
        fix: keep one spec per package"
    `);
  });
  test("too many '=' parts", () => {
    expect(errorOf("environment.yml", envWith("numpy=1=py=x"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "numpy=1=py=x": too many '=' parts
        fix: write name=version=build"
    `);
  });
  test("bad channel", () => {
    expect(errorOf("environment.yml", envWith("conda forge::numpy"))).toMatchInlineSnapshot(`
      "environment.yml:4:5: "conda forge" is not a channel name
        fix: write channel::package, e.g. conda-forge::numpy"
    `);
  });
});

describe("pip requirements", () => {
  test("git+git:// is refused with the https spelling", () => {
    expect(errorOf("environment.yml", envWith("pip:\n    - git+git://github.com/org/repo"))).toMatchInlineSnapshot(`
      "environment.yml:5:7: "git+git://github.com/org/repo" uses the git:// protocol, which is unauthenticated and refused by GitHub since 2022
        fix: write git+https://github.com/org/repo"
    `);
  });
  test("editable install", () => {
    expect(errorOf("requirements.txt", "-e ./mypkg\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "-e ./mypkg" is an editable install
        fix: images need a real install: drop -e (list the path or URL itself)"
    `);
  });
  test("include of another file", () => {
    expect(errorOf("requirements.txt", "dask\n-r other.txt\n")).toMatchInlineSnapshot(`
      "requirements.txt:2:1: "-r other.txt" includes another file, which would not be part of the image build
        fix: copy its requirements into this list"
    `);
  });
  test("constraint file", () => {
    expect(errorOf("requirements.txt", "-c constraints.txt\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "-c constraints.txt" includes another file, which would not be part of the image build
        fix: copy its requirements into this list"
    `);
  });
  test("index option", () => {
    expect(
      errorOf("requirements.txt", "--extra-index-url https://pypi.example.com/simple\ndask\n"),
    ).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "--extra-index-url https://pypi.example.com/simple" is a pip option, not a requirement
        fix: remove it: the file lists requirements only. Another index is set with the build arg PIP_INDEX_URL or PIP_EXTRA_INDEX_URL (ensureImage's buildArgs), never with credentials in it: the engine keeps build-arg values in the image history"
    `);
  });
  test("ssh VCS URL", () => {
    expect(errorOf("requirements.txt", "git+ssh://git@github.com/org/repo.git\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "git+ssh://git@github.com/org/repo.git" needs SSH keys, which the image build does not have
        fix: use git+https:// (a public repository) or build a wheel and list its path"
    `);
  });
  test("plain http", () => {
    expect(errorOf("requirements.txt", "http://example.com/pkg-1.0.tar.gz\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "http://example.com/pkg-1.0.tar.gz" is fetched over plain http
        fix: use https://"
    `);
  });
  test("absolute local path", () => {
    expect(errorOf("requirements.txt", "/home/me/pkg-1.0-py3-none-any.whl\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "/home/me/pkg-1.0-py3-none-any.whl" is an absolute path, which would not exist on another machine
        fix: put the wheel or project next to the environment file and write a relative path such as ./wheels/pkg.whl"
    `);
  });
  test("path leaving the directory", () => {
    expect(errorOf("requirements.txt", "../other/pkg-1.0-py3-none-any.whl\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "../other/pkg-1.0-py3-none-any.whl" leaves the environment file's directory
        fix: keep local wheels and projects in the environment file's directory or below it"
    `);
  });
  test("bad version specifier", () => {
    expect(errorOf("requirements.txt", "xgboost=2.0\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "xgboost=2.0": "=2.0" uses conda's '=', which pip does not know
        fix: write xgboost==2.0 (pip pins with '==')"
    `);
  });
  test("bad marker", () => {
    expect(errorOf("requirements.txt", "xgboost ; python_version >= 3.10\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "xgboost ; python_version >= 3.10" has an invalid environment marker "python_version >= 3.10"
        fix: write e.g. pkg ; python_version >= "3.10""
    `);
  });
  test("not a requirement at all", () => {
    expect(errorOf("requirements.txt", "*&^%\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "*&^%" does not start with a project name
        fix: write e.g. xgboost>=2.0 or scikit-learn==1.5.2"
    `);
  });
  test("empty requirements file", () => {
    expect(errorOf("requirements.txt", "# nothing\n\n")).toMatchInlineSnapshot(`
      "requirements.txt:1:1: the file lists no requirements
        fix: write one requirement per line, e.g.
          dask[distributed]==2024.8.2
          xgboost>=2.0"
    `);
  });
  test("the same project twice", () => {
    expect(errorOf("requirements.txt", "scikit_learn==1.5\nScikit-Learn>=1\n")).toMatchInlineSnapshot(`
      "requirements.txt:2:1: "scikit-learn" is listed twice ("scikit_learn==1.5" and "Scikit-Learn>=1")
        fix: keep one requirement per project"
    `);
  });
});

describe("credentials and plain http are refused, and secrets are never echoed", () => {
  const secret = "s3cr3t-T0KEN";
  /** A lockfile that is valid apart from its channel URL (dask-core first, so errors point at line 2). */
  const lockfile = (channel: string) =>
    `@EXPLICIT\n${channel}/linux-64/dask-core-2024.8.2-py_0.conda\nhttps://conda.anaconda.org/conda-forge/noarch/distributed-2024.8.2-pyhd8ed1ab_0.conda\n`;
  test("a pip archive URL with a user and password", () => {
    expect(
      errorOf("requirements.txt", `dask\nhttps://user:${secret}@pypi.example.com/pkg-1.0.tar.gz\n`),
    ).toMatchInlineSnapshot(`
      "requirements.txt:2:1: "https://***@pypi.example.com/pkg-1.0.tar.gz" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a git+https URL with a token", () => {
    expect(
      errorOf(
        "environment.yml",
        envWith(`pip:\n    - git+https://oauth2:${secret}@gitlab.example.com/org/private.git@v1.0`),
      ),
    ).toMatchInlineSnapshot(`
      "environment.yml:5:7: "git+https://***@gitlab.example.com/org/private.git@v1.0" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a named requirement whose URL holds a token as the user name", () => {
    expect(
      errorOf("requirements.txt", `private @ https://${secret}@files.example.com/private-1.0-py3-none-any.whl\n`),
    ).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "private @ https://***@files.example.com/private-1.0-py3-none-any.whl" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("an index option with credentials", () => {
    expect(
      errorOf("requirements.txt", `--index-url https://user:${secret}@pypi.example.com/simple\ndask\n`),
    ).toMatchInlineSnapshot(`
      "requirements.txt:1:1: "--index-url https://***@pypi.example.com/simple" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a channel URL with credentials", () => {
    expect(
      errorOf(
        "environment.yml",
        `channels:\n  - https://user:${secret}@conda.example.com/private\ndependencies:\n  - dask\n`,
      ),
    ).toMatchInlineSnapshot(`
      "environment.yml:2:5: the channel "https://***@conda.example.com/private" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("an anaconda.org token channel", () => {
    expect(
      errorOf(
        "environment.yml",
        `channels:\n  - https://conda.anaconda.org/t/${secret}/private\ndependencies:\n  - dask\n`,
      ),
    ).toMatchInlineSnapshot(`
      "environment.yml:2:5: the channel "https://conda.anaconda.org/t/***/private" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a plain http channel", () => {
    expect(
      errorOf("environment.yml", "channels:\n  - http://conda.example.com/main\ndependencies:\n  - dask\n"),
    ).toMatchInlineSnapshot(`
      "environment.yml:2:5: the channel "http://conda.example.com/main" is fetched over plain http, where anyone on the way can change the packages
        fix: use https://"
    `);
  });
  test("a lockfile URL with credentials", () => {
    expect(errorOf("conda.lock", lockfile(`https://user:${secret}@conda.example.com/private`))).toMatchInlineSnapshot(`
      "conda.lock:2:1: "https://***@conda.example.com/private/linux-64/dask-core-2024.8.2-py_0.conda" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a lockfile URL over plain http", () => {
    expect(errorOf("conda.lock", lockfile("http://conda.example.com/main"))).toMatchInlineSnapshot(`
      "conda.lock:2:1: "http://conda.example.com/main/linux-64/dask-core-2024.8.2-py_0.conda" is fetched over plain http, where anyone on the way can change the package
        fix: lock the environment from https:// channels"
    `);
  });
  test("a variable holding a URL with credentials", () => {
    expect(
      errorOf(
        "environment.yml",
        `dependencies:\n  - dask\nvariables:\n  PIP_INDEX_URL: https://user:${secret}@pypi.example.com/simple\n`,
      ),
    ).toMatchInlineSnapshot(`
      "environment.yml:4:3: variable "PIP_INDEX_URL" has credentials in a URL, and variables become ENV lines that anyone who can pull the image can read
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test("a pip requirement with a line break (it would add lines to the generated requirements.txt)", () => {
    expect(
      errorOf("environment.yml", envWith('pip:\n    - "./pkg\\n--index-url https://evil.example.com/simple"')),
    ).toMatchInlineSnapshot(`
      "environment.yml:5:7: this pip requirement contains a line break or another control character, which would split it across lines of the generated requirements.txt
        fix: write the requirement on one line"
    `);
  });
  test.each([
    ["pip URL with user and password", "requirements.txt", `https://user:${secret}@pypi.example.com/pkg-1.0.tar.gz\n`],
    ["git+https with a token as the user", "requirements.txt", `git+https://${secret}@github.com/org/private.git\n`],
    [
      "git+https with x-access-token",
      "requirements.txt",
      `git+https://x-access-token:${secret}@github.com/org/private.git@main#egg=private\n`,
    ],
    [
      "named git+https with oauth2",
      "requirements.txt",
      `private @ git+https://oauth2:${secret}@gitlab.example.com/org/private.git\n`,
    ],
    [
      "--extra-index-url with __token__",
      "requirements.txt",
      `--extra-index-url https://__token__:${secret}@gitlab.example.com/api/v4/projects/1/packages/pypi/simple\n`,
    ],
    ["-i with user and password", "requirements.txt", `-i https://user:${secret}@pypi.example.com/simple\n`],
    ["git+ssh with a password", "requirements.txt", `git+ssh://git:${secret}@github.com/org/private.git\n`],
    [
      "http:// URL with user and password",
      "requirements.txt",
      `http://user:${secret}@pypi.example.com/pkg-1.0.tar.gz\n`,
    ],
    [
      "conda spec with a channel URL",
      "environment.yml",
      envWith(`https://user:${secret}@conda.example.com/private::numpy`),
    ],
    [
      "conda spec with a channel bracket",
      "environment.yml",
      envWith(`numpy[channel="https://user:${secret}@conda.example.com/private"]`),
    ],
    [
      "http:// channel with user and password",
      "environment.yml",
      `channels:\n  - http://user:${secret}@conda.example.com/private\ndependencies:\n  - dask\n`,
    ],
    [
      "channel with a token as the user",
      "environment.yml",
      `channels:\n  - https://${secret}@conda.example.com/private\ndependencies:\n  - dask\n`,
    ],
    ["anaconda.org /t/ token in a lockfile", "conda.lock", lockfile(`https://conda.anaconda.org/t/${secret}/private`)],
  ])("%s is refused without echoing the secret", (_, file, text) => {
    const message = errorOf(file, text);
    expect(message).not.toBe("(no error)");
    expect(message).not.toContain(secret);
  });

  test("a password split over lines by a \\ continuation is found and redacted whole", () => {
    expect(
      errorOf("requirements.txt", `dask\nhttps://user:s3cr3t-\\\nT0KEN@pypi.example.com/pkg-1.0.tar.gz\n`),
    ).toMatchInlineSnapshot(`
      "requirements.txt:2:1: "https://***@pypi.example.com/pkg-1.0.tar.gz" has credentials in its URL
        fix: remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)"
    `);
  });
  test.each([
    [
      "a continuation onto an indented line",
      "requirements.txt",
      `https://user:s3cr3t-\\\n    T0KEN@pypi.example.com/pkg-1.0.tar.gz\n`,
    ],
    [
      "a continuation inside the user name",
      "requirements.txt",
      `private @ https://s3cr3t\\\n-T0KEN@files.example.com/private-1.0-py3-none-any.whl\n`,
    ],
    [
      "a continued index option",
      "requirements.txt",
      `--index-url https://user:s3cr3t-\\\nT0KEN@pypi.example.com/simple\ndask\n`,
    ],
    [
      "a folded YAML string",
      "environment.yml",
      envWith(`pip:\n    - "https://user:s3cr3t-\n      T0KEN@pypi.example.com/pkg-1.0.tar.gz"`),
    ],
  ])("%s: neither piece of the secret is echoed", (_, file, text) => {
    const message = errorOf(file, text);
    expect(message).toContain("has credentials in its URL");
    expect(message).not.toMatch(/s3cr3t|T0KEN/);
  });
});

describe("explicit lockfiles", () => {
  const url = (subdir: string, file: string) => `https://conda.anaconda.org/conda-forge/${subdir}/${file}`;
  test("a package for another platform", () => {
    expect(
      errorOf("conda-linux-64.lock", `@EXPLICIT\n${url("osx-arm64", "python-3.12.7-h1_0_cpython.conda")}\n`),
    ).toMatchInlineSnapshot(`
      "conda-linux-64.lock:2:1: this package is built for osx-arm64, but the image platform linux/amd64 needs linux-64 or noarch
        fix: lock the environment for linux-64 (e.g. conda-lock -p linux-64) or build for the matching platform"
    `);
  });
  test("a line that is not a package URL", () => {
    expect(errorOf("conda.lock", "@EXPLICIT\nnumpy=1.26\n")).toMatchInlineSnapshot(`
      "conda.lock:2:1: "numpy=1.26" is not a conda package URL
        fix: each line after @EXPLICIT is https://host/channel/<subdir>/<name>-<version>-<build>.conda (or .tar.bz2), optionally #md5"
    `);
  });
  test("no dask in a lockfile", () => {
    expect(
      errorOf("conda.lock", `@EXPLICIT\n${url("linux-64", "python-3.12.7-h1_0_cpython.conda")}\n`),
    ).toMatchInlineSnapshot(`
      "conda.lock:1:1: the lockfile has no dask-core and distributed, and a lockfile is installed exactly as written
        fix: add dask-core and distributed to the environment the lockfile is made from, then lock it again"
    `);
  });
  test("a URL before @EXPLICIT", () => {
    expect(
      errorOf("conda.lock", `${url("linux-64", "python-3.12.7-h1_0_cpython.conda")}\n@EXPLICIT\n`),
    ).toMatchInlineSnapshot(`
      "conda.lock:1:1: "https://conda.anaconda.org/conda-forge/linux-64/python-3.12.7-h1_0_cpython.conda" comes before the @EXPLICIT line
        fix: an explicit lockfile lists package URLs only after its @EXPLICIT line; regenerate it with \`conda list --explicit --md5\` or conda-lock"
    `);
  });
});

test("errors carry file, line and column as data", () => {
  try {
    parseEnvironment("env.yml", envWith("numpy", "numpy@2"));
    expect.unreachable();
  } catch (error) {
    expect(EnvironmentFileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: "env.yml", line: 5, column: 5 });
  }
});

test("an unknown file kind is refused", () => {
  expect(errorOf("environment.json", "{}")).toMatchInlineSnapshot(
    `"environment-file: cannot tell the kind of "environment.json": use a conda environment file (.yml/.yaml), a pip requirements file (.txt) or an explicit conda lockfile (@EXPLICIT)"`,
  );
});

describe("variables that look like secrets warn, without the value", () => {
  const noticesOf = (variables: string) =>
    parseEnvironment(
      "environment.yml",
      `dependencies:\n  - dask\n  - distributed\nvariables:\n${variables}`,
    ).notices.filter((n) => n.includes("variable"));
  test("a secret's name or a credential's shape is named; the value is not", () => {
    const values = {
      GITHUB_TOKEN: "not-printed-1",
      DB_PASSWORD: "not-printed-2",
      OPENAI_API_KEY: "not-printed-3",
      HUB: `ghp_${"aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5"}`,
      UPLOADER: "AKIAIOSFODNN7EXAMPLE",
      WEBHOOK: `xoxb-${"1234567890-abcdefghij"}`,
      SIGNING: "q8Zr2Lk9XvB4nT7wY1pE6sD3fG5hJ0mA8cV2bN4xK7",
    };
    const notices = noticesOf(
      Object.entries(values)
        .map(([k, v]) => `  ${k}: "${v}"\n`)
        .join(""),
    );
    expect(notices).toMatchInlineSnapshot(`
      [
        "environment.yml:5:3: variable "GITHUB_TOKEN" looks like a secret (its name says so): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:6:3: variable "DB_PASSWORD" looks like a secret (its name says so): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:7:3: variable "OPENAI_API_KEY" looks like a secret (its name says so): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:8:3: variable "HUB" looks like a secret (its value looks like a GitHub token): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:9:3: variable "UPLOADER" looks like a secret (its value looks like an AWS access key id): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:10:3: variable "WEBHOOK" looks like a secret (its value looks like a Slack token): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
        "environment.yml:11:3: variable "SIGNING" looks like a secret (its value holds a long random-looking string, like a key or token): variables become ENV lines baked into the image's config and layers, which anyone who can pull the image reads. Give secrets to the job at run time instead: the secrets input (--secret NAME=ARN) for a job in the cluster, job-env for a job on the runner",
      ]
    `);
    for (const notice of notices) for (const value of Object.values(values)) expect(notice).not.toContain(value);
  });
  test.each([
    ["OMP_NUM_THREADS", "1"],
    ["TOKENIZERS_PARALLELISM", "false"],
    ["MPLBACKEND", "Agg"],
    ["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "60s"],
    ["MODEL_PATH", "/opt/conda/lib/python3.11/site-packages/models/xgboost-v2"],
    ["GIT_COMMIT", "9fceb02d0ae598e95dc970b74767f19372d61af8"],
  ])("%s=%s gives no warning", (name, value) => {
    expect(noticesOf(`  ${name}: "${value}"\n`)).toEqual([]);
  });
});
