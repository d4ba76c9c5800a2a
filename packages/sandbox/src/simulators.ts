/**
 * The simulators `startSandbox` runs by default, one per vendor API. Each vendor folder exports
 * its factory from `src/<vendor>/index.ts`.
 */
import { createHubSpotSimulator } from './hubspot/index.js';
import { createMpdxSimulator } from './mpdx/index.js';
import { createThoughtIndustriesSimulator } from './thought-industries/index.js';
import type { SimulatorFactory } from './types.js';
import { createVecSimulator } from './vec/index.js';

/** Every vendor simulator, in the order their routes are matched. */
export const defaultSimulators = [
  createHubSpotSimulator,
  createThoughtIndustriesSimulator,
  createVecSimulator,
  createMpdxSimulator,
] as const satisfies readonly SimulatorFactory[];
