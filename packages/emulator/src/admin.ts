import { type FaultRule, type FaultUse, parseFaultRule } from "./faults.js";
import type { Timing } from "./lifecycle.js";

/** What the admin endpoint (and the programmatic API) can do to a running emulator. */
export interface EmulatorControls {
  state(): Record<string, unknown>;
  reset(): Promise<void>;
  addFault(rule: FaultRule): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  listFaults(): unknown;
  /** Every rule added since the last reset, cleared and used-up ones too, with how many calls it hit. */
  faultUses(): FaultUse[];
  /** Interrupts a FARGATE_SPOT task (ARN or id): SIGTERM now, stopped after the warning. */
  interruptSpot(task: string): void;
  /** Ends a task's essential container as if its process died: SIGKILL (docker) or the given exit code (none). */
  killTask(task: string, exitCode?: number): Promise<void>;
  setTiming(timing: Partial<Timing>): Timing;
  setThrottling(enabled: boolean): void;
  /** Sets applied Fargate vCPU quotas (`{"L-3032A538": 6}`) and returns all; without values only returns them. */
  quotas(values?: Readonly<Record<string, unknown>>): Record<string, number>;
}

type Answer = { status: number; json: unknown };

/**
 * `/_emulator/...` (JSON):
 * - `GET state`, `POST reset`, `GET health`
 * - `GET faults`, `POST faults` (a rule or a list), `DELETE faults`, `DELETE faults/ID`
 * - `GET faults/uses`: every rule added since the last reset and how many calls it hit (used-up and cleared ones too)
 * - `POST spot-interruption` `{"task": ARN}`; `POST kill` `{"task": ARN, "exitCode": 137}`
 * - `POST timing` (any of the Timing fields); `POST throttling` `{"enabled": false}`
 * - `GET quotas`, `POST quotas` `{"L-3032A538": 6}` (Fargate vCPU quotas as Service Quotas answers them)
 */
export function adminHandler(
  controls: EmulatorControls,
): (method: string, path: string, body: unknown) => Promise<Answer> {
  return async (method, path, body) => {
    const route = `${method} ${path.replace(/^\/_emulator\//, "").replace(/\/$/, "")}`;
    const input = (body ?? {}) as Record<string, unknown>;
    try {
      switch (route) {
        case "GET health":
          return { status: 200, json: { ok: true } };
        case "GET state":
          return { status: 200, json: controls.state() };
        case "POST reset":
          await controls.reset();
          return { status: 200, json: { reset: true } };
        case "GET faults":
          return { status: 200, json: { faults: controls.listFaults() } };
        case "GET faults/uses":
          return { status: 200, json: { uses: controls.faultUses() } };
        case "POST faults": {
          const rules = (Array.isArray(body) ? body : [body]).map(parseFaultRule);
          return { status: 200, json: { ids: rules.map((r) => controls.addFault(r)) } };
        }
        case "DELETE faults":
          controls.clearFaults();
          return { status: 200, json: { cleared: true } };
        case "POST spot-interruption":
          controls.interruptSpot(String(input["task"] ?? ""));
          return { status: 200, json: { interrupted: input["task"] } };
        case "POST kill":
          await controls.killTask(
            String(input["task"] ?? ""),
            typeof input["exitCode"] === "number" ? input["exitCode"] : undefined,
          );
          return { status: 200, json: { killed: input["task"] } };
        case "POST timing":
          return { status: 200, json: { timing: controls.setTiming(input as Partial<Timing>) } };
        case "POST throttling":
          controls.setThrottling(input["enabled"] !== false);
          return { status: 200, json: { throttling: input["enabled"] !== false } };
        case "GET quotas":
          return { status: 200, json: { quotas: controls.quotas() } };
        case "POST quotas":
          return { status: 200, json: { quotas: controls.quotas(input) } };
        default: {
          const fault = /^DELETE faults\/(.+)$/.exec(route);
          if (fault?.[1]) return { status: controls.removeFault(fault[1]) ? 200 : 404, json: { removed: fault[1] } };
          return { status: 404, json: { error: `no admin route ${route}; see the emulator's README` } };
        }
      }
    } catch (error) {
      return { status: 400, json: { error: error instanceof Error ? error.message : String(error) } };
    }
  };
}
