// The alerts endpoints (../shared/API.md "Price alerts") through the UI server's proxy. The list
// itself comes from the live `alerts` channel; these only change things.
import { AlertResponse, type SetAlertRequest } from '@blotter/schemas';
import Type from 'typebox';
import { request } from '../api.ts';

export const setAlert = (draft: SetAlertRequest, f?: typeof fetch) =>
  request('/api/alerts', AlertResponse, { method: 'POST', body: draft, fetch: f });

export const cancelAlert = (alertId: string, f?: typeof fetch) =>
  request(`/api/alerts/${encodeURIComponent(alertId)}`, Type.Null(), { method: 'DELETE', fetch: f });
