import { fail } from '@sveltejs/kit';
import { config } from '$lib/server/env.ts';
import { deleteVenueKeys, putVenueKeys } from '$lib/server/gateway.ts';
import { checkVenueKeys, type VenueKeyErrors } from '$lib/venue-keys.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
  // Only the fingerprint ever leaves the gateway; the secret is never read back.
  venue: locals.user?.venue ?? null,
});

export const actions: Actions = {
  save: async ({ request, locals }) => {
    const form = await request.formData();
    const venue = String(form.get('venue') ?? '');
    const apiKey = String(form.get('apiKey') ?? '').trim();
    const apiSecret = String(form.get('apiSecret') ?? '').trim();
    const { errors, request: body } = checkVenueKeys(venue, apiKey, apiSecret);
    // Neither the key nor the secret is echoed back into the page.
    if (!body) return fail(400, { action: 'save' as const, venue, errors });
    const res = await putVenueKeys(config(), locals.token ?? '', body);
    if (!res.ok) {
      const failed: VenueKeyErrors = { form: res.error.message };
      return fail(res.error.status ?? 503, { action: 'save' as const, venue, errors: failed });
    }
    return { action: 'save' as const, saved: true };
  },
  delete: async ({ locals }) => {
    const res = await deleteVenueKeys(config(), locals.token ?? '');
    if (!res.ok) {
      const failed: VenueKeyErrors = { form: res.error.message };
      return fail(res.error.status ?? 503, { action: 'delete' as const, errors: failed });
    }
    return { action: 'delete' as const, deleted: true };
  },
};
