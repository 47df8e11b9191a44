import { OrderEventsResponse, OrderResponse } from '@blotter/schemas';
import { error } from '@sveltejs/kit';
import { config } from '$lib/server/env.ts';
import { call } from '$lib/server/gateway.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ params, locals }) => {
  if (!UUID.test(params.id)) error(404, { message: `No order ${params.id}`, code: 'ORDER_NOT_FOUND' });
  const cfg = config();
  const id = params.id.toLowerCase();
  const [order, events] = await Promise.all([
    call(cfg, { path: `/api/orders/${id}`, token: locals.token }, OrderResponse),
    call(cfg, { path: `/api/orders/${id}/events`, token: locals.token }, OrderEventsResponse),
  ]);
  if (!order.ok) error(order.error.status ?? 503, { message: order.error.message, code: order.error.code });
  return {
    order: order.value.order,
    events: events.ok ? events.value.events : [],
    eventsError: events.ok ? null : events.error.message,
  };
};
