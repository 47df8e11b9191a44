import { error } from '@sveltejs/kit';
import { request } from '$lib/api.ts';
import { SchemaListing } from '@blotter/schemas';
import type { PageLoad } from './$types';

// The catalog needs no session (as on the gateway); it goes through the same-origin proxy.
export const load: PageLoad = async ({ fetch }) => {
  const res = await request('/api/schemas', SchemaListing, { fetch });
  if (!res.ok) error(res.error.status ?? 503, { message: res.error.message, code: res.error.code });
  return { catalog: res.value };
};
