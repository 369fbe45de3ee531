export type { EmulatorControls } from "./admin.js";
export { giveDefaultVpcInternet } from "./default-vpc.js";
export { EMULATOR_LABEL, NETWORK_PREFIX, removeLabelled, removeStale } from "./docker-cleanup.js";
export {
  CLIENT_TOKEN_MAX,
  DESCRIBE_TASKS_MAX,
  RUN_TASK_MAX_COUNT,
  STARTED_BY_MAX,
  STOP_TIMEOUT_DEFAULT_S,
  STOP_TIMEOUT_MAX_S,
} from "./ecs-rules.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./emulator.js";
export type { FaultRule, FaultUse } from "./faults.js";
export { EARLY_SECRETS_TIMING, FAST_TIMING, REALISTIC_TIMING, TIMING_PRESETS, type Timing, type TimingPreset } from "./lifecycle.js";
export { FARGATE_QUOTA_DEFAULTS } from "./service-quotas.js";
export { CHAIN_PREFIX as SECURITY_GROUP_CHAIN_PREFIX, removeChain } from "./sg-firewall.js";
export { ECS_BUCKETS, FARGATE_LAUNCH_BUCKET } from "./token-bucket.js";
