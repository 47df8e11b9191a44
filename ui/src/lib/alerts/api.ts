// The alerts endpoints (../shared/API.md "Price alerts") through the UI server's proxy. The list
// itself comes from the live `alerts` channel; these only change things.
import Type from 'typebox';
import { request } from '../api.ts';
import { AlertRow } from '../live/channels.ts';

export const AlertEnvelope = Type.Object({ alert: AlertRow });

export interface AlertDraft {
  symbol: string;
  condition: 'ABOVE' | 'BELOW';
  price: string;
  note?: string;
}

export const setAlert = (draft: AlertDraft, f?: typeof fetch) =>
  request('/api/alerts', AlertEnvelope, { method: 'POST', body: draft, fetch: f });

export const cancelAlert = (alertId: string, f?: typeof fetch) =>
  request(`/api/alerts/${encodeURIComponent(alertId)}`, Type.Null(), { method: 'DELETE', fetch: f });
