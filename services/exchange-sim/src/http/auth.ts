// SIGNED endpoint security: API key (-2014/-2015), mandatory timestamp and signature (-1102),
// signature (-1022), then recvWindow bounds (-1131) and the clock (-1021). The clock is checked
// last so a correctly signed but stale request says "outside of the recvWindow", not "invalid".
import type { FastifyRequest } from 'fastify';
import type { Account } from '../engine/accounts.ts';
import { errors } from '../errors.ts';
import type { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';
import { paramsOf, rawBody, rawQuery } from './request-params.ts';
import { extractSignature, signatureMatches } from './signature.ts';

const KEY_RE = /^[A-Za-z0-9]{64}$/;
const MAX_RECV_WINDOW = 60_000;
const DEFAULT_RECV_WINDOW = 5_000;
/** Binance refuses requests stamped more than this far in its future. */
const MAX_AHEAD_MS = 1_000;

export interface SignedContext {
  account: Account;
  params: Params;
  now: number;
}

export function findAccount(sim: Simulator, apiKey: string | undefined): Account {
  if (!apiKey || !KEY_RE.test(apiKey)) throw errors.badApiKeyFormat();
  const account = sim.accounts.find(apiKey);
  if (!account) throw errors.rejectedApiKey();
  return account;
}

export function checkTimestamp(params: Params, now: number): void {
  const timestamp = params.integer('timestamp');
  if (timestamp === undefined) throw errors.mandatory('timestamp');
  const recvWindow = params.decimal('recvWindow')?.toNumber() ?? DEFAULT_RECV_WINDOW;
  if (recvWindow > MAX_RECV_WINDOW) throw errors.recvWindowTooBig();
  if (timestamp > now + MAX_AHEAD_MS) throw errors.timestampAhead();
  if (now - timestamp > recvWindow) throw errors.timestampOutside();
}

export function authenticate(sim: Simulator, req: FastifyRequest): SignedContext {
  const header = req.headers['x-mbx-apikey'];
  const account = findAccount(sim, Array.isArray(header) ? header[0] : header);
  const params = paramsOf(req);
  if (params.integer('timestamp') === undefined) throw errors.mandatory('timestamp');
  const { payload, signature } = extractSignature(rawQuery(req), rawBody(req));
  if (!signature) throw errors.mandatory('signature');
  if (!signatureMatches(account.apiSecret, payload, signature)) throw errors.badSignature();
  const now = sim.now();
  checkTimestamp(params, now);
  return { account, params, now };
}
