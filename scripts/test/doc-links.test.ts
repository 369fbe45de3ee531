import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/**
 * Every relative link and #anchor in the README, the pages under docs/ and the other Markdown the repository
 * shows a reader (the packages' READMEs, CONTRIBUTING.md, SECURITY.md) resolves: the file or directory exists,
 * and an anchor names a heading of the Markdown file it points at, as GitHub makes anchors from headings.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));

function markdownUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? markdownUnder(`${dir}/${e.name}`) : e.name.endsWith(".md") ? [`${dir}/${e.name}`] : [],
    )
    .sort();
}

const FILES = [
  "README.md",
  ...markdownUnder("docs"),
  ...readdirSync(join(root, "packages"))
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(join(root, f))),
  "CONTRIBUTING.md",
  "SECURITY.md",
].filter((f) => existsSync(join(root, f)));

/** The text outside fenced code blocks, with inline code spans blanked (their brackets are no links). */
function prose(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return "";
      }
      return inFence ? "" : line.replace(/`+[^`]*`+/g, (code) => " ".repeat(code.length));
    })
    .join("\n");
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[`*_]{1,2}([^`*_]+)[`*_]{1,2}/g, "$1");
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings, numbered as GitHub numbers repeated ones. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The inline links and images of a Markdown file: their targets, with the line they are on. */
function links(markdown: string): { target: string; line: number }[] {
  const text = prose(markdown);
  const found: { target: string; line: number }[] = [];
  for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    found.push({ target: match[1] ?? "", line: text.slice(0, match.index).split("\n").length });
  }
  return found;
}

/** Why a relative link of `file` does not resolve, or undefined when it does (other schemes are not checked). */
function problem(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  const [path = "", anchor] = target.split("#");
  const resolved = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
  if (relative(root, join(root, resolved)).startsWith("..")) return `${target} leaves the repository`;
  if (!existsSync(join(root, resolved))) return `${target}: ${resolved} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(join(root, resolved)).isDirectory() || !resolved.endsWith(".md"))
    return `${target}: an anchor into ${resolved}, which is no Markdown file`;
  if (!anchors(readFileSync(join(root, resolved), "utf8")).has(anchor))
    return `${target}: ${resolved} has no heading with the anchor #${anchor}`;
  return undefined;
}

describe("links between the README, docs/ and the packages' READMEs", () => {
  test("the files checked include the README and every page under docs/", () => {
    expect(FILES).toContain("README.md");
    expect(FILES).toEqual(expect.arrayContaining(["docs/iam.md", "docs/security.md", "docs/reliability.md"]));
  });

  test.each(FILES)("%s: every relative link and anchor resolves", (file) => {
    const markdown = readFileSync(join(root, file), "utf8");
    const broken = links(markdown)
      .map(({ target, line }) => ({ line, why: problem(file, target) }))
      .filter((l) => l.why !== undefined)
      .map((l) => `${file}:${l.line}: ${l.why}`);
    expect(broken).toEqual([]);
  });

  test("the README links every page under docs/", () => {
    const linked = new Set(
      links(readFileSync(join(root, "README.md"), "utf8")).map((l) => normalize(l.target.split("#")[0] ?? "")),
    );
    expect(markdownUnder("docs").filter((page) => !linked.has(page))).toEqual([]);
  });
});

describe("the link checker", () => {
  test.each([
    ["Preflight: checked before Fargate is paid", "preflight-checked-before-fargate-is-paid"],
    ["How images are built: BuildKit, cache, record, size", "how-images-are-built-buildkit-cache-record-size"],
    [
      "The task role's one inline policy: workers find their scheduler",
      "the-task-roles-one-inline-policy-workers-find-their-scheduler",
    ],
    ["The seam: `ClusterBackend`", "the-seam-clusterbackend"],
    ["Job summary: pictures", "job-summary-pictures"],
  ])("makes GitHub's anchor of %s", (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  test("numbers repeated headings and skips headings in code", () => {
    expect([...anchors("# A\n## A\n```\n# B\n```\n")]).toEqual(["a", "a-1"]);
  });

  test("finds links outside code only", () => {
    expect(links("[a](x.md#y) `[b](no.md)`\n```\n[c](no.md)\n```\n![d](img.png)")).toEqual([
      { target: "x.md#y", line: 1 },
      { target: "img.png", line: 5 },
    ]);
  });

  test("reports a missing file and a missing anchor", () => {
    expect(problem("README.md", "docs/nothing.md")).toMatch(/does not exist/);
    expect(problem("README.md", "docs/iam.md#no-such-heading")).toMatch(
      /has no heading with the anchor #no-such-heading/,
    );
    expect(problem("docs/iam.md", "#the-default-policy")).toBeUndefined();
    expect(problem("docs/iam.md", "../README.md#aws-in-five-steps")).toBeUndefined();
  });
});
