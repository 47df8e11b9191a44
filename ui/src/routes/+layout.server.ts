import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  user: locals.user ? { email: locals.user.email, roles: locals.user.roles } : null,
  theme: locals.theme,
  gatewayDown: locals.gatewayDown,
});
