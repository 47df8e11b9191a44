import { error, redirect } from '@sveltejs/kit';
import { config } from '$lib/server/env.ts';
import { symbols } from '$lib/server/market.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
  const wanted = params.symbol.toUpperCase();
  if (wanted !== params.symbol) redirect(308, `/trade/${encodeURIComponent(wanted)}`);
  const res = await symbols(config(), locals.token ?? '');
  if (!res.ok) error(res.error.status ?? 503, { message: res.error.message, code: res.error.code });
  const info = res.value.find((s) => s.symbol === wanted);
  if (!info)
    error(404, { message: `No market ${wanted}. Pick one of ${res.value.map((s) => s.symbol).join(', ')}.`, code: 'UNKNOWN_SYMBOL' });
  return { symbols: res.value, info };
};
