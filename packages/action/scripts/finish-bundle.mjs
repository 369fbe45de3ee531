// Makes the ncc output portable and checks it. ncc copies native addons that ssh2 (under dockerode)
// loads optionally, built for this machine's Node ABI; on the runner's node24 they would not load
// anyway, and ssh2 falls back to JavaScript without them. Removing them keeps the committed bundle
// the same on every machine. pagent.exe is ssh2's Windows Pageant helper, also unused here.
//
// ncc minifies only each entry's index.js; the chunks of the modules main and post load with import() (the
// backends, the image builder, the pipeline: see src/main.ts) come out unminified, half again the size. They are
// minified here with esbuild (license comments kept, as in the entries), deterministically, so the committed
// bundle stays what the sources build.
//
// ncc's --license writes one file per chunk under the same name, so the last chunk's list would win and the
// entry's packages (@actions/core, undici, ...) would be missing. dist/main/licenses.txt is written here instead,
// from the webpack stats of the main build (--stats-out), the way ncc's license plugin renders it: every package
// any chunk holds (the nearest package.json with a name; not this package), by name, with its license and the
// text of its LICENSE file.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const dist = new URL("../dist/", import.meta.url).pathname;
const self = resolve(fileURLToPath(new URL("..", import.meta.url)));
const statsFile = join(dist, "main", "stats.json");
const stats = JSON.parse(readFileSync(statsFile, "utf8"));
rmSync(statsFile);
writeFileSync(join(dist, "main", "licenses.txt"), licensesOf(stats));
const removed = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".node") || name === "pagent.exe" || name.endsWith(".d.ts") || name.endsWith(".d.ts.map")) {
      rmSync(path);
      removed.push(path.slice(dist.length));
    }
  }
};
walk(dist);
// Directories left empty by the removal (git would not keep them anyway).
const prune = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) prune(path);
  }
  if (dir !== dist && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
};
prune(dist);
let chunks = 0;
for (const entry of ["main", "post"]) {
  for (const name of readdirSync(join(dist, entry)).filter((n) => /^\d+\.index\.js$/.test(n))) {
    const path = join(dist, entry, name);
    const { code } = await transform(readFileSync(path, "utf8"), {
      minify: true,
      format: "esm",
      target: "es2022",
      legalComments: "inline",
    });
    writeFileSync(path, code);
    chunks++;
  }
}
for (const entry of ["main/index.js", "post/index.js"]) {
  const text = readFileSync(join(dist, entry), "utf8");
  if (text.length < 1000) throw new Error(`${entry} looks empty`);
}
console.log(
  `bundle: dist/main/index.js and dist/post/index.js, ${chunks} chunks minified (removed ${removed.length} machine-specific or unused files)`,
);

function licensesOf(stats) {
  const files = new Set(
    stats.modules.flatMap((m) => m.modules ?? [m]).flatMap((m) => (m.nameForCondition ? [m.nameForCondition] : [])),
  );
  const packages = new Map();
  for (const file of files) {
    for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
      if (!existsSync(join(dir, "package.json"))) continue;
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (!manifest.name) continue;
      if (dir !== self) packages.set(manifest.name, { dir, manifest });
      break;
    }
  }
  const entries = [...packages.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const text = entries.map(([name, { dir, manifest }]) => {
    const id =
      typeof manifest.license === "string"
        ? manifest.license
        : (manifest.license?.type ?? manifest.licenses?.[0]?.type);
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^licen[cs]e/i.test(f));
    const license = file ? readFileSync(join(dir, file), "utf8").replace(/\r\n/g, "\n") : undefined;
    return `${name}${id ? `\n${id}` : ""}${license ? `\n${license}` : ""}\n\n`;
  });
  return `${text.join("").trim()}\n`;
}
