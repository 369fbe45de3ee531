import * as core from "@actions/core";
import type { Logger } from "@dask-fargate-action/core/backend";
import { neutralizeCommands, StopCommandsWindow } from "./workflow-commands.js";

/**
 * The Actions log as the Logger the packages write to. Messages can carry remote text (AWS and Docker
 * errors, container output), so none of them can issue a workflow command.
 */
export const actionLogger: Logger = {
  info: (m) => core.info(neutralizeCommands(m)),
  warn: (m) => core.warning(neutralizeCommands(m)),
  debug: (m) => core.debug(neutralizeCommands(m)),
};

/**
 * Runs `work` with a Logger for output of user-controlled text (the image build prints the Dockerfile's
 * steps, with ENV values from the environment file): lines go inside a stop-commands window, debug lines
 * only when step debugging is on, and a warning closes the window so that it still becomes an annotation.
 */
export async function withUntrustedLog<T>(work: (logger: Logger) => Promise<T>): Promise<T> {
  const window = new StopCommandsWindow((line) => core.info(line));
  const logger: Logger = {
    info: (m) => void window.line(m),
    debug: (m) => void (core.isDebug() ? window.line(m) : undefined),
    warn: (m) => {
      window.close();
      core.warning(neutralizeCommands(m));
    },
  };
  try {
    return await work(logger);
  } finally {
    window.close();
  }
}

/** Fails the step with a message that may carry remote text (a container's last lines, an AWS error). */
export function setFailed(error: unknown): void {
  core.setFailed(neutralizeCommands(error instanceof Error ? error.message : String(error)));
}

/** Every output of action.yml (a test checks both ways). */
export const OUTPUT_NAMES = [
  "image",
  "digest",
  "rebuilt",
  "packages",
  "cluster-id",
  "scheduler-address",
  "dashboard-url",
  "tls-ca-file",
  "tls-cert-file",
  "tls-key-file",
  "job-exit-code",
  "cost-estimate",
  "worker-replacements",
  "result",
  "output-dir",
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** The state key of the saved cluster; the runner hands it to the post step as STATE_cluster (state.ts). */
export const STATE_KEY = "cluster";

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
