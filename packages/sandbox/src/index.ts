export type { SandboxClock } from './context.js';
export { systemClock } from './context.js';
export type {
  ErrorFault,
  FaultCounters,
  FaultScope,
  FaultSettings,
  FaultStatus,
  Faults,
  JobFault,
  LatencyFault,
  MalformedBodyFault,
  RateLimitedCounters,
  RateLimitFault,
} from './faults.js';
export {
  createHubSpotSimulator,
  HUBSPOT_RATE_LIMIT_POLICY,
  type HubSpotState,
} from './hubspot/index.js';
export { createMpdxSimulator, MPDX_RATE_LIMIT_POLICY, type MpdxState } from './mpdx/index.js';
export type { Seed } from './random.js';
export type { ResponseValidationMode, ResponseViolation } from './server.js';
export { defaultSimulators } from './simulators.js';
export { loadSpec, SpecLoadError, type SpecOperation, VendorSpec } from './spec-validator.js';
export {
  defaultSandboxOptions,
  type Sandbox,
  type SandboxOptions,
  type SandboxState,
  startSandbox,
} from './start-sandbox.js';
export {
  createThoughtIndustriesSimulator,
  THOUGHT_INDUSTRIES_RATE_LIMIT_POLICY,
  type ThoughtIndustriesState,
} from './thought-industries/index.js';
export type * from './types.js';
export { createVecSimulator, VEC_RATE_LIMIT_POLICY, type VecState } from './vec/index.js';
