// The venue-keys form's rules (the gateway's VenueKeysRequest schema, said in words).
import type { VenueKeysRequest } from '@blotter/schemas';

export const VENUES = [
  { id: 'paper', label: 'Paper (simulator)' },
  { id: 'binance-testnet', label: 'Binance Spot testnet' },
] as const;

export interface VenueKeyErrors {
  venue?: string;
  apiKey?: string;
  apiSecret?: string;
  form?: string;
}

const KEY = /^[A-Za-z0-9]{8,128}$/;

export function checkVenueKeys(
  venue: string,
  apiKey: string,
  apiSecret: string,
): { errors: VenueKeyErrors; request: VenueKeysRequest | null } {
  const errors: VenueKeyErrors = {};
  if (venue !== 'paper' && venue !== 'binance-testnet') errors.venue = 'Choose a venue';
  if (!KEY.test(apiKey)) errors.apiKey = 'The API key is 8 to 128 letters and digits';
  if (!KEY.test(apiSecret)) errors.apiSecret = 'The API secret is 8 to 128 letters and digits';
  if (Object.keys(errors).length > 0 || (venue !== 'paper' && venue !== 'binance-testnet')) return { errors, request: null };
  return { errors, request: { venue, apiKey, apiSecret } };
}
