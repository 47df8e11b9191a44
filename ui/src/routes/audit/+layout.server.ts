import { error } from '@sveltejs/kit';
import { isAuditor } from '$lib/roles.ts';
import type { LayoutServerLoad } from './$types';

// The audit area is for auditors only; a trader gets a 403 page, not a half-empty screen.
export const load: LayoutServerLoad = ({ locals }) => {
  if (!locals.user || !isAuditor(locals.user.roles)) {
    error(403, {
      message: 'The audit area is for auditors. Ask an administrator to grant your account the auditor role, then log in again.',
      code: 'FORBIDDEN',
    });
  }
  return {};
};
