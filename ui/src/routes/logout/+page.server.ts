import { redirect } from '@sveltejs/kit';
import { clearedCookieOptions, SESSION_COOKIE } from '$lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
  redirect(303, '/');
};

export const actions: Actions = {
  default: ({ cookies, url }) => {
    cookies.delete(SESSION_COOKIE, clearedCookieOptions(url));
    redirect(303, '/login');
  },
};
