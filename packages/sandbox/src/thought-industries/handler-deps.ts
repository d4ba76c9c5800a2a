import type { SandboxResponse, SimulatorContext } from '../types.js';
import type { JobQueue } from './background-jobs.js';
import type { ThoughtIndustriesStore } from './state.js';

/** What every route handler of the simulator works with. */
export interface HandlerDeps {
  ctx: SimulatorContext;
  store: ThoughtIndustriesStore;
  jobs: JobQueue;
  /** A 400 in the vendor's shape, for a body the handler cannot read. */
  invalidBody: (message: string) => SandboxResponse;
  /** A 422 in the vendor's shape, for a request that names something that does not exist. */
  unprocessable: (error: string, message: string) => SandboxResponse;
}
