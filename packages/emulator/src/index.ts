/**
 * @packageDocumentation
 * The Fargate emulator's public API: start it (`startEmulator`, its options and handle, the admin controls), fault
 * rules, timing presets, and what tests and benchmarks use to find and remove what an emulator left on the engine.
 * The package's own tests import the other modules directly.
 */
export type { EmulatorControls } from "./admin.js";
export { giveDefaultVpcInternet } from "./default-vpc.js";
export { EMULATOR_LABEL, removeLabelled, removeStale } from "./docker-cleanup.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./emulator.js";
export type { FaultRule, FaultUse } from "./faults.js";
export { TIMING_PRESETS, type Timing, type TimingPreset } from "./lifecycle.js";
export { CHAIN_PREFIX as SECURITY_GROUP_CHAIN_PREFIX } from "./sg-firewall.js";
export { FARGATE_LAUNCH_BUCKET } from "./token-bucket.js";
