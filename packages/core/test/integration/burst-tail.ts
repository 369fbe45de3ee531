/**
 * A Dask job with a burst of `tasks` half-second tasks, then one single-threaded task of `tailSeconds`, then it
 * gathers the burst's results again: they were held on workers while the tail ran, so a scale-down that lost data
 * would fail here (or print a wrong sum). Inline Python (no single quotes inside), so a Fargate job task runs it
 * from the command alone. Prints `burst done`, `tail done` and `sum <n>`.
 */
export function burstThenTailCommand(tasks: number, tailSeconds: number): string {
  const script = [
    "import time",
    "from distributed import Client, wait",
    "c = Client()",
    "def work(i):",
    "    time.sleep(0.5)",
    "    return i",
    `futs = c.map(work, range(${tasks}), pure=False)`,
    "wait(futs)",
    'print("burst done", flush=True)',
    `c.submit(time.sleep, ${tailSeconds}, pure=False).result()`,
    'print("tail done", flush=True)',
    'print("sum", sum(c.gather(futs)), flush=True)',
  ].join("\n");
  return `python3 -c '${script}'`;
}

/** The sum the job prints when every result of the burst came back. */
export const burstSum = (tasks: number): number => (tasks * (tasks - 1)) / 2;
