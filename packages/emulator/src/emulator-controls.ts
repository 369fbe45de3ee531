import type { Subnet } from "@aws-sdk/client-ec2";
import type { EmulatorControls } from "./admin.js";
import type { TaskExecutor } from "./executor.js";
import type { Faults } from "./faults.js";
import type { Lifecycle, Timing } from "./lifecycle.js";
import type { RequestBuckets } from "./request-buckets.js";
import type { FargateQuotas } from "./service-quotas.js";
import { taskJson } from "./task-record.js";
import type { TaskStore } from "./task-store.js";

/** The running emulator's parts that its controls (the admin API and the returned handle) read and change. */
export interface ControlledParts {
  readonly identity: {
    readonly instanceId: string;
    readonly exec: "docker" | "none";
    readonly endpoint: string;
    readonly motoEndpoint: string;
  };
  readonly timing: Timing;
  readonly buckets: RequestBuckets;
  readonly faults: Faults;
  readonly executor: TaskExecutor;
  readonly store: TaskStore;
  readonly lifecycle: Lifecycle;
  readonly quotas: FargateQuotas;
  readonly subnets: Map<string, Subnet>;
  /** Puts moto's account back to a fresh one (the default VPC's route and group rule). */
  readonly arrangeMoto: () => Promise<void>;
}

/** Stops and forgets every task (a moto reset, or the admin reset). */
export async function resetTasks(parts: Pick<ControlledParts, "lifecycle" | "store" | "subnets">): Promise<void> {
  await parts.lifecycle.dispose();
  parts.store.clear();
  parts.subnets.clear();
}

/** The admin API's operations over the running emulator: its state, reset, faults, task kills, timing, throttling, quotas. */
export function emulatorControls(parts: ControlledParts): EmulatorControls {
  const { timing, buckets, faults, executor, store, lifecycle, quotas } = parts;
  const findTask = (ref: string) => {
    const task = store.all().find((t) => t.taskArn === ref || t.taskId === ref);
    if (!task) throw new Error(`no task ${ref}`);
    return task;
  };
  return {
    state: () => ({
      ...parts.identity,
      timing,
      throttling: buckets.enabled,
      buckets: buckets.snapshot(),
      faults: faults.list(),
      executor: executor.describe(),
      tasks: store.all().map((t) => ({
        ...taskJson(t, true),
        stopCode: t.stopCode,
        containers: t.containers.map((c) => ({
          name: c.name,
          image: c.definition.image,
          runtimeId: c.runtimeId,
          lastStatus: c.lastStatus,
          exitCode: c.exitCode,
        })),
      })),
    }),
    reset: async () => {
      await resetTasks(parts);
      faults.forget();
      buckets.refill();
      quotas.reset();
      await fetch(`${parts.identity.motoEndpoint}/moto-api/reset`, { method: "POST" });
      await parts.arrangeMoto();
    },
    quotas: (values) => (values ? quotas.set(values) : quotas.values()),
    addFault: (rule) => faults.add(rule),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    listFaults: () => faults.list(),
    faultUses: () => faults.uses(),
    interruptSpot: (ref) => lifecycle.interruptSpot(findTask(ref)),
    killTask: async (ref, exitCode) => {
      const task = findTask(ref);
      if (executor.kind === "docker") await executor.signal(task, "SIGKILL");
      else {
        const essential = task.containers.find((c) => c.essential);
        if (essential) lifecycle.containerExited(task, essential.name, { exitCode: exitCode ?? 137 });
      }
    },
    setTiming: (partial) => Object.assign(timing, partial),
    setThrottling: (enabled) => {
      buckets.enabled = enabled;
    },
  };
}
