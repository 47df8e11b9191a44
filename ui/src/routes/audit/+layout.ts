import { SchemaListing, SymbolList } from '@blotter/schemas';
import { error } from '@sveltejs/kit';
import { request } from '$lib/api.ts';
import { auditUsers } from '$lib/audit/api.ts';
import type { LayoutLoad } from './$types';

// Loaded once for the whole audit area (it does not depend on the URL), through the proxy: the
// users (for pickers and to show emails), the event types (from the schema catalog) and the
// markets (to format prices).
export const load: LayoutLoad = async ({ fetch }) => {
  const [users, catalog, symbols] = await Promise.all([
    auditUsers(fetch),
    request('/api/schemas', SchemaListing, { fetch }),
    request('/api/market/symbols', SymbolList, { fetch }),
  ]);
  if (!users.ok) {
    if (users.error.status === 403) {
      error(403, {
        message:
          'Your account has the auditor role, but this session started before it was granted and the gateway checks the roles of the session: log out and log in again.',
        code: 'FORBIDDEN',
      });
    }
    error(users.error.status ?? 503, { message: users.error.message, code: users.error.code });
  }
  return {
    users: users.value.users,
    eventTypes: catalog.ok ? catalog.value.filter((s) => s.kind === 'event').map((s) => s.name) : [],
    symbols: symbols.ok ? symbols.value : [],
  };
};
