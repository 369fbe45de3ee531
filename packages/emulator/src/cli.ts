#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startEmulator } from "./emulator.js";
import { TIMING_PRESETS, type Timing, type TimingPreset } from "./lifecycle.js";

const USAGE = `Usage: dask-fargate-emulator [options]   (in this repository: npm run emulator -- [options])

A test tool: starts the Fargate emulator (ECS task operations on Docker, everything else on moto) and prints
"ready http://127.0.0.1:PORT" once it and moto answer. SIGINT/SIGTERM stop moto and remove every
container and network it made.

  --port N                 port on 127.0.0.1 (default 4566; 0 = any free port)
  --exec docker|none       run tasks as containers (default) or only their lifecycle
  --moto-endpoint URL      use a running moto instead of starting one
  --timing fast|realistic|early-secrets
                           phase delay preset (default fast; early-secrets: realistic with the
                           secrets read when the ENI is attached, the earliest the ECS agent allows)
  --connectivity-ms N, --provisioning-ms N, --pull-base-ms N, --pull-ms-per-mib N, --activating-ms N,
  --deactivating-ms N, --deprovisioning-ms N, --spot-warning-ms N, --jitter F
                           single phase delays over the preset
  --seed N                 seed of the random delays (default 1)
  --throttling on|off      ECS and Fargate request buckets (default on)
  --pull-timeout-ms N      longest image pull before CannotPullContainerError (default 120000)
  --security-groups enforce|off
                           apply the tasks' security groups to traffic reaching them with iptables
                           (default enforce; off where this is not root or the engine runs in a VM)
  --remove-stale           first remove containers and networks of emulators that died on this machine
  --log-requests           log every AWS call (operation, status, who answered, duration) on stderr
  --quiet                  no diagnostics on stderr
  --help`;

const TIMING_FLAGS = {
  "connectivity-ms": "connectivityMs",
  "provisioning-ms": "provisioningMs",
  "pull-base-ms": "pullBaseMs",
  "pull-ms-per-mib": "pullMsPerMiB",
  "activating-ms": "activatingMs",
  "deactivating-ms": "deactivatingMs",
  "deprovisioning-ms": "deprovisioningMs",
  "spot-warning-ms": "spotWarningMs",
  jitter: "jitter",
} as const satisfies Record<string, keyof Timing>;

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a non-negative number; got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
      exec: { type: "string", default: "docker" },
      "moto-endpoint": { type: "string" },
      timing: { type: "string", default: "fast" },
      seed: { type: "string" },
      throttling: { type: "string", default: "on" },
      "security-groups": { type: "string", default: "enforce" },
      "pull-timeout-ms": { type: "string" },
      quiet: { type: "boolean", default: false },
      "remove-stale": { type: "boolean", default: false },
      "log-requests": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      ...Object.fromEntries(Object.keys(TIMING_FLAGS).map((k) => [k, { type: "string" as const }])),
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.exec !== "docker" && values.exec !== "none")
    throw new Error(`--exec must be docker or none; got ${values.exec}`);
  const preset = values.timing as TimingPreset;
  if (!Object.hasOwn(TIMING_PRESETS, preset))
    throw new Error(`--timing must be one of ${Object.keys(TIMING_PRESETS).join(", ")}; got ${values.timing}`);
  if (values.throttling !== "on" && values.throttling !== "off")
    throw new Error(`--throttling must be on or off; got ${values.throttling}`);
  if (values["security-groups"] !== "enforce" && values["security-groups"] !== "off")
    throw new Error(`--security-groups must be enforce or off; got ${values["security-groups"]}`);
  const timing: Record<string, number | string> = { ...TIMING_PRESETS[preset] };
  for (const [flag, key] of Object.entries(TIMING_FLAGS)) {
    const n = number(flag, (values as Record<string, string | boolean | undefined>)[flag] as string | undefined);
    if (n !== undefined) timing[key] = n;
  }
  const log = values.quiet ? () => {} : (message: string) => process.stderr.write(`emulator: ${message}\n`);
  const emulator = await startEmulator({
    port: number("port", values.port) ?? 4566,
    exec: values.exec,
    timing: timing as unknown as Timing,
    throttling: values.throttling === "on",
    securityGroups: values["security-groups"] === "enforce",
    removeStale: values["remove-stale"],
    logRequests: values["log-requests"] && !values.quiet,
    log,
    ...(values["moto-endpoint"] ? { motoEndpoint: values["moto-endpoint"] } : {}),
    ...(values.seed ? { seed: number("seed", values.seed) ?? 1 } : {}),
    ...(values["pull-timeout-ms"]
      ? { pullTimeoutMs: number("pull-timeout-ms", values["pull-timeout-ms"]) ?? 120_000 }
      : {}),
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping tasks, removing containers and network, stopping moto`);
    emulator.stop().then(
      () => process.exit(process.exitCode ?? 0),
      (error: unknown) => {
        log(`cleanup failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // A bug must not leave containers behind: clean up, then fail.
  const crash = (error: unknown) => {
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
    shutdown("error");
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  log(
    `moto at ${emulator.motoEndpoint}; tasks run ${emulator.exec === "docker" ? `as containers on network ${emulator.network}` : "without containers"}`,
  );
  console.log(`ready ${emulator.endpoint}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
