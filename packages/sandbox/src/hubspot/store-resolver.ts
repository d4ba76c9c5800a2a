/**
 * Which object type's store a request addresses: the fixed `tickets` store on the ticket paths,
 * or the one named by `{objectType}` on the generic paths. A name the simulator does not know is
 * refused with HubSpot's 400.
 */
import type { SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import { findObjectType, OBJECT_TYPES } from './object-types.js';
import { errorResponse } from './responses.js';
import { type HubSpotState, type ObjectStore, storeOf } from './state.js';

/** The store a request addresses, or the answer refusing the request. */
export type StoreResolver = (request: SandboxRequest) => ObjectStore | SandboxResponse;

export function isStore(value: ObjectStore | SandboxResponse): value is ObjectStore {
  return 'records' in value;
}

/** Always the store of `typeName` (the ticket paths). */
export function fixedStore(state: HubSpotState, typeName: string): StoreResolver {
  const store = storeOf(state, typeName);
  return () => store;
}

/** The store of the type named by the `objectType` path parameter. */
export function storeFromPath(ctx: SimulatorContext, state: HubSpotState): StoreResolver {
  return (request) => {
    const named = request.params.objectType ?? '';
    const type = findObjectType(OBJECT_TYPES, named);
    const store = type && state.objects.get(type.name);
    return store ?? errorResponse(ctx, 400, `Unable to infer object type from: ${named}`);
  };
}
