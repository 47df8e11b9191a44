import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/roles.ts';
import { authenticate } from '$lib/server/auth-action.ts';
import { config } from '$lib/server/env.ts';
import { register } from '$lib/server/gateway.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, homeFor(locals.user.roles));
};

export const actions: Actions = {
  default: (event) => authenticate(event, (creds) => register(config(), creds)),
};
