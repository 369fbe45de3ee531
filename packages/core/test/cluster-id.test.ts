import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { isClusterId, removeClusterTlsDir } from "../src/cluster-id.js";
import { assertClusterId, ClusterConfigError, clusterDirectory, resolveClusterSpec } from "../src/index.js";

describe("cluster ids name files and resources, so only the pattern passes", () => {
  test.each([
    "../../projects",
    "..",
    ".",
    "a/b",
    "/etc",
    "a..b",
    "A1",
    "x",
    "dfa-0123abcd\n",
    "dfa 1",
    "-dfa",
    "dfa-",
    "a".repeat(33),
    "",
  ])("%j is refused wherever it comes from", (id) => {
    expect(isClusterId(id)).toBe(false);
    expect(() => assertClusterId(id)).toThrow(ClusterConfigError);
    expect(() => assertClusterId(id, "a tag")).toThrow(/from a tag/);
    expect(() => resolveClusterSpec({ image: "dask:1", clusterId: id })).toThrow(ClusterConfigError);
  });
  test.each(["dfa-0123abcd", "gh-1234567890-a1b2c3", "ab", `a${"b".repeat(31)}`])("%j is a cluster id", (id) => {
    expect(assertClusterId(id)).toBe(id);
  });
  test("the message says what is wrong and how to write one", () => {
    expect(() => assertClusterId("../../projects")).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: cluster-id: "../../projects" is not a cluster id: use 2-32 lower-case letters, digits and '-', starting with a letter (e.g. dfa-0123abcd)]`,
    );
  });
});

describe("state directories on the real file system", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "dfa-cluster-id-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test("clusterDirectory stays a direct child of its parent", () => {
    expect(clusterDirectory(join(root, "clusters"), "dfa-1")).toBe(join(root, "clusters", "dfa-1"));
    expect(() => clusterDirectory(join(root, "clusters"), "../../projects")).toThrow(ClusterConfigError);
  });

  test("removeClusterTlsDir refuses a directory not named after the cluster and leaves it in place", async () => {
    const projects = join(root, "projects");
    await mkdir(projects);
    await writeFile(join(projects, "thesis.tex"), "years of work");
    await expect(removeClusterTlsDir(projects, "dfa-0123abcd")).rejects.toThrow(/must be named after its id/);
    await expect(removeClusterTlsDir(projects, "../projects")).rejects.toThrow(ClusterConfigError);
    expect(await readdir(projects)).toEqual(["thesis.tex"]);
  });

  test("removeClusterTlsDir removes the cluster's own directory (and only a symlink's link, never its target)", async () => {
    const own = join(root, "clusters", "dfa-1");
    await mkdir(join(own, "tls"), { recursive: true });
    await removeClusterTlsDir(own, "dfa-1");
    await expect(stat(own)).rejects.toThrow();
    const target = join(root, "elsewhere");
    await mkdir(target);
    await writeFile(join(target, "keep"), "x");
    await symlink(target, join(root, "clusters", "dfa-2"));
    await removeClusterTlsDir(join(root, "clusters", "dfa-2"), "dfa-2");
    expect(await readdir(target)).toEqual(["keep"]);
  });
});

describe("each error class's isInstance means that class", () => {
  test("a subclass counts, a sibling does not, and the base sees all", async () => {
    const { CoreError, MemberStoppedError, WaitTimeoutError, AwsResponseError } = await import("../src/index.js");
    const config = new ClusterConfigError("workers", "bad");
    expect(ClusterConfigError.isInstance(config)).toBe(true);
    expect(CoreError.isInstance(config)).toBe(true);
    expect(MemberStoppedError.isInstance(config)).toBe(false);
    expect(WaitTimeoutError.isInstance(config)).toBe(false);
    expect(AwsResponseError.isInstance(config)).toBe(false);
    expect(ClusterConfigError.isInstance(new CoreError("x"))).toBe(false);
    expect(ClusterConfigError.isInstance(new Error("x"))).toBe(false);
  });
});
