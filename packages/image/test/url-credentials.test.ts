import { describe, expect, test } from "vitest";
import { hasUrlCredentials, redactUrlCredentials } from "../src/url-credentials.js";

describe("credentials inside URLs", () => {
  test.each([
    ["https://user:pass@pypi.example.com/simple", "https://***@pypi.example.com/simple"],
    ["https://TOKEN@github.com/org/repo", "https://***@github.com/org/repo"],
    [
      "git+https://oauth2:glpat-abc@gitlab.example.com/org/repo.git@v1",
      "git+https://***@gitlab.example.com/org/repo.git@v1",
    ],
    ["--index-url https://__token__:x@host/simple dask", "--index-url https://***@host/simple dask"],
    ["https://conda.anaconda.org/t/ab-12cd/private", "https://conda.anaconda.org/t/***/private"],
    ["postgres://app:pw@db.internal:5432/x", "postgres://***@db.internal:5432/x"],
    ["two: https://a:b@h1/x and https://c@h2/y", "two: https://***@h1/x and https://***@h2/y"],
  ])("%s is found and redacted", (text, redacted) => {
    expect(hasUrlCredentials(text)).toBe(true);
    expect(redactUrlCredentials(text)).toBe(redacted);
  });

  test.each([
    "git+https://github.com/org/repo@v1.0#egg=repo",
    "pkg @ https://files.example.com/pkg-1.0-py3-none-any.whl",
    "git+ssh://git@github.com/org/repo.git",
    "https://files.example.com/a@b/pkg.whl",
    "https://registry.example.com/@scope/pkg",
    "conda-forge/label/t/dev",
    "user@example.com",
    "numpy>=1.26",
  ])("%s has none", (text) => {
    expect(hasUrlCredentials(text)).toBe(false);
    expect(redactUrlCredentials(text)).toBe(text);
  });
});
