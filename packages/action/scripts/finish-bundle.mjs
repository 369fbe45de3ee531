// Makes the ncc output portable and checks it. ncc copies native addons that ssh2 (under dockerode)
// loads optionally, built for this machine's Node ABI; on the runner's node24 they would not load
// anyway, and ssh2 falls back to JavaScript without them. Removing them keeps the committed bundle
// the same on every machine. pagent.exe is ssh2's Windows Pageant helper, also unused here.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
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
for (const entry of ["main/index.js", "post/index.js"]) {
  const text = readFileSync(join(dist, entry), "utf8");
  if (text.length < 1000) throw new Error(`${entry} looks empty`);
}
console.log(`bundle: dist/main/index.js and dist/post/index.js (removed ${removed.length} machine-specific or unused files)`);
