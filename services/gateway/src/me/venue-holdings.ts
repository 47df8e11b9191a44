// The venue account behind a pair of keys, read when the keys are stored: GET /api/v3/account,
// signed like every Binance USER_DATA request (HMAC-SHA256 of the query string). It proves the
// keys work and gives the balances the user starts with. The venue's clock is read first, so a
// skewed local clock is not taken for bad keys (-1021).
import { createHmac } from 'node:crypto';
import { dec, str } from '@blotter/orders';
import type { VenueHolding } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { HttpError } from '../errors.ts';

const DECIMAL = '^[0-9]+(\\.[0-9]+)?$';
const Account = Compile(
  Type.Object({
    balances: Type.Array(
      Type.Object({
        asset: Type.String({ pattern: '^[A-Z0-9]{1,12}$' }),
        free: Type.String({ pattern: DECIMAL }),
        locked: Type.String({ pattern: DECIMAL }),
      }),
    ),
  }),
);
const ServerTime = Compile(Type.Object({ serverTime: Type.Integer() }));
const Refusal = Compile(Type.Object({ code: Type.Integer(), msg: Type.String() }));

const TIMEOUT_MS = 10_000;
const RECV_WINDOW_MS = 10_000;

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    throw new HttpError('SERVICE_UNAVAILABLE', 'the venue is unavailable; try again shortly');
  }
}

/** What the venue holds for these keys (free + locked per asset, non-zero only); a refusal of the keys is a 422. */
export async function fetchVenueHoldings(baseUrl: string, apiKey: string, apiSecret: string): Promise<VenueHolding[]> {
  const root = baseUrl.replace(/\/+$/, '');
  const time = await getJson(`${root}/api/v3/time`);
  if (!ServerTime.Check(time.body)) throw new HttpError('SERVICE_UNAVAILABLE', 'the venue did not answer its time; try again shortly');
  const query = `omitZeroBalances=true&recvWindow=${RECV_WINDOW_MS}&timestamp=${time.body.serverTime}`;
  const signature = createHmac('sha256', apiSecret).update(query).digest('hex');
  const { status, body } = await getJson(`${root}/api/v3/account?${query}&signature=${signature}`, { 'X-MBX-APIKEY': apiKey });
  if (status === 200 && Account.Check(body)) {
    return body.balances
      .map((b) => ({ asset: b.asset, total: str(dec(b.free).plus(b.locked)) }))
      .filter((b) => dec(b.total).gt(0))
      .sort((a, b) => a.asset.localeCompare(b.asset));
  }
  // 401/400 with a Binance error: the keys (or their permissions) are refused. Rate limits and the
  // venue's own failures are not the keys' fault.
  if ((status === 400 || status === 401 || status === 403) && Refusal.Check(body)) {
    throw new HttpError('VENUE_KEYS_REJECTED', `the venue refused these keys: ${body.msg} (${body.code})`, { venueCode: body.code });
  }
  throw new HttpError('SERVICE_UNAVAILABLE', `the venue could not read the account (HTTP ${status}); try again shortly`);
}
