// SIGNED request security, shared by REST and the WebSocket API: API key (-2014/-2015), mandatory
// timestamp and signature (-1102), the signature itself (-1022), then recvWindow bounds (-1131) and
// the clock (-1021). The clock is checked last so a correctly signed but stale request says
// "outside of the recvWindow", not "invalid signature".
import type { Account } from '../engine/accounts.ts';
import { errors } from '../errors.ts';
import type { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';
import { signatureMatches } from './signature.ts';

const KEY_RE = /^[A-Za-z0-9]{64}$/;
const MAX_RECV_WINDOW = 60_000;
const DEFAULT_RECV_WINDOW = 5_000;
/** Binance refuses requests stamped this far or further in its future. */
const MAX_AHEAD_MS = 1_000;
const RECV_WINDOW_RE = /^[0-9]{1,10}(\.[0-9]{1,3})?$/;

export function findAccount(sim: Simulator, apiKey: string | undefined): Account {
  if (!apiKey || !KEY_RE.test(apiKey)) throw errors.badApiKeyFormat();
  const account = sim.accounts.find(apiKey);
  if (!account) throw errors.rejectedApiKey();
  return account;
}

export function requireTimestamp(params: Params): number {
  const timestamp = params.millis('timestamp');
  if (timestamp === undefined) throw errors.mandatory('timestamp');
  return timestamp;
}

/** recvWindow: milliseconds with up to three decimals (microseconds), at most 60000, default 5000. */
export function checkTimestamp(params: Params, now: number): void {
  const timestamp = requireTimestamp(params);
  const raw = params.string('recvWindow');
  if (raw !== undefined && !RECV_WINDOW_RE.test(raw)) throw errors.illegalChars('recvWindow', '^[0-9]{1,10}(\\.[0-9]{1,3})?$');
  const recvWindow = raw === undefined ? DEFAULT_RECV_WINDOW : Number(raw);
  if (recvWindow > MAX_RECV_WINDOW) throw errors.recvWindowTooBig();
  if (timestamp >= now + MAX_AHEAD_MS) throw errors.timestampAhead();
  if (now - timestamp > recvWindow) throw errors.timestampOutside();
}

/** Checks a signature over `payloads` (any of them may be the one signed) and the request's clock. */
export function verifySigned(account: Account, params: Params, payloads: string[], signature: string | undefined, now: number): void {
  requireTimestamp(params);
  if (!signature) throw errors.mandatory('signature');
  if (!payloads.some((p) => signatureMatches(account, p, signature))) throw errors.badSignature();
  checkTimestamp(params, now);
}
