import { resolve } from "node:path";
import type { BackendSettings, JobRunsOn, Readiness } from "@dask-fargate-action/core/backend";
import { cliRaw, readSettings, type Settings } from "@dask-fargate-action/core/settings";
import type { ClusterSpecInput } from "@dask-fargate-action/core/validate";
import type { Flags } from "./flags.js";

/**
 * The settings a command's flags give, read once per parsed flags by core's settings reader (the same reader and
 * rules as the action's inputs; a bad flag is an InputError naming it, exit code 2). Each function below is one
 * view of them for the command modules.
 */
const read = new WeakMap<Flags, Settings>();

export function settingsOf(flags: Flags): Settings {
  const known = read.get(flags);
  if (known) return known;
  const settings = readSettings(cliRaw(flags), { frontEnd: "cli", command: flags.command });
  read.set(flags, settings);
  return settings;
}

/** The backend flag: `docker` (local Docker Engine, the CLI's default) or `fargate` (AWS ECS Fargate). */
export function backendOf(flags: Flags): "docker" | "fargate" {
  return settingsOf(flags).backend;
}

/** When a start counts as ready (`--readiness`); undefined: the backend's default (core's DEFAULT_READINESS). */
export function readinessOf(flags: Flags): Readiness | undefined {
  return settingsOf(flags).readiness;
}

/** Where the job runs, from `--job-runs-on`. */
export function jobRunsOnOf(flags: Flags): JobRunsOn {
  return settingsOf(flags).jobRunsOn;
}

/** The cluster spec input from the flags (validated later by resolveClusterSpec). */
export function clusterInputOf(flags: Flags, image: string): ClusterSpecInput {
  const { clusterId, cluster } = settingsOf(flags);
  return { image, ...(clusterId === undefined ? {} : { clusterId }), ...cluster };
}

/** `run`'s job: `--job-command` (the reader refuses run without one). */
export function jobCommandOf(flags: Flags): string {
  const { jobCommand } = settingsOf(flags);
  if (jobCommand === undefined) throw new Error(`dask-fargate ${flags.command} has no job`);
  return jobCommand;
}

/**
 * `--job-env NAME` (repeatable, or comma-separated): variables of this environment a job on this machine
 * inherits besides the allow-list (core's runner-job.ts). Only with `--job-runs-on runner`.
 */
export function jobEnvOf(flags: Flags): readonly string[] {
  return settingsOf(flags).jobEnv;
}

/**
 * `--job-user USER`: the unprivileged user a job on this machine runs as (checked: it exists, is not root, and this
 * process is root). Only for `--job-runs-on runner`: a job in the cluster runs in its own container or task.
 */
export function jobUserOf(flags: Flags): string | undefined {
  return settingsOf(flags).jobUser;
}

/** The job's directory: `--job-workdir`, default the current directory. */
export function jobWorkdirOf(flags: Flags): string {
  return resolve(settingsOf(flags).jobWorkdir);
}

/** Backend settings from the flags: for fargate the region (flag, AWS_REGION or AWS_DEFAULT_REGION) and the Fargate settings. */
export function backendSettingsOf(flags: Flags): BackendSettings {
  return settingsOf(flags).backendSettings;
}
