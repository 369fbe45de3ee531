import * as core from "@actions/core";
import type { Logger } from "@dask-fargate-action/core";

/** The Actions log as the Logger the packages write to. */
export const actionLogger: Logger = {
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};

/** Every output of action.yml (a test checks both ways). */
export const OUTPUT_NAMES = ["image", "digest", "rebuilt", "cluster-id", "scheduler-address", "dashboard-url", "job-exit-code", "cost-estimate"] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Sets an output; the only place outputs are written. */
export function setOutput(name: OutputName, value: string | number | boolean): void {
  core.setOutput(name, String(value));
}

/** Masks a secret before first use; multi-line secrets (PEM keys) line by line, as the runner matches lines. */
export function maskSecret(secret: string | undefined): void {
  if (!secret) return;
  core.setSecret(secret);
  for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
}

/** Runs work inside a collapsible log group. */
export async function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  core.startGroup(name);
  try {
    return await work();
  } finally {
    core.endGroup();
  }
}
