import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { planSummary } from "../plan-summary.js";
import { clusterSetup } from "./cluster-setup.js";
import type { Command } from "./command.js";

/** `plan`'s exit code when the preflight could not run at all (no credentials, endpoint gone): nothing was checked. */
export const PREFLIGHT_DID_NOT_RUN = 3;

/**
 * `plan`: validate everything, run the start's preflight (Fargate: image and architecture, subnets and their
 * routes or endpoints, vCPU quotas; read-only calls) and print a summary a person reads; the requests a start
 * would send only with `--json` (one document) or `--verbose` (after the summary). Nothing is created. Exits 1
 * when preflight would refuse the start, 3 when it could not run.
 */
export const plan: Command = async ({ flags, print, logger, signal }) => {
  const setup = clusterSetup(flags);
  const requests = setup.backend.plan(setup.spec, setup.backendSpec);
  const preflight = await setup.backend
    .preflight(setup.spec, { logger, signal, backendSpec: setup.backendSpec })
    .catch(async (error: unknown) => {
      // The plan is still worth printing when the account cannot be read from here; the exit code says nothing was checked.
      const { explainError } = await import("@dask-fargate-action/core/explain");
      return { error: explainError(error) ?? (error instanceof Error ? error.message : String(error)) };
    });
  const document = {
    backend: setup.backendName,
    spec: setup.spec,
    hourlyCost: setup.hourlyCost,
    plan: requests,
    preflight,
  };
  if (flags.json) {
    print(jsonForTerminal(document));
    if (preflight && "error" in preflight) logger.warn(`preflight could not run: ${preflight.error}`);
    for (const f of preflight && "refused" in preflight ? preflight.refused : [])
      logger.warn(`preflight would refuse the start: ${f.check}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ""}`);
  } else {
    print(planSummary({ spec: setup.spec, plan: requests, hourlyCost: setup.hourlyCost, preflight }));
    if (flags.verbose) print(`\nrequests:\n${jsonForTerminal(requests)}`);
  }
  if (preflight && "error" in preflight) return PREFLIGHT_DID_NOT_RUN;
  return preflight && preflight.refused.length > 0 ? 1 : 0;
};
