import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/roles.ts';
import { authenticate } from '$lib/server/auth-action.ts';
import { config } from '$lib/server/env.ts';
import { login } from '$lib/server/gateway.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, homeFor(locals.user.roles));
  return { redirectTo: url.searchParams.get('redirectTo') };
};

export const actions: Actions = {
  default: (event) => authenticate(event, (creds) => login(config(), creds)),
};
