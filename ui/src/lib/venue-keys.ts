// The venue-keys form's rules: the gateway's VenueKeysRequest schema itself, with its rules said in
// words next to the fields.
import { Venue, VenueKeysRequest } from '@blotter/schemas';
import { Value } from 'typebox/value';

const LABELS: Record<Venue, string> = { paper: 'Paper (simulator)', 'binance-testnet': 'Binance Spot testnet' };
export const VENUES = Venue.enum.map((id) => ({ id, label: LABELS[id] }));

export interface VenueKeyErrors {
  venue?: string;
  apiKey?: string;
  apiSecret?: string;
  form?: string;
}

export function checkVenueKeys(
  venue: string,
  apiKey: string,
  apiSecret: string,
): { errors: VenueKeyErrors; request: VenueKeysRequest | null } {
  const errors: VenueKeyErrors = {};
  const { properties } = VenueKeysRequest;
  if (!Value.Check(properties.venue, venue)) errors.venue = 'Choose a venue';
  if (!Value.Check(properties.apiKey, apiKey)) errors.apiKey = 'The API key is 8 to 128 letters and digits';
  if (!Value.Check(properties.apiSecret, apiSecret)) errors.apiSecret = 'The API secret is 8 to 128 letters and digits';
  const request = { venue, apiKey, apiSecret };
  return { errors, request: Value.Check(VenueKeysRequest, request) ? request : null };
}
