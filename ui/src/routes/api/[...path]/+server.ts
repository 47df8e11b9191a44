import { json } from '@sveltejs/kit';
import { unreachableBody } from '$lib/api-errors.ts';
import { config } from '$lib/server/env.ts';
import { isCrossSiteWrite, proxyRequestHeaders, proxyResponseHeaders, proxyTarget } from '$lib/server/proxy.ts';
import type { RequestHandler } from './$types';

const proxy: RequestHandler = async ({ params, request, url, locals }) => {
  if (isCrossSiteWrite(request.method, request.headers.get('origin'), request.headers.get('sec-fetch-site'), url.origin)) {
    return json({ error: { code: 'FORBIDDEN', message: 'Cross-site request refused' } }, { status: 403 });
  }
  const cfg = config();
  const target = proxyTarget(cfg.gatewayUrl, params.path, url.search);
  if (!target) return json({ error: { code: 'NOT_FOUND', message: `No route /api/${params.path}` } }, { status: 404 });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: proxyRequestHeaders(request.headers, locals.token),
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(cfg.gatewayTimeoutMs),
    });
  } catch {
    return json(unreachableBody(), { status: 502 });
  }
  // Status and body pass through unchanged: the gateway's error envelope is the page's to read.
  const body = upstream.status === 204 || upstream.status === 304 ? null : await upstream.arrayBuffer();
  return new Response(body, { status: upstream.status, headers: proxyResponseHeaders(upstream.headers) });
};

export const GET = proxy;
export const POST = proxy;
export const PUT = proxy;
export const PATCH = proxy;
export const DELETE = proxy;
