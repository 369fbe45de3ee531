import { execFile } from "node:child_process";
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import { chainRules, ingressOf, type Member } from "./security-group-rules.js";

/** Chains of emulators are named with this prefix and the instance id (≤ 28 characters, iptables' limit). */
export const CHAIN_PREFIX = "DFA-EMU-";

/** Runs `iptables` (or `iptables-restore` with `input` on stdin); rejects with its stderr. */
export type IptablesRunner = (
  command: "iptables" | "iptables-restore",
  args: readonly string[],
  input?: string,
) => Promise<string>;

export const runIptables: IptablesRunner = (command, args, input) =>
  new Promise((resolve, reject) => {
    // -w: wait for the xtables lock; other programs (Docker, other emulators) change the tables too.
    const child = execFile(command, ["-w", "5", ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(" ")}: ${stderr.trim() || error.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });

/** A task's ENI with the region its groups live in. */
export interface FirewallMember extends Member {
  readonly region: string;
  readonly vpcId: string;
}

/** Options of {@link SecurityGroupFirewall}. */
export interface FirewallOptions {
  readonly instanceId: string;
  /** The task network's subnet and the host's address on it. */
  readonly subnet: string;
  readonly gateway: string;
  /** The task ENIs that exist now. */
  readonly members: () => readonly FirewallMember[];
  /** Reads groups from moto: by ids, or the VPC's `default` group (ECS uses it when a task names none). */
  readonly readGroups: (
    region: string,
    query: { ids: readonly string[] } | { defaultOf: string },
  ) => Promise<SecurityGroup[]>;
  readonly iptables?: IptablesRunner;
  /** How often rules are read again while tasks exist, so Authorize/RevokeSecurityGroupIngress apply (default 1 s). */
  readonly pollMs?: number;
  readonly warn?: (message: string) => void;
}

/**
 * Enforces the tasks' security groups on the task network (rules in `security-group-rules.ts`). One chain per
 * emulator, `DFA-EMU-<instance id>`, entered only for packets to the emulator's own subnet: from DOCKER-USER
 * (FORWARD: container to container, Docker's documented place for a user's rules) and from OUTPUT (this machine
 * to a container, which never passes FORWARD). Other networks on the engine are never matched. The rules are
 * written again when a task gets its address or is released, and read again every `pollMs` while tasks exist
 * (AWS applies rule changes to the group's ENIs without a restart: VPC user guide, "Security group rules").
 */
export class SecurityGroupFirewall {
  readonly chain: string;
  private readonly iptables: IptablesRunner;
  private applied = "";
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: FirewallOptions) {
    this.chain = `${CHAIN_PREFIX}${options.instanceId}`;
    this.iptables = options.iptables ?? runIptables;
  }

  /** Makes the chain (dropping every new connection until tasks exist) and the two jumps to it. */
  async install(): Promise<void> {
    await this.write([]);
    const hook = (await this.hasChain("DOCKER-USER")) ? "DOCKER-USER" : "FORWARD";
    await this.iptables("iptables", ["-I", hook, "1", "-d", this.options.subnet, "-j", this.chain]);
    await this.iptables("iptables", ["-I", "OUTPUT", "1", "-d", this.options.subnet, "-j", this.chain]);
    this.timer = setInterval(() => {
      if (this.options.members().length > 0)
        this.refresh().catch((error: unknown) => this.options.warn?.(`security groups: ${String(error)}`));
    }, this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Reads the members' groups from moto and rewrites the chain if its rules changed. Calls run one at a time. */
  refresh(): Promise<void> {
    const next = this.queue.then(() => this.recompute());
    this.queue = next.catch(() => {});
    return next;
  }

  private async recompute(): Promise<void> {
    if (this.closed) return;
    const members = this.options.members();
    const groups: SecurityGroup[] = [];
    const regions = new Set(members.map((m) => m.region));
    const resolved: Member[] = [];
    for (const region of regions) {
      const inRegion = members.filter((m) => m.region === region);
      const ids = [...new Set(inRegion.flatMap((m) => m.groups))];
      if (ids.length > 0) groups.push(...(await this.options.readGroups(region, { ids })));
      for (const m of inRegion) {
        if (m.groups.length > 0) {
          resolved.push(m);
          continue;
        }
        // AwsVpcConfiguration: "If you don't specify a security group, the default security group for the VPC is used."
        const defaults = await this.options.readGroups(region, { defaultOf: m.vpcId });
        groups.push(...defaults);
        resolved.push({ ip: m.ip, groups: defaults.map((g) => g.GroupId ?? "") });
      }
    }
    await this.write(chainRules(this.chain, this.options.gateway, resolved, ingressOf(groups)));
  }

  private async write(rules: readonly string[]): Promise<void> {
    const lines = rules.length > 0 ? rules : chainRules(this.chain, this.options.gateway, [], new Map());
    const text = `*filter\n:${this.chain} - [0:0]\n${lines.join("\n")}\nCOMMIT\n`;
    if (text === this.applied || this.closed) return;
    // `:CHAIN` flushes and refills it in one commit: no moment without rules.
    await this.iptables("iptables-restore", ["--noflush"], text);
    this.applied = text;
  }

  private async hasChain(name: string): Promise<boolean> {
    return this.iptables("iptables", ["-S", name]).then(
      () => true,
      () => false,
    );
  }

  /** The rules in force, as `iptables -S` lists them (tests read them). */
  rules(): Promise<string> {
    return this.iptables("iptables", ["-S", this.chain]);
  }

  /** Removes the jumps and the chain. Safe to call twice. */
  async remove(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.queue;
    await removeChain(this.options.instanceId, this.iptables);
  }
}

/**
 * Removes an emulator's chain and every jump to it (FORWARD, DOCKER-USER, OUTPUT), also after the emulator died;
 * nothing to do when it has none. Used by `stop()` and the Docker cleanup.
 */
export async function removeChain(instanceId: string, iptables: IptablesRunner = runIptables): Promise<void> {
  const chain = `${CHAIN_PREFIX}${instanceId}`;
  const listing = await iptables("iptables", ["-S"]).catch(() => "");
  if (!listing.split("\n").some((l) => l.trim() === `-N ${chain}`)) return;
  for (const line of listing.split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words[0] === "-A" && words.at(-1) === chain && words.at(-2) === "-j")
      await iptables("iptables", ["-D", ...words.slice(1)]).catch(() => {});
  }
  await iptables("iptables", ["-F", chain]);
  await iptables("iptables", ["-X", chain]);
}

/** The instance ids that have a chain on this machine (for the stale cleanup). */
export async function chainOwners(iptables: IptablesRunner = runIptables): Promise<string[]> {
  const listing = await iptables("iptables", ["-S"]).catch(() => "");
  return listing
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith(`-N ${CHAIN_PREFIX}`))
    .map((l) => l.slice(`-N ${CHAIN_PREFIX}`.length));
}
