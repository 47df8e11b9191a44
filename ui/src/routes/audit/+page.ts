import { auditEvents } from '$lib/audit/api.ts';
import { eventsApiPath, pageOfEvents, readEventFilters } from '$lib/audit/query.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  await parent();
  const { filters, errors } = readEventFilters(url.searchParams);
  const res = await auditEvents(eventsApiPath(filters, errors), fetch);
  const page = res.ok
    ? pageOfEvents(res.value.events, res.value.next !== null, errors.after ? { ...filters, after: null, skip: 0 } : filters)
    : null;
  return {
    filters,
    errors,
    events: page?.events ?? [],
    next: page?.next ?? null,
    loadError: res.ok ? null : res.error.message,
  };
};
