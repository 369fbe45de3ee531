import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveClusterSpec } from "../src/cluster-spec.js";
import { DEFAULTS, INPUT_DEFAULTS } from "../src/defaults.js";
import { USER_AGENT } from "../src/fargate/aws-clients.js";
import { resolveFargateSpec } from "../src/fargate/fargate-spec.js";
import { TLS_FILES } from "../src/internal/dask-commands.js";
import { writeTlsFiles } from "../src/internal/tls.js";
import { CORE_VERSION } from "../src/version.js";

describe("one name, one value per thing", () => {
  test("the user agent carries package.json's version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(CORE_VERSION).toBe(version);
    expect(USER_AGENT).toBe(`dask-fargate-action/${version}`);
  });

  test("the defaults as users write them resolve to the defaults the spec applies", () => {
    const d = INPUT_DEFAULTS;
    const written = resolveClusterSpec({
      image: "i:1",
      clusterId: "dfa-00000000",
      workers: d.workers,
      workerCpu: d["worker-cpu"],
      workerMemory: d["worker-memory"],
      schedulerCpu: d["scheduler-cpu"],
      schedulerMemory: d["scheduler-memory"],
      idleTimeout: d["idle-timeout"],
      maxLifetime: d["max-lifetime"],
    });
    const applied = resolveClusterSpec({ image: "i:1", clusterId: "dfa-00000000" });
    expect(written).toEqual(applied);
    expect(applied).toMatchObject({
      workers: DEFAULTS.workers,
      workerCpu: DEFAULTS.workerCpu,
      workerMemory: DEFAULTS.workerMemory,
      schedulerCpu: DEFAULTS.schedulerCpu,
      schedulerMemory: DEFAULTS.schedulerMemory,
      idleTimeout: DEFAULTS.idleTimeout,
      maxLifetime: DEFAULTS.maxLifetime,
    });
    const fargate = resolveFargateSpec({ region: "eu-west-1" }, applied);
    expect({
      architecture: fargate.architecture,
      platformVersion: fargate.platformVersion,
      logRetentionDays: String(fargate.logRetentionDays),
    }).toEqual({
      architecture: d.architecture,
      platformVersion: d["platform-version"],
      logRetentionDays: d["log-retention-days"],
    });
  });

  test("a client's TLS directory holds the same file names as every container", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dfa-tls-"));
    try {
      const paths = await writeTlsFiles(join(dir, "c"), { ca: "ca", cert: "cert", key: "key" });
      expect({ ca: basename(paths.ca), cert: basename(paths.cert), key: basename(paths.key) }).toEqual(TLS_FILES);
      expect((await readdir(join(dir, "c"))).sort()).toEqual(Object.values(TLS_FILES).sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
