/**
 * The adaptive sidecar: fixed Python (no user input interpolated) that runs beside the user's command wherever the
 * job's Dask client runs (in the job container or task, or on the runner). Every DFA_ADAPT_INTERVAL seconds
 * (default 5) it asks the scheduler for its own adaptive target (`Scheduler.adaptive_target`, what
 * `distributed.deploy.Adaptive` follows), bounds it by DFA_ADAPT_MIN..DFA_ADAPT_MAX and prints it as a marked line
 * (ADAPT_MARK) on stderr, which the controller already reads (container output, CloudWatch Logs). When the target
 * stays below the registered workers for DFA_ADAPT_DOWN_AFTER rounds in a row (default 3), it retires the surplus
 * through the scheduler (`retire_workers`, which first moves every key held only there to the remaining workers,
 * then closes them) and prints which workers went, so the controller removes exactly those members. The runner
 * never connects to the cluster for any of this.
 */
export const ADAPT_SIDECAR_PY = [
  "import json, os, sys, time",
  "from distributed import Client",
  "lo, hi = int(os.environ['DFA_ADAPT_MIN']), int(os.environ['DFA_ADAPT_MAX'])",
  "every = float(os.environ.get('DFA_ADAPT_INTERVAL', '5'))",
  "down_after = int(os.environ.get('DFA_ADAPT_DOWN_AFTER', '3'))",
  "def say(**fields):",
  "    print('dask-fargate-adapt: ' + json.dumps(fields, sort_keys=True), file=sys.stderr, flush=True)",
  "def look(dask_scheduler):",
  "    up = [a for a, ws in dask_scheduler.workers.items() if ws.status.name == 'running']",
  "    return {'target': dask_scheduler.adaptive_target(), 'workers': len(up)}",
  "def surplus(dask_scheduler, target):",
  "    return dask_scheduler.workers_to_close(target=target)",
  "with Client(os.environ['DASK_SCHEDULER_ADDRESS'], timeout=120) as client:",
  "    below, last = 0, None",
  "    while True:",
  "        seen = client.run_on_scheduler(look)",
  "        target, workers = max(lo, min(hi, int(seen['target']))), seen['workers']",
  "        if (target, workers) != last or target > workers:",
  "            say(target=target, workers=workers)",
  "        below = below + 1 if target < workers and (last is None or workers <= last[1]) else 0",
  "        last = (target, workers)",
  "        if below >= down_after:",
  "            below = 0",
  "            going = client.run_on_scheduler(surplus, target=target)",
  "            if going:",
  "                done = client.retire_workers(workers=going, close_workers=True)",
  "                say(retired=[{'address': a, 'name': str(i.get('name', a)), 'host': i.get('host', '')} for a, i in done.items()])",
  "        time.sleep(every)",
].join("\n");

/** The environment the sidecar reads (the client's address and TLS come from the job's own environment). */
export function adaptSidecarEnvironment(range: { readonly min: number; readonly max: number }): Record<string, string> {
  return { DFA_ADAPT_PY: ADAPT_SIDECAR_PY, DFA_ADAPT_MIN: String(range.min), DFA_ADAPT_MAX: String(range.max) };
}
