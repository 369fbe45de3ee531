import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { downloadJobOutputs, type OutputRun } from "../src/fargate/fargate-outputs.js";
import { type OutputManifest, signManifest } from "../src/fargate/output-manifest.js";
import { memoryS3 } from "./memory-s3.js";

/**
 * The runner's side of job outputs (fargate-outputs.ts) against an in-memory S3: it delivers exactly what a
 * manifest signed with this cluster's key lists, and nothing else any writer of the prefix put there.
 */
const scratch = mkdtempSync(join(tmpdir(), "dfa-outputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const KEY = Buffer.alloc(32, 1);
const jobPrefix = "nightly/dfa-0123abcd/t0k3n/j0b/";
const expected = { cluster: "dfa-0123abcd", token: "t0k3n", job: "j0b" };
const run: OutputRun = { bucket: "models", jobPrefix, expected, key: KEY };
const sha = (body: Buffer | string) => createHash("sha256").update(body).digest("hex");
let n = 0;
const freshDir = () => join(scratch, `out-${n++}`);

/** Objects as this run's job task would leave them: its files and a manifest signed with `key`. */
function staged(files: Record<string, string>, options: { key?: Buffer; manifest?: Partial<OutputManifest> } = {}) {
  const objects = new Map<string, Buffer>();
  for (const [path, content] of Object.entries(files)) objects.set(`${jobPrefix}files/${path}`, Buffer.from(content));
  const manifest: OutputManifest = {
    version: 1,
    ...expected,
    files: Object.entries(files).map(([path, content]) => ({
      path,
      size: Buffer.byteLength(content),
      sha256: sha(content),
    })),
    skipped: [],
    ...options.manifest,
  };
  objects.set(`${jobPrefix}manifest.json`, Buffer.from(signManifest(manifest, options.key ?? KEY)));
  return objects;
}

describe("downloadJobOutputs delivers only what this run's job signed", () => {
  test("the listed files come back; an object another writer put under the run's prefix is counted and never read", async () => {
    const objects = staged({ "model.json": "model", "metrics/run.json": '{"rmse": 0.5}' });
    objects.set(`${jobPrefix}files/planted.py`, Buffer.from("import os"));
    objects.set(`${jobPrefix}files/model.json.bak`, Buffer.from("stale"));
    const s3 = memoryS3(objects);
    const dir = freshDir();
    const outputs = await downloadJobOutputs(s3, run, dir);
    expect(outputs.files).toEqual([
      { path: "metrics/run.json", bytes: 13 },
      { path: "model.json", bytes: 5 },
    ]);
    expect(outputs.ignoredObjects).toBe(2);
    expect(outputs.problem).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(["metrics", "model.json"]);
    expect(s3.gets.some((k) => k.endsWith("planted.py") || k.endsWith(".bak"))).toBe(false);
  });

  test("a manifest signed with another cluster's key is refused and no file is written", async () => {
    const dir = freshDir();
    const s3 = memoryS3(staged({ "model.json": "evil" }, { key: Buffer.alloc(32, 2) }));
    await expect(downloadJobOutputs(s3, run, dir)).rejects.toThrow(/signature does not verify with this cluster's key/);
    expect(existsSync(join(dir, "model.json"))).toBe(false);
  });

  test("a manifest of another job, token or cluster (a replay under this prefix) is refused", async () => {
    for (const other of [{ job: "earlier" }, { token: "other-attempt" }, { cluster: "dfa-other" }]) {
      const s3 = memoryS3(staged({ "model.json": "old" }, { manifest: other }));
      await expect(downloadJobOutputs(s3, run, freshDir())).rejects.toThrow(/belongs to another run/);
    }
  });

  test("no manifest (the uploader never finished) means no files, with a clear error", async () => {
    const objects = staged({ "model.json": "model" });
    objects.delete(`${jobPrefix}manifest.json`);
    const dir = freshDir();
    await expect(downloadJobOutputs(memoryS3(objects), run, dir)).rejects.toThrow(
      /no outputs manifest at s3:\/\/models\/nightly\/.*no files were taken/,
    );
    expect(existsSync(join(dir, "model.json"))).toBe(false);
  });

  test("a listed file whose object was replaced after the upload is deleted and reported alone", async () => {
    const objects = staged({ "model.json": "model", "notes.txt": "ok" });
    objects.set(`${jobPrefix}files/model.json`, Buffer.from("MODEL"));
    const dir = freshDir();
    const outputs = await downloadJobOutputs(memoryS3(objects), run, dir);
    expect(outputs.files).toEqual([{ path: "notes.txt", bytes: 2 }]);
    expect(outputs.skipped).toEqual([
      { path: "model.json", reason: expect.stringContaining("size or sha256 differ from the signed manifest") },
    ]);
    expect(outputs.problem).toMatch(/^1 output file\(s\) did not come back: "model.json"/);
    expect(existsSync(join(dir, "model.json"))).toBe(false);
  });

  test("odd but legal names: run\\notes.txt is delivered as one file; a newline or a .. segment is skipped alone", async () => {
    const dir = freshDir();
    const outputs = await downloadJobOutputs(
      memoryS3(staged({ "run\\notes.txt": "a", "line\nbreak.txt": "b", "../escape.txt": "c", "model.json": "model" })),
      run,
      dir,
    );
    expect(outputs.files.map((f) => f.path)).toEqual(["model.json", "run\\notes.txt"]);
    expect(readFileSync(join(dir, "run\\notes.txt"), "utf8")).toBe("a");
    expect(readdirSync(dir).sort()).toEqual(["model.json", "run\\notes.txt"]);
    expect(outputs.skipped?.map((s) => s.path).sort()).toEqual(["../escape.txt", "line\nbreak.txt"]);
    expect(existsSync(join(scratch, "escape.txt"))).toBe(false);
  });

  test("symbolic links already in the output directory are never followed: those files are refused and reported", async () => {
    const dir = freshDir();
    const elsewhere = join(scratch, "elsewhere");
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, "victim"), "untouched");
    mkdirSync(dir, { recursive: true });
    symlinkSync(elsewhere, join(dir, "metrics"));
    symlinkSync(join(elsewhere, "victim"), join(dir, "model.json"));
    const outputs = await downloadJobOutputs(
      memoryS3(staged({ "metrics/run.json": "x", "model.json": "model", "ok.txt": "ok" })),
      run,
      dir,
    );
    expect(outputs.files).toEqual([{ path: "ok.txt", bytes: 2 }]);
    expect(outputs.skipped?.map((s) => [s.path, s.reason.includes("symbolic link")])).toEqual([
      ["metrics/run.json", true],
      ["model.json", true],
    ]);
    expect(readFileSync(join(elsewhere, "victim"), "utf8")).toBe("untouched");
    expect(readdirSync(elsewhere)).toEqual(["victim"]);
  });

  test("more files or bytes than the caps: refused before any file is written", async () => {
    const dir = freshDir();
    await expect(
      downloadJobOutputs(memoryS3(staged({ a: "1", b: "2", c: "3" })), run, dir, { maxFiles: 2 }),
    ).rejects.toThrow(/wrote 3 output files, more than the limit of 2; no files were taken/);
    await expect(
      downloadJobOutputs(memoryS3(staged({ a: "12345", b: "12345" })), run, dir, { maxBytes: 9 }),
    ).rejects.toThrow(/outputs are 10 bytes, more than the limit of 9; no files were taken/);
    expect(existsSync(join(dir, "a"))).toBe(false);
  });

  test("the job task's own skipped files (a name S3 cannot hold) are reported, the rest delivered", async () => {
    const outputs = await downloadJobOutputs(
      memoryS3(
        staged(
          { "model.json": "model" },
          { manifest: { skipped: [{ path: "bad\ufffd", reason: "its name is not UTF-8" }] } },
        ),
      ),
      run,
      freshDir(),
    );
    expect(outputs.files).toEqual([{ path: "model.json", bytes: 5 }]);
    expect(outputs.skipped).toEqual([
      { path: "bad\ufffd", reason: "the job task did not upload it: its name is not UTF-8" },
    ]);
  });
});
