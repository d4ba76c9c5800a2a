/** `GET /business/batches/{batchId}/status`: a batch's progress, counted over its certificates. */
import type { SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import { notFound } from './errors.js';
import { presentBatch } from './present.js';
import type { VecState } from './state.js';

export function getBatchStatus(state: VecState, ctx: SimulatorContext) {
  return (request: SandboxRequest): SandboxResponse => {
    const batchId = request.params.batchId?.toLowerCase();
    const batch = batchId === undefined ? undefined : state.batches.get(batchId);
    if (!batch) return notFound('Batch not found');
    return { status: 200, body: presentBatch(state, batch, ctx.now()) };
  };
}
