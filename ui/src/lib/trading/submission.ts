// One clientOrderId per submission, so a double click or a retry after a lost response can never
// place the order twice: the gateway is idempotent per clientOrderId and answers 200 with the
// order it already has.
import type { PlaceOrderRequest } from '@blotter/schemas';

export type OrderTerms = Omit<PlaceOrderRequest, 'clientOrderId'>;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** "ui-" + 24 random base-36 characters: fits Binance's ^[a-zA-Z0-9_-]{1,36}$. */
export function newClientOrderId(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = randomBytes(24);
  let id = 'ui-';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

const keyOf = (terms: OrderTerms): string =>
  JSON.stringify([
    terms.symbol,
    terms.side,
    terms.type,
    terms.quantity,
    terms.price ?? null,
    terms.stopPrice ?? null,
    terms.timeInForce ?? null,
  ]);

export type Outcome = 'settled' | 'retryable';

/**
 * Tracks the submission in flight. `begin` hands out the id to send (null while one is in flight:
 * the second click is dropped); `finish('retryable')` after a network error or a 5xx keeps the id,
 * so submitting the same terms again reuses it; any answer the server gave settles it.
 */
export class SubmissionTracker {
  #inFlight = false;
  #pending: { key: string; clientOrderId: string } | null = null;

  constructor(private readonly makeId: () => string = () => newClientOrderId()) {}

  get inFlight(): boolean {
    return this.#inFlight;
  }

  begin(terms: OrderTerms): string | null {
    if (this.#inFlight) return null;
    const key = keyOf(terms);
    if (this.#pending?.key !== key) this.#pending = { key, clientOrderId: this.makeId() };
    this.#inFlight = true;
    return this.#pending.clientOrderId;
  }

  finish(outcome: Outcome): void {
    this.#inFlight = false;
    if (outcome === 'settled') this.#pending = null;
  }
}

/** A status worth retrying with the same id: no answer at all, a gateway failure, or rate limiting. */
export function outcomeOf(status: number | null): Outcome {
  if (status === null || status >= 500 || status === 429) return 'retryable';
  return 'settled';
}
