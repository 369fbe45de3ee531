import type { Subnet } from "@aws-sdk/client-ec2";
import type { LifecycleDeps } from "./lifecycle.js";
import { awslogsTarget, type LogsForwarder } from "./logs-forwarder.js";
import type { MotoClients } from "./moto-clients.js";
import { hex, type Rng } from "./rng.js";
import { resolveSecrets } from "./secrets-resolver.js";

/**
 * How a task's start reaches the rest of the emulator: its network interface (from the subnet RunTask named), its
 * secrets (from moto's Secrets Manager and SSM) and its log streams (created before its containers).
 */
export function lifecycleHooks(parts: {
  readonly rng: Rng;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly clients: (region: string) => MotoClients;
  readonly logs: LogsForwarder;
}): Pick<LifecycleDeps, "eni" | "resolveSecrets" | "prepare"> {
  const { rng, subnets, clients, logs } = parts;
  return {
    eni: (task) => ({
      cidr: subnets.get(task.attachment.subnetId)?.CidrBlock ?? "172.31.0.0/20",
      eniId: `eni-${hex(rng, 17)}`,
      mac: `02:${Array.from({ length: 5 }, () => hex(rng, 2)).join(":")}`,
    }),
    resolveSecrets: async (task) => {
      const env = new Map<string, Record<string, string>>();
      for (const c of task.containers)
        env.set(c.name, await resolveSecrets(c.definition.secrets ?? [], task.region, clients));
      return env;
    },
    prepare: async (task) => {
      for (const c of task.containers) {
        const target = awslogsTarget(task, c);
        if (target) await logs.prepare(target);
      }
    },
  };
}
