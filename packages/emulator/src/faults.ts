import type { Rng } from "./rng.js";

/**
 * A fault to inject on chosen operations (AWS produces these; moto does not):
 * - `error`: an HTTP error answer (`status`, default 500) with an AWS body, no body, or an HTML page;
 * - `throttle`: `ThrottlingException` (HTTP 400) whatever the buckets say;
 * - `slow`: the answer comes `delayMs` later;
 * - `drop`: the connection is closed without an answer;
 * - `capacity`: RunTask succeeds but lists `count` tasks (default all) in `failures[]` as "Capacity is unavailable".
 */
export interface FaultRule {
  /** The operation of a call through the emulator, e.g. "RunTask", "DescribeTasks", "GetLogEvents", "DescribeNetworkInterfaces", or "*" for all. */
  readonly operation: string;
  readonly kind: "error" | "throttle" | "slow" | "drop" | "capacity";
  readonly status?: number;
  readonly body?: "aws" | "empty" | "html";
  readonly delayMs?: number;
  /** Capacity faults: how many tasks of the call fail. */
  readonly count?: number;
  /** How many matching calls it applies to; unlimited when absent. */
  readonly times?: number;
  /** The chance it applies to a matching call (seeded, so runs repeat); 1 when absent. */
  readonly probability?: number;
}

const KINDS = new Set(["error", "throttle", "slow", "drop", "capacity"]);

/** Checks a rule from the admin API or options; the message says what is wrong. */
export function parseFaultRule(value: unknown): FaultRule {
  const rule = value as Partial<FaultRule> | null;
  if (!rule || typeof rule !== "object")
    throw new Error('a fault must be an object like {"operation":"RunTask","kind":"throttle","times":2}');
  if (typeof rule.operation !== "string" || rule.operation === "")
    throw new Error('a fault needs "operation" (e.g. "RunTask" or "*")');
  if (typeof rule.kind !== "string" || !KINDS.has(rule.kind))
    throw new Error(`a fault's "kind" must be one of ${[...KINDS].join(", ")}; got ${String(rule.kind)}`);
  for (const key of ["status", "delayMs", "count", "times", "probability"] as const) {
    if (rule[key] !== undefined && (typeof rule[key] !== "number" || rule[key] < 0))
      throw new Error(`a fault's "${key}" must be a non-negative number`);
  }
  if (rule.body !== undefined && !["aws", "empty", "html"].includes(rule.body))
    throw new Error('a fault\'s "body" must be "aws", "empty" or "html"');
  return rule as FaultRule;
}

/** How often a rule was used, by id: kept after the rule is used up or cleared, so a test can prove its fault hit. */
export interface FaultUse {
  readonly id: string;
  readonly rule: FaultRule;
  readonly used: number;
}

/** The active fault rules, and the record of every rule added since the last {@link Faults.forget}. */
export class Faults {
  private readonly rules = new Map<string, { rule: FaultRule; left: number }>();
  private readonly record = new Map<string, { rule: FaultRule; used: number }>();
  private nextId = 1;

  constructor(private readonly rng: Rng) {}

  add(rule: FaultRule): string {
    const id = `f${this.nextId++}`;
    this.rules.set(id, { rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    this.record.set(id, { rule, used: 0 });
    return id;
  }

  remove(id: string): boolean {
    return this.rules.delete(id);
  }

  clear(): void {
    this.rules.clear();
  }

  /** Every rule added since the last {@link forget} (active, used up or removed) and how many calls it hit. */
  uses(): FaultUse[] {
    return [...this.record].map(([id, { rule, used }]) => ({ id, rule, used }));
  }

  /** Clears the rules and their record (the emulator's reset). */
  forget(): void {
    this.rules.clear();
    this.record.clear();
  }

  list(): { id: string; rule: FaultRule; left: number | null }[] {
    return [...this.rules].map(([id, { rule, left }]) => ({ id, rule, left: Number.isFinite(left) ? left : null }));
  }

  /** The rules of these kinds that apply to this call, each counted as used once. */
  take(operation: string, kinds: readonly FaultRule["kind"][]): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const [id, entry] of this.rules) {
      const { rule } = entry;
      if (!kinds.includes(rule.kind) || (rule.operation !== "*" && rule.operation !== operation)) continue;
      if (rule.probability !== undefined && this.rng() >= rule.probability) continue;
      hits.push(rule);
      const used = this.record.get(id);
      if (used) used.used++;
      entry.left--;
      if (entry.left <= 0) this.rules.delete(id);
    }
    return hits;
  }
}
