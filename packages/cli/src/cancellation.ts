/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM, so the running command stops waiting and
 * tears down what it created. A second signal exits at once (the teardown may then be incomplete;
 * `dask-fargate down` or `reap` finishes it).
 */
export function signalOnInterrupt(onSignal: (name: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(
        `${name} again: exiting without finishing the teardown; run dask-fargate down to finish it\n`,
      );
      process.exit(130);
    }
    onSignal(name);
    controller.abort(new Error(name));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
