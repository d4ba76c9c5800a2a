import { HUBSPOT_OBJECT_ACTIONS } from './hubspot-object-commands.js';
import { type CommandHandler, CommandRegistry } from './registry.js';
import { SANDBOX_OPTIONS } from './sandbox-options.js';

/**
 * A handler that loads its module on first use: a command loads its own vendor package, not the
 * other vendors' nor the sandbox's simulators (start-up time and memory).
 */
function lazy<M>(load: () => Promise<M>, pick: (module: M) => CommandHandler): CommandHandler {
  return async (context) => pick(await load())(context);
}

/**
 * The command registry of the `bulk-clients` program: the command table with every built-in
 * command attached. Each call returns a new registry (no module-level state).
 */
export function createCommandRegistry(): CommandRegistry {
  const registry = new CommandRegistry();
  for (const action of HUBSPOT_OBJECT_ACTIONS) {
    registry.register(
      `hubspot ${action}`,
      lazy(
        () => import('./hubspot-objects.js'),
        (m) => m.HUBSPOT_OBJECT_HANDLERS[action],
      ),
    );
  }
  return registry
    .register(
      'hubspot tickets-update',
      lazy(
        () => import('./hubspot-tickets-update.js'),
        (m) => m.hubspotTicketsUpdate,
      ),
    )
    .register(
      'thought-industries templates-update',
      lazy(
        () => import('./thought-industries-templates-update.js'),
        (m) => m.thoughtIndustriesTemplatesUpdate,
      ),
    )
    .register(
      'thought-industries webinar-import',
      lazy(
        () => import('./thought-industries-webinar-import.js'),
        (m) => m.thoughtIndustriesWebinarImport,
      ),
    )
    .register(
      'vec vault-create',
      lazy(
        () => import('./vec-vault-create.js'),
        (m) => m.vecVaultCreate,
      ),
    )
    .register(
      'mpdx preferences-create',
      lazy(
        () => import('./mpdx-preferences-create.js'),
        (m) => m.mpdxPreferencesCreate,
      ),
    )
    .register(
      'worker',
      // A worker runs the vendor commands of this registry on queued chunks.
      lazy(
        () => import('./worker.js'),
        (m) => (context) => m.worker(context, registry),
      ),
    )
    .register(
      'runs status',
      lazy(
        () => import('./runs-status.js'),
        (m) => m.runsStatus,
      ),
    )
    .register(
      'runs list',
      lazy(
        () => import('./runs-list.js'),
        (m) => m.runsList,
      ),
    )
    .register(
      'sandbox',
      lazy(
        () => import('./sandbox.js'),
        (m) => m.sandbox,
      ),
      SANDBOX_OPTIONS,
    );
}
