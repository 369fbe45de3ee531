import { clusterContext } from "./cluster-context.js";
import type { Command } from "./context.js";

/** `plan`: validate everything and print the requests a start would send (a dry run; nothing is created). */
export const plan: Command = async ({ flags, print }) => {
  const context = clusterContext(flags);
  const requests = context.backend.plan(context.spec);
  print(JSON.stringify({ backend: context.backendName, spec: context.spec, hourlyCost: context.hourlyCost, plan: requests }, null, 2));
  return 0;
};
