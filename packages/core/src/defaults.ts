/**
 * The defaults of every setting the action and the CLI share, in one place. This module imports nothing,
 * so the CLI reads it for `--help` without loading the AWS SDK (package export `./defaults`).
 * A test checks that action.yml's input defaults, the CLI help and the README tables agree with it.
 */

/** Cluster defaults as resolveClusterSpec applies them: vCPU, MiB, seconds. */
export const DEFAULTS = {
  schedulerCpu: 1,
  schedulerMemory: 2048,
  workers: 2,
  workerCpu: 1,
  workerMemory: 4096,
  idleTimeout: 1800,
  maxLifetime: 6 * 3600,
  deathTimeout: 120,
} as const;

/**
 * The same defaults (and the Fargate, job and front-end ones) as a user writes them, keyed by input/flag name. A
 * test resolves these texts and compares them with {@link DEFAULTS} and the Fargate spec's defaults; the settings
 * table (./settings) takes every default it shows or applies from here. A boolean without an entry defaults to false.
 */
export const INPUT_DEFAULTS = {
  command: "run",
  backend: "fargate",
  push: "true",
  tls: "true",
  workers: "2",
  "worker-cpu": "1",
  "worker-memory": "4GB",
  "scheduler-cpu": "1",
  "scheduler-memory": "2GB",
  "idle-timeout": "30m",
  "max-lifetime": "6h",
  architecture: "X86_64",
  "platform-version": "LATEST",
  "log-retention-days": "7",
  "job-runs-on": "cluster",
  "job-workdir": ".",
} as const;
