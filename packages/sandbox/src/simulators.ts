/**
 * The simulators `startSandbox` runs by default, one per vendor API. Each vendor folder exports
 * its factory from `src/<vendor>/index.ts`.
 */
import type { SimulatorFactory } from './types.js';

/** Every vendor simulator, in the order their routes are matched. */
export const defaultSimulators: readonly SimulatorFactory[] = [];
