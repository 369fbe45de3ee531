import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { clusterSetup } from "./cluster-setup.js";
import type { Command } from "./command.js";

/**
 * `plan`: validate everything, print the requests a start would send, and run the start's preflight (Fargate:
 * image and architecture, subnets and their routes or endpoints, vCPU quotas; read-only calls). Nothing is
 * created. Exits 1 when preflight would refuse the start.
 */
export const plan: Command = async ({ flags, print, logger, signal }) => {
  const setup = clusterSetup(flags);
  const requests = setup.backend.plan(setup.spec);
  const preflight = await setup.backend.preflight(setup.spec, { logger, signal }).catch((error: unknown) => {
    // A plan is still worth printing when the account cannot be read from here (no credentials, no default VPC).
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(`preflight could not run: ${message}`);
    return { error: message };
  });
  print(jsonForTerminal({ backend: setup.backendName, spec: setup.spec, hourlyCost: setup.hourlyCost, plan: requests, preflight }));
  const refused = preflight && "refused" in preflight ? preflight.refused : [];
  for (const f of refused) logger.warn(`preflight would refuse the start: ${f.check}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ""}`);
  return refused.length > 0 ? 1 : 0;
};
