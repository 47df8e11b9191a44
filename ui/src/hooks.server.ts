import { redirect, type Handle } from '@sveltejs/kit';
import { config } from '$lib/server/env.ts';
import { me } from '$lib/server/gateway.ts';
import { SECURITY_HEADERS, withConnectSrc } from '$lib/server/security.ts';
import { clearedCookieOptions, isPublicPath, SESSION_COOKIE, THEME_COOKIE, themeOf } from '$lib/server/session.ts';

export const handle: Handle = async ({ event, resolve }) => {
  const cfg = config();
  const token = event.cookies.get(SESSION_COOKIE) ?? null;
  event.locals.token = token;
  event.locals.user = null;
  event.locals.gatewayDown = false;
  event.locals.theme = themeOf(event.cookies.get(THEME_COOKIE));

  const path = event.url.pathname;
  // The proxy and the ticket endpoint hand the token to the gateway, which checks it itself: no
  // extra /api/me round trip on every API call. Pages validate the session once per request.
  const proxied = path.startsWith('/api/') || path.startsWith('/session/');
  if (token && !proxied) {
    const res = await me(cfg, token);
    if (res.ok) event.locals.user = res.value;
    else if (res.error.status === 401) event.cookies.delete(SESSION_COOKIE, clearedCookieOptions(event.url));
    else event.locals.gatewayDown = true;
  }

  if (!event.locals.user && !isPublicPath(path)) {
    const back = path === '/' ? '' : `?redirectTo=${encodeURIComponent(path + event.url.search)}`;
    redirect(303, `/login${back}`);
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%blotter.theme%', event.locals.theme),
  });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  const csp = response.headers.get('content-security-policy');
  if (csp) response.headers.set('content-security-policy', withConnectSrc(csp, [cfg.wsOrigin]));
  return response;
};
