// The catalog: every published schema with its name, kind, version and examples. It is the one
// source for /api/schemas, the JSON Schema and AsyncAPI exports, the OpenAPI route schemas and the
// compatibility guard; nothing is described twice.
import type { TSchema } from 'typebox';
import * as auth from './http/auth.ts';
import { ErrorResponse } from './http/errors.ts';
import * as orders from './http/orders.ts';
import * as ws from './http/ws.ts';
import { ChangeNotice } from './http/changes.ts';
import type { SchemaKind } from './http/schema-listing.ts';
import { eventDefinitions } from './events.ts';
import { Commit, EventEnvelope } from './envelope.ts';
import { Candle, CandleUpdate, SymbolInfo, Ticker } from './market/market.ts';
import { accountCommands } from './accounts/commands.ts';
import { Alert } from './alerts/alert.ts';
import { alertCommands } from './alerts/commands.ts';
import * as alerts from './alerts/http.ts';
import { orderCommands } from './orders/commands.ts';
import { Balance } from './read-models/balance.ts';
import { Order } from './read-models/order.ts';
import { Position } from './read-models/position.ts';
import { Trade } from './read-models/trade.ts';

export interface CatalogEntry {
  name: string;
  kind: SchemaKind;
  version: number;
  description: string;
  /** The NATS subject pattern the message travels on (events, notifications, market data). */
  subject?: string;
  schema: TSchema;
  /** Older versions of an event, oldest first (version 1 at index 0). */
  previousVersions?: TSchema[];
  examples: unknown[];
}

const exampleOf = (schema: TSchema): unknown[] => {
  const ex = (schema as { examples?: unknown }).examples;
  return Array.isArray(ex) ? ex : [];
};

const entry = (name: string, kind: SchemaKind, description: string, schema: TSchema, extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  name,
  kind,
  version: 1,
  description,
  schema,
  examples: exampleOf(schema),
  ...extra,
});

const commandDescriptions: Record<keyof typeof orderCommands | keyof typeof accountCommands | keyof typeof alertCommands, string> = {
  PlaceOrder: 'Place an order (POST /api/orders plus the market facts; the account aggregate supplies balances and open orders).',
  CancelOrder: 'Cancel an open order (DELETE /api/orders/:orderId).',
  RecordVenueReport: 'Executor or reconciliation: what the venue says about an order (ack, fills, final status).',
  RecordCancelRejection: 'Executor: the venue refused the cancel.',
  OpenAccount: "Open a user's account (registration), with the venue account's starting balances.",
  StoreVenueKeys: 'Record that a user stored venue API keys (PUT /api/me/venue-keys; only the fingerprint).',
  RemoveVenueKeys: 'Record that a user removed their venue keys (DELETE /api/me/venue-keys).',
  GrantRole: 'An operator grants a role (blotter users grant).',
  RecordAuditAccess: "Record an auditor's read before its data leaves (every /api/audit route).",
  SyncVenueBalances: "Bring Blotter's balances to the venue account's figures (keys stored; the executor after a user-data reconnect).",
  RecordBalanceUpdate: 'Record a venue balanceUpdate (a deposit or withdrawal) from the user-data stream.',
  SetAlert: 'Set a price alert (POST /api/alerts).',
  CancelAlert: 'Cancel an active price alert (DELETE /api/alerts/:alertId).',
  TriggerAlert: 'The alert evaluator saw the market price cross an active alert.',
};

function subjectOfEvent(type: string): string {
  if (type.startsWith('Order')) return '<ns>.evt.<partition>.<userId>.order.<orderId>';
  if (type.startsWith('Trading')) return '<ns>.evt.<partition>.00000000-0000-0000-0000-000000000000.control';
  if (type.startsWith('Audit')) return '<ns>.evt.<partition>.<auditorId>.audit';
  if (type.startsWith('Alert')) return '<ns>.evt.<partition>.<userId>.alert.<alertId>';
  return '<ns>.evt.<partition>.<userId>.account';
}

export const catalog: CatalogEntry[] = [
  ...eventDefinitions.map(
    (def): CatalogEntry => ({
      name: def.type,
      kind: 'event',
      version: def.versions.length,
      description: def.description,
      subject: subjectOfEvent(def.type),
      schema: def.latest,
      previousVersions: def.versions.slice(0, -1) as TSchema[],
      examples: [...def.examples],
    }),
  ),
  ...Object.entries({ ...orderCommands, ...accountCommands, ...alertCommands }).map(([name, schema]) =>
    entry(name, 'command', commandDescriptions[name as keyof typeof commandDescriptions], schema),
  ),
  entry('Commit', 'message', 'One append to the event stream: all events of one command, hash-chained.', Commit, {
    subject: '<ns>.evt.>',
  }),
  entry('EventEnvelope', 'message', 'The metadata every event carries inside a commit.', EventEnvelope),
  entry('Order', 'read-model', 'An order and its progress (table orders).', Order),
  entry('Trade', 'read-model', 'One execution of an order (table trades).', Trade),
  entry('Balance', 'read-model', 'Free and locked amount of one asset (table balances).', Balance),
  entry('Position', 'read-model', 'Average-cost position per symbol (table positions).', Position),
  entry('Alert', 'read-model', 'A price alert and what became of it (table alerts).', Alert),
  entry('SymbolInfo', 'http', 'A tradable symbol with its exchange filters.', SymbolInfo),
  entry('Candle', 'http', 'One OHLCV candle.', Candle),
  entry('Ticker', 'message', 'Last traded price of a symbol.', Ticker, { subject: '<ns>.market.ticker.<symbol>' }),
  entry('CandleUpdate', 'message', 'The current candle of a symbol and interval.', CandleUpdate, {
    subject: '<ns>.market.candle.<symbol>.<interval>',
  }),
  entry('ChangeNotice', 'message', 'A read-model change announced by a projector for live updates.', ChangeNotice, {
    subject: '<ns>.changes.<userId>',
  }),
  entry('ErrorResponse', 'http', 'The body of every error response.', ErrorResponse),
  entry('Credentials', 'http', 'POST /api/auth/register and /api/auth/login body.', auth.Credentials),
  entry('AuthResponse', 'http', 'Token and user returned by register and login.', auth.AuthResponse),
  entry('Me', 'http', 'GET /api/me response.', auth.Me),
  entry('WsTicketResponse', 'http', 'POST /api/auth/ws-ticket response: a 60-second token that only opens /api/ws.', auth.WsTicketResponse),
  entry('VenueKeysRequest', 'http', 'PUT /api/me/venue-keys body.', auth.VenueKeysRequest),
  entry('PlaceOrderRequest', 'http', 'POST /api/orders body.', orders.PlaceOrderRequest),
  entry('SetAlertRequest', 'http', 'POST /api/alerts body.', alerts.SetAlertRequest),
  entry('AlertList', 'http', 'GET /api/alerts response.', alerts.AlertList),
  entry('WsClientMessage', 'http', 'A message a client sends on /api/ws.', ws.ClientMessage, {
    examples: [{ type: 'subscribe', channels: ['orders', 'ticker:BTCUSDT'] }],
  }),
  entry('WsServerMessage', 'http', 'A message the server sends on /api/ws.', ws.ServerMessage, {
    examples: [{ type: 'snapshot', channel: 'balances', version: 42, data: [] }],
  }),
];

export const catalogEntry = (name: string): CatalogEntry | undefined => catalog.find((e) => e.name === name);
