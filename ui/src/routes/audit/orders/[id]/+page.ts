import { error } from '@sveltejs/kit';
import { auditOrder, auditOrderEvents } from '$lib/audit/api.ts';
import { isUuid } from '$lib/audit/query.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, parent }) => {
  await parent();
  if (!isUuid(params.id)) error(404, { message: `No order ${params.id}`, code: 'ORDER_NOT_FOUND' });
  const id = params.id.toLowerCase();
  const [order, events] = await Promise.all([auditOrder(id, fetch), auditOrderEvents(id, fetch)]);
  if (!order.ok) error(order.error.status ?? 503, { message: order.error.message, code: order.error.code });
  return {
    order: order.value.order,
    events: events.ok ? events.value.events : [],
    eventsError: events.ok ? null : events.error.message,
  };
};
