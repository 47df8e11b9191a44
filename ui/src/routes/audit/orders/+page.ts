import { auditOrders } from '$lib/audit/api.ts';
import { ordersApiPath, readOrderFilters } from '$lib/audit/query.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  await parent();
  const { filters, errors } = readOrderFilters(url.searchParams);
  const res = await auditOrders(ordersApiPath(filters, errors), fetch);
  return { filters, errors, orders: res.ok ? res.value.orders : [], loadError: res.ok ? null : res.error.message };
};
