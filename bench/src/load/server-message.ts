// The gateway's WebSocket messages, checked against the declared schema as any client should:
// a bench that misreads a message would measure something else without saying so.
import { ServerMessage } from '@blotter/schemas';
import { Compile } from 'typebox/compile';

const check = Compile(ServerMessage);

export function serverMessage(raw: string): ServerMessage {
  const m: unknown = JSON.parse(raw);
  if (!check.Check(m)) throw new Error(`not a gateway message: ${raw.slice(0, 200)}`);
  return m;
}
