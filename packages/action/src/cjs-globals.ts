// Must be the first import of each bundle entry. ncc turns the ESM entry into one ES module, but
// ssh2 (pulled in by dockerode's docker-modem) reads __dirname and require at load time, which ES
// modules do not have ("ReferenceError: __dirname is not defined"). Define them from import.meta.url.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const scope = globalThis as Record<string, unknown>;
const filename = fileURLToPath(import.meta.url);
scope["__filename"] ??= filename;
scope["__dirname"] ??= dirname(filename);
scope["require"] ??= createRequire(import.meta.url);
