import { auditBalances, auditPositions } from '$lib/audit/api.ts';
import { readAsOf } from '$lib/audit/query.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  await parent();
  const q = readAsOf(url.searchParams);
  if (!q.apiQuery) return { query: q, positions: null, balances: null, loadError: null };
  const [positions, balances] = await Promise.all([auditPositions(q.apiQuery, fetch), auditBalances(q.apiQuery, fetch)]);
  const failed = !positions.ok ? positions.error : !balances.ok ? balances.error : null;
  return {
    query: q,
    positions: positions.ok ? positions.value : null,
    balances: balances.ok ? balances.value : null,
    loadError: failed?.message ?? null,
  };
};
