import * as core from "@actions/core";
import { actionLogger, maskSecret, setFailed } from "./action-io.js";
import { afterSignal, Cancellation } from "./cancellation.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { StopCommandsWindow } from "./workflow-commands.js";

/**
 * The main step. Inputs are read and validated first and the step's first line is printed with light modules
 * only; the command's modules (AWS SDK clients, dockerode, the image builder, the run pipeline) are loaded
 * after that, with `import()` (a chunk of the bundle), so a user sees the step start, or a bad input refused,
 * without waiting for them. Secrets are masked before first use; SIGINT or SIGTERM (a cancelled workflow)
 * aborts the running operation, which starts the teardown at once (task stops first); whatever is left is
 * finished by the post step from the saved state.
 */
export async function main(): Promise<void> {
  const cancellation = new Cancellation();
  let command: string | undefined;
  const onSignal = (name: string) => {
    const cancelled = cancellation.cancel(name);
    if (!cancelled) return;
    // The signal can come while build or job output streams inside a stop-commands window: close it, or the runner
    // would show the warning as text instead of acting on it.
    StopCommandsWindow.closeAll();
    core.warning(`${name} ${cancelled.where}: the run is being cancelled; ${afterSignal(cancelled, command)}`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // The AWS SDK can wait on handles that do not keep Node alive; this timer keeps the step running until it is done.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    command = inputs.command;
    maskSecret(inputs.registryPassword);
    // Inputs are the workflow author's text (a file name can hold `##[`): written through the neutralising logger.
    actionLogger.info(firstLine(inputs));
    const { dispatch } = await import("./commands.js");
    await dispatch(inputs, cancellation);
  } catch (error) {
    setFailed(error);
  } finally {
    clearInterval(keepAlive);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** What the step is about to do, in one line (inputs are valid by now). */
function firstLine(inputs: ActionInputs): string {
  switch (inputs.command) {
    case "build":
      return `dask-fargate-action: build the image of ${inputs.environmentFile ?? inputs.dockerfile}`;
    case "down":
      return `dask-fargate-action: down cluster ${inputs.clusterId} (${inputs.backend} backend)`;
    default:
      return `dask-fargate-action: ${inputs.command} (${inputs.backend} backend)`;
  }
}
