/** IPv4 helpers for address allocation. */

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** The first address and the size of a CIDR block. */
export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip = "", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return { base: Math.floor(ipToInt(ip) / size) * size, size };
}

/**
 * Hands out addresses of a block, skipping the first `reserved` and the last one (a VPC subnet reserves its
 * first four and last address; a Docker bridge its network address and gateway). Freed addresses are reused last.
 */
export class AddressPool {
  private readonly base: number;
  private readonly size: number;
  private next: number;
  private readonly free: number[] = [];
  private readonly used = new Set<number>();

  constructor(
    cidr: string,
    private readonly reserved: number,
  ) {
    ({ base: this.base, size: this.size } = parseCidr(cidr));
    this.next = reserved;
  }

  take(): string {
    let offset: number | undefined;
    if (this.next < this.size - 1) offset = this.next++;
    else offset = this.free.shift();
    if (offset === undefined) throw new Error(`no free address left in the block of ${this.size - this.reserved - 1}`);
    this.used.add(offset);
    return intToIp(this.base + offset);
  }

  release(ip: string): void {
    const offset = ipToInt(ip) - this.base;
    if (this.used.delete(offset)) this.free.push(offset);
  }
}
