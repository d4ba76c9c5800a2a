import { hubspotTicketsUpdate } from './hubspot-tickets-update.js';
import { mpdxPreferencesCreate } from './mpdx-preferences-create.js';
import { CommandRegistry } from './registry.js';
import { SANDBOX_OPTIONS, sandbox } from './sandbox.js';
import { thoughtIndustriesTemplatesUpdate } from './thought-industries-templates-update.js';
import { thoughtIndustriesWebinarImport } from './thought-industries-webinar-import.js';
import { vecVaultCreate } from './vec-vault-create.js';

/**
 * The command registry of the `bulk-clients` program: the command table with every built-in
 * command attached. Each call returns a new registry (no module-level state).
 */
export function createCommandRegistry(): CommandRegistry {
  return new CommandRegistry()
    .register('hubspot tickets-update', hubspotTicketsUpdate)
    .register('thought-industries templates-update', thoughtIndustriesTemplatesUpdate)
    .register('thought-industries webinar-import', thoughtIndustriesWebinarImport)
    .register('vec vault-create', vecVaultCreate)
    .register('mpdx preferences-create', mpdxPreferencesCreate)
    .register('sandbox', sandbox, SANDBOX_OPTIONS);
}
