import { describe, expect, test } from "vitest";
import { parseCondaMatchSpec } from "../src/conda-match-spec.js";
import { parseEnvironment } from "../src/load-environment.js";
import { parsePipRequirement } from "../src/pip-requirement.js";

describe("valid conda match specs normalise to one spelling", () => {
  test.each([
    ["numpy", "numpy", undefined],
    ["NumPy", "numpy", undefined],
    ["numpy=1.26", "numpy=1.26", "=1.26"],
    ["numpy==1.26.4", "numpy==1.26.4", "==1.26.4"],
    ["numpy >=1.26,<2", "numpy>=1.26,<2", ">=1.26,<2"],
    ["numpy >= 1.26, <2", "numpy>=1.26,<2", ">=1.26,<2"],
    ["numpy 1.26.4", "numpy==1.26.4", "==1.26.4"],
    ["numpy 1.26.* py312*", "numpy=1.26.*=py312*", "=1.26.*"],
    ["numpy=1.26=py312h1_0", "numpy=1.26=py312h1_0", "=1.26"],
    ["conda-forge::numpy", "conda-forge::numpy", undefined],
    ["conda-forge/label/dev::dask=2024.8", "conda-forge/label/dev::dask=2024.8", "=2024.8"],
    ["python=3.11|3.12", "python=3.11|3.12", "=3.11|3.12"],
    ["numpy!=1.25.0", "numpy!=1.25.0", "!=1.25.0"],
    ["numpy~=1.26", "numpy~=1.26", "~=1.26"],
    ["numpy[version='>=1.26']", "numpy>=1.26", ">=1.26"],
    ["numpy[build=py312*]", "numpy=*=py312*", undefined],
    ['numpy[subdir="linux-64", md5=abc]', 'numpy[md5="abc",subdir="linux-64"]', undefined],
    ["libblas=*=*mkl", "libblas=*=*mkl", "=*"],
  ])("%s → %s", (text, normalised, version) => {
    const spec = parseCondaMatchSpec(text);
    expect(spec).toMatchObject({ normalised, version });
  });
});

describe("valid pip requirements", () => {
  test.each([
    ["xgboost", "xgboost", "name"],
    ["XGBoost>=2.0", "xgboost>=2.0", "name"],
    ["scikit_learn==1.5.2", "scikit-learn==1.5.2", "name"],
    ["dask[Distributed, dataframe]==2024.8.2", "dask[dataframe,distributed]==2024.8.2", "name"],
    ["numpy>=1.26,<2", "numpy>=1.26,<2", "name"],
    ["numpy==1.26.*", "numpy==1.26.*", "name"],
    ["torch==2.4.0+cpu", "torch==2.4.0+cpu", "name"],
    ["pandas>=2.2.0rc1", "pandas>=2.2.0rc1", "name"],
    ['tomli ; python_version < "3.11"', 'tomli ; python_version < "3.11"', "name"],
    [
      "mylib @ https://example.com/mylib-1.0-py3-none-any.whl",
      "mylib @ https://example.com/mylib-1.0-py3-none-any.whl",
      "url",
    ],
    ["https://example.com/pkg-1.0.tar.gz", "https://example.com/pkg-1.0.tar.gz", "url"],
    ["git+https://github.com/org/repo@v1.2#egg=repo", "git+https://github.com/org/repo@v1.2#egg=repo", "vcs"],
    ["repo @ git+https://github.com/org/repo@0123abcd", "repo @ git+https://github.com/org/repo@0123abcd", "vcs"],
    ["./wheels/tool-1.0-py3-none-any.whl", "/tmp/dask-fargate-build/local/wheels/tool-1.0-py3-none-any.whl", "local"],
  ])("%s → %s (%s)", (text, normalised, kind) => {
    expect(parsePipRequirement(text)).toMatchObject({ normalised, kind });
  });
});

describe("dask and distributed are always present", () => {
  test("missing ones are added to a conda file with a notice", () => {
    const spec = parseEnvironment("environment.yml", "dependencies:\n  - python=3.12\n  - numpy\n");
    expect(spec.conda.map((d) => d.normalised)).toEqual(["dask", "distributed", "numpy", "python=3.12"]);
    expect(spec.notices).toMatchInlineSnapshot(`
      [
        "environment.yml: added "dask" (unpinned): every image needs dask and distributed; pin it in the file to control its version",
        "environment.yml: added "distributed" (unpinned): every image needs dask and distributed; pin it in the file to control its version",
      ]
    `);
    expect([spec.daskVersion, spec.distributedVersion]).toEqual(["unpinned", "unpinned"]);
  });
  test("missing ones are added to a requirements file as pip requirements", () => {
    const spec = parseEnvironment("requirements.txt", "xgboost\n");
    expect(spec.pip.map((r) => r.normalised)).toEqual(["dask", "distributed", "xgboost"]);
  });
  test("conda's dask includes distributed; requested versions are reported", () => {
    const spec = parseEnvironment("environment.yml", "dependencies:\n  - dask=2024.8\n");
    expect(spec.conda.map((d) => d.name)).toEqual(["dask"]);
    expect([spec.daskVersion, spec.distributedVersion]).toEqual(["=2024.8", "=2024.8"]);
  });
  test("dask[distributed] from pip counts for both", () => {
    const spec = parseEnvironment("requirements.txt", "dask[distributed]==2024.8.2\n");
    expect(spec.pip).toHaveLength(1);
    expect(spec.distributedVersion).toBe("==2024.8.2");
  });
});

describe("python version detection", () => {
  test.each([
    ["python=3.11", "3.11"],
    ["python==3.12.4", "3.12"],
    ["python>=3.10,<3.13", "3.10"],
    ["python 3.9.*", "3.9"],
    ["python", undefined],
  ])("%s → %s", (spec, version) => {
    expect(parseEnvironment("environment.yml", `dependencies:\n  - ${spec}\n  - dask\n`).pythonVersion).toBe(version);
  });
});

test("variables keep the text written (1.10 stays 1.10) and are sorted", () => {
  const spec = parseEnvironment(
    "environment.yml",
    "dependencies:\n  - dask\nvariables:\n  Z_LAST: on\n  VERSION: 1.10\n  OMP_NUM_THREADS: 1\n",
  );
  expect(spec.variables).toEqual([
    ["OMP_NUM_THREADS", "1"],
    ["VERSION", "1.10"],
    ["Z_LAST", "on"],
  ]);
});

test("requirements files: comments, continuations and blank lines", () => {
  const spec = parseEnvironment(
    "requirements.txt",
    "# header\ndask[distributed] \\\n  ==2024.8.2  # pinned\n\nxgboost>=2.0\n",
  );
  expect(spec.pip.map((r) => r.normalised)).toEqual(["dask[distributed]==2024.8.2", "xgboost>=2.0"]);
});

test("explicit lockfiles keep their order and report versions", () => {
  const base = "https://conda.anaconda.org/conda-forge";
  const spec = parseEnvironment(
    "conda-linux-64.lock",
    `# platform: linux-64\n@EXPLICIT\n${base}/linux-64/python-3.12.7-hc5c86c4_0_cpython.conda#0515111a9cdf69f83278f7c197db9807\n${base}/noarch/dask-core-2024.8.2-pyhd8ed1ab_0.conda\n${base}/noarch/distributed-2024.8.2-pyhd8ed1ab_0.conda\n`,
  );
  expect(spec.explicit.map((p) => `${p.name} ${p.version}`)).toEqual([
    "python 3.12.7",
    "dask-core 2024.8.2",
    "distributed 2024.8.2",
  ]);
  expect(spec.pythonVersion).toBe("3.12");
});
