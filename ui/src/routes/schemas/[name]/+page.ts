import { error } from '@sveltejs/kit';
import { request } from '$lib/api.ts';
import { SchemaDocument } from '$lib/schemas/catalog.ts';
import type { PageLoad } from './$types';

const NAME = /^[A-Za-z][A-Za-z0-9]*(\.v[0-9]+)?$/;

export const load: PageLoad = async ({ fetch, params }) => {
  if (!NAME.test(params.name)) error(404, { message: `No schema named ${params.name}`, code: 'NOT_FOUND' });
  const res = await request(`/api/schemas/${encodeURIComponent(params.name)}`, SchemaDocument, { fetch });
  if (!res.ok) error(res.error.status ?? 503, { message: res.error.message, code: res.error.code });
  return { ref: params.name, doc: res.value };
};
