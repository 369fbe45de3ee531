import { giveDefaultGroupSelfRule, giveDefaultVpcInternet } from "./default-vpc.js";
import type { motoClientFactory } from "./moto-clients.js";

/**
 * What the emulator arranges in moto's account after a start and after every reset, so that it looks like a fresh
 * AWS account: the default VPC routes to an internet gateway and the default security group lets its members in.
 * A failure is logged, not thrown: the emulator still serves without it.
 */
export function motoArrangement(
  clients: ReturnType<typeof motoClientFactory>,
  region: string,
  log: (message: string) => void,
): () => Promise<void> {
  return async () => {
    await giveDefaultVpcInternet(clients(region).ec2).catch((error: unknown) =>
      log(`could not give the default VPC its internet route: ${String(error)}`),
    );
    await giveDefaultGroupSelfRule(clients(region).ec2).catch((error: unknown) =>
      log(`could not give the default security group its inbound rule: ${String(error)}`),
    );
  };
}
