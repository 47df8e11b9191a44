// The socket's wire format: parsing what the gateway sends, building what the client sends.
import { type ClientMessage, ServerMessage } from '@blotter/schemas';
import { Value } from 'typebox/value';

export type Incoming = ServerMessage | { type: 'ready' };

/** A parsed, contract-checked server message, or null for anything else (logged by the caller). */
export function parseServerMessage(raw: unknown): Incoming | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  // `ready` may or may not name the user; nothing here needs it.
  if (value && typeof value === 'object' && 'type' in value && value.type === 'ready') return { type: 'ready' };
  return Value.Check(ServerMessage, value) ? value : null;
}

/** The contract caps a subscribe/unsubscribe at 20 channels: larger sets go in several messages. */
export const MAX_CHANNELS_PER_MESSAGE = 20;

export function channelMessages(type: 'subscribe' | 'unsubscribe', channels: readonly string[]): ClientMessage[] {
  const out: ClientMessage[] = [];
  for (let i = 0; i < channels.length; i += MAX_CHANNELS_PER_MESSAGE) {
    out.push({ type, channels: channels.slice(i, i + MAX_CHANNELS_PER_MESSAGE) });
  }
  return out;
}

/** http(s)://host[:port][/prefix] → ws(s)://host[:port][/prefix]/api/ws */
export function wsUrlFor(gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`unsupported gateway URL ${gatewayUrl}`);
  }
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
