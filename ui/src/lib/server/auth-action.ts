// The login and register form actions share everything but the gateway call.
import type { AuthResponse, Credentials } from '@blotter/schemas';
import { type Cookies, fail, redirect } from '@sveltejs/kit';
import { checkCredentials, credentialErrorsFor, safeRedirect } from '../auth-form.ts';
import { homeFor } from '../roles.ts';
import type { Result } from './gateway.ts';
import { SESSION_COOKIE, sessionCookieOptions } from './session.ts';

export async function authenticate(
  event: { request: Request; cookies: Cookies; url: URL },
  callGateway: (creds: Credentials) => Promise<Result<AuthResponse>>,
) {
  const form = await event.request.formData();
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  // The password is never sent back to the page; the email is, to refill the field.
  const errors = checkCredentials(email, password);
  if (errors.email || errors.password) return fail(400, { email, errors });
  const res = await callGateway({ email, password });
  if (!res.ok) {
    return fail(res.error.status ?? 503, { email, errors: credentialErrorsFor(res.error.code, res.error.message, res.error.details) });
  }
  event.cookies.set(SESSION_COOKIE, res.value.token, sessionCookieOptions(event.url, res.value.token));
  redirect(303, safeRedirect(event.url.searchParams.get('redirectTo'), homeFor(res.value.user.roles)));
}
