import { json } from '@sveltejs/kit';
import { unreachableBody } from '$lib/api-errors.ts';
import { config } from '$lib/server/env.ts';
import { wsTicket } from '$lib/server/gateway.ts';
import { isCrossSiteWrite } from '$lib/server/proxy.ts';
import { pageTicket } from '$lib/server/ws-ticket.ts';
import type { RequestHandler } from './$types';

const noStore = { 'cache-control': 'no-store' };

export const POST: RequestHandler = async ({ locals, request, url }) => {
  if (isCrossSiteWrite('POST', request.headers.get('origin'), request.headers.get('sec-fetch-site'), url.origin)) {
    return json({ error: { code: 'FORBIDDEN', message: 'Cross-site request refused' } }, { status: 403, headers: noStore });
  }
  if (!locals.token) return json({ error: { code: 'UNAUTHENTICATED', message: 'Log in first' } }, { status: 401, headers: noStore });
  const cfg = config();
  const res = await wsTicket(cfg, locals.token);
  if (!res.ok) {
    const status = res.error.status ?? 503;
    const body = status === 503 ? unreachableBody() : { error: { code: res.error.code, message: res.error.message } };
    return json(body, { status, headers: noStore });
  }
  return json(pageTicket(res.value, cfg.wsUrl), { headers: noStore });
};
