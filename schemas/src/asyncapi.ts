// The AsyncAPI 3.0 document of Blotter's NATS side: the server, the JetStream streams, every
// subject as a channel with its parameters, who sends and who receives, and message payloads that
// reference the catalog's schemas. Event channels and their commit messages are derived from the
// catalog (an event's `subject`), so a new event type appears here without touching this file.
import Type from 'typebox';
import { type CatalogEntry, catalog } from './catalog.ts';
import { type JsonObject, plainJson } from './json-schema.ts';
import { CandleInterval } from './market/market.ts';
import { CANDLES_EXAMPLE, CandlesRequest, MarketRpcError, TICKER_EXAMPLE, TickerRequest } from './market/rpc.ts';
import { streamNames } from './subjects.ts';

// The executor's figures, a NATS payload that is not a catalog entry.
export const ExecutorStats = Type.Object(
  {
    submitted: Type.Integer({ minimum: 0 }),
    canceled: Type.Integer({ minimum: 0 }),
    retried: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    resting: Type.Integer({ minimum: 0, description: 'Orders resting at the venue and followed up now' }),
  },
  { examples: [{ submitted: 120, canceled: 7, retried: 2, failed: 0, resting: 3 }] },
);

const ref = (path: string) => ({ $ref: `#/${path}` });
const schemaRef = (name: string) => ref(`components/schemas/${name}`);
const versionedName = (e: CatalogEntry, v: number) => (v === e.version ? e.name : `${e.name}.v${v}`);

const PARAMETERS: Record<string, JsonObject> = {
  ns: { description: 'Namespace prefixing every subject and stream (`BLOTTER_NAMESPACE`).', examples: ['blotter'] },
  partition: {
    description:
      'Partition of the user: FNV-1a of the user id modulo the partition count, which is fixed when the event stream is created ' +
      "(stream metadata `blotter.partitions`, 4 by default). All of one user's events share a partition, so they stay in order.",
    examples: ['0', '3'],
  },
  userId: { description: 'The user (a lower-case UUID) whose aggregate this is.', examples: ['0192f4a7-0000-7000-8000-000000000001'] },
  auditorId: {
    description: 'The auditor (a lower-case UUID) whose reads are recorded.',
    examples: ['0192f4a7-0000-7000-8000-000000000002'],
  },
  orderId: {
    description: 'The order (a lower-case UUID): one aggregate, one subject.',
    examples: ['0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a'],
  },
  alertId: {
    description: "The price alert (a lower-case UUID): one aggregate, one subject, inside its user's scope.",
    examples: ['0192f4b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b'],
  },
  symbol: { description: 'Exchange symbol, base then quote asset.', examples: ['BTCUSDT', 'ETHUSDT'] },
  interval: { description: 'Candle interval.', enum: [...CandleInterval.enum] },
  consumer: { description: 'The consumer group that gave up on the message (e.g. `projector`).', examples: ['projector'] },
};

const COMMIT_HEADERS = {
  type: 'object',
  properties: {
    'Nats-Msg-Id': { type: 'string', description: 'The commit id: the server drops a retried append inside the duplicate window.' },
    'Nats-Expected-Last-Subject-Sequence': {
      type: 'string',
      description: "Optimistic concurrency: the sequence of the aggregate's last commit as the writer saw it (0 for a new one).",
    },
  },
};

const DEAD_LETTER_HEADERS = {
  type: 'object',
  required: ['Blotter-Original-Seq', 'Blotter-Original-Subject', 'Blotter-Consumer', 'Blotter-Error', 'Blotter-Failed-At'],
  properties: {
    'Blotter-Original-Seq': { type: 'string', description: 'Sequence of the message in the event stream.' },
    'Blotter-Original-Subject': { type: 'string' },
    'Blotter-Consumer': { type: 'string' },
    'Blotter-Error': { type: 'string', maxLength: 1000 },
    'Blotter-Failed-At': { type: 'string', format: 'date-time' },
  },
};

interface Message {
  name: string;
  title?: string;
  summary: string;
  payload: JsonObject;
  headers?: JsonObject;
  examples?: unknown[];
}

interface ChannelSpec {
  id: string;
  address: string | null;
  title: string;
  description: string;
  /** The JetStream stream holding the subject; null for core NATS (fire and forget). */
  stream: string | null;
  messages: Message[];
  send?: { id: string; summary: string };
  receive?: { id: string; summary: string };
  /** For request/reply: the reply channel and the reply message answering each request message. */
  reply?: { channel: string; message: string };
}

const STREAMS = streamNames('{ns}');
const toAddress = (subject: string) => subject.replace(/<([A-Za-z]+)>/g, '{$1}');
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const examplesOf = (payloads: readonly unknown[]) => payloads.map((payload) => ({ payload: plainJson(payload) }));

/** One channel per event subject pattern of the catalog; the commit payload lists its events. */
function eventChannels(): ChannelSpec[] {
  const groups = new Map<string, CatalogEntry[]>();
  for (const e of catalog.filter((c) => c.kind === 'event' && c.subject)) {
    groups.set(e.subject as string, [...(groups.get(e.subject as string) ?? []), e]);
  }
  const commitExample = catalog.find((c) => c.name === 'Commit')?.examples[0] as { events: { type: string }[] } | undefined;
  return [...groups].map(([subject, events]): ChannelSpec => {
    const aggregate = subject
      .split('.')
      .filter((t) => !t.startsWith('<') && t !== 'evt')
      .at(-1) as string;
    const name = `${capitalize(aggregate)}Commit`;
    const envelopes = events.flatMap((e) =>
      Array.from({ length: e.version }, (_, i) => ({
        title: `${e.name} v${i + 1}`,
        allOf: [schemaRef('EventEnvelope')],
        properties: { type: { const: e.name }, version: { const: i + 1 }, data: schemaRef(versionedName(e, i + 1)) },
      })),
    );
    const types = new Set(events.map((e) => e.name));
    return {
      id: `${aggregate}Events`,
      address: toAddress(subject),
      title: `${capitalize(aggregate)} events`,
      description: `Commits of ${aggregate} aggregates: ${events.map((e) => e.name).join(', ')}.`,
      stream: STREAMS.events,
      messages: [
        {
          name,
          title: `${capitalize(aggregate)} commit`,
          summary: 'All events of one command, hash-chained to the previous commit of the same aggregate.',
          headers: COMMIT_HEADERS,
          payload: { allOf: [schemaRef('Commit')], properties: { events: { items: { oneOf: envelopes } } } },
          ...(commitExample?.events.every((ev) => types.has(ev.type)) ? { examples: examplesOf([commitExample]) } : {}),
        },
      ],
      send: {
        id: `append${name}`,
        summary: `Append one ${aggregate} commit (deduplicated by Nats-Msg-Id, guarded by the expected last sequence).`,
      },
      receive: {
        id: `consume${name}s`,
        summary: 'Read by the projectors (a durable consumer per partition), the executor, replays and `blotter verify`.',
      },
    };
  });
}

/** Channels of catalog messages that travel on core NATS (tickers, candles, change notices). */
function messageChannels(): ChannelSpec[] {
  const who: Record<string, [string, string]> = {
    Ticker: ['The market feed announces the last price.', 'The gateway keeps mark prices and pushes `ticker:` WebSocket channels.'],
    CandleUpdate: ['The market feed announces the current candle.', 'The gateway pushes `candles:` WebSocket channels.'],
    ChangeNotice: ['A projector announces what a committed batch changed.', "Gateways fan it out to that user's WebSockets."],
  };
  return catalog
    .filter((e) => e.kind === 'message' && e.subject && !e.subject.split('.').includes('>'))
    .map((e): ChannelSpec => {
      const [send, receive] = who[e.name] ?? [`Publish a ${e.name}.`, `Receive ${e.name} messages.`];
      return {
        id: e.name.charAt(0).toLowerCase() + e.name.slice(1),
        address: toAddress(e.subject as string),
        title: e.name,
        description: e.description,
        stream: null,
        messages: [{ name: e.name, summary: e.description, payload: schemaRef(e.name), examples: examplesOf(e.examples) }],
        send: { id: `publish${e.name}`, summary: send },
        receive: { id: `receive${e.name}`, summary: receive },
      };
    });
}

const rpcReply = (name: string, payload: JsonObject) => ({
  name,
  summary: `The market feed's answer, or {error: {message}}.`,
  payload: { oneOf: [payload, schemaRef('MarketRpcError')] },
});

const RPC_REPLIES = [
  rpcReply('SymbolsReply', { type: 'array', items: schemaRef('SymbolInfo') }),
  rpcReply('CandlesReply', { type: 'array', items: schemaRef('Candle') }),
  rpcReply('TickerReply', { oneOf: [schemaRef('Ticker'), { type: 'null', description: 'no price seen yet' }] }),
];

function fixedChannels(): ChannelSpec[] {
  const rpc = (method: string, title: string, payload: JsonObject, examples: unknown[]): ChannelSpec => ({
    id: `marketRpc${capitalize(method)}`,
    address: `{ns}.market.rpc.${method}`,
    title,
    description: "Request/reply on core NATS: the gateway asks, the market feed answers on the request's reply subject.",
    stream: null,
    messages: [{ name: `${capitalize(method)}Request`, summary: title, payload, examples: examplesOf(examples) }],
    send: { id: `request${capitalize(method)}`, summary: `The gateway asks the market feed (5 s timeout).` },
    receive: { id: `answer${capitalize(method)}`, summary: 'The market feed answers.' },
    reply: { channel: 'marketRpcReply', message: `${capitalize(method)}Reply` },
  });
  return [
    {
      id: 'deadLetters',
      address: '{ns}.dlq.{consumer}',
      title: 'Dead letters',
      description: 'A message a consumer group could not process, copied with the error and its original sequence.',
      stream: STREAMS.deadLetters,
      messages: [
        {
          name: 'DeadLetter',
          summary: 'The original message bytes as received (usually a Commit, possibly not even JSON), with the failure in headers.',
          headers: DEAD_LETTER_HEADERS,
          payload: { description: 'The original payload, byte for byte.' },
        },
      ],
      send: { id: 'deadLetter', summary: 'A projector gives up on a message after its retries (Nats-Msg-Id `<consumer>:<seq>`).' },
      receive: { id: 'readDeadLetters', summary: 'Operators inspect and replay dead letters.' },
    },
    rpc('symbols', 'Symbols and their exchange filters', { description: 'Any body; it is ignored.' }, [{}]),
    rpc('candles', 'Candles of a symbol', schemaRef('CandlesRequest'), [CANDLES_EXAMPLE]),
    rpc('ticker', 'Last price of a symbol', schemaRef('TickerRequest'), [TICKER_EXAMPLE]),
    {
      id: 'marketRpcReply',
      address: null,
      title: 'Market RPC replies',
      description: "The requester's inbox (the NATS reply subject of the request).",
      stream: null,
      messages: RPC_REPLIES,
    },
    {
      id: 'executorStats',
      address: '{ns}.stats.executor',
      title: 'Executor figures',
      description: 'Counters of the executor, announced every 5 s.',
      stream: null,
      messages: [
        { name: 'ExecutorStats', summary: 'Cumulative counters since the executor started.', payload: schemaRef('ExecutorStats') },
      ],
      send: { id: 'publishExecutorStats', summary: 'The executor announces its figures.' },
      receive: { id: 'receiveExecutorStats', summary: 'The gateway exposes them on /metrics.' },
    },
  ];
}

function componentSchemas(): JsonObject {
  const out: JsonObject = {};
  for (const e of catalog) {
    out[e.name] = plainJson(e.schema);
    e.previousVersions?.forEach((s, i) => {
      out[versionedName(e, i + 1)] = plainJson(s);
    });
  }
  Object.assign(out, plainJson({ CandlesRequest, TickerRequest, MarketRpcError, ExecutorStats }));
  return out;
}

export interface AsyncApiOptions {
  /** The namespace of this deployment: the default of the `ns` parameter. */
  namespace?: string;
  /** host:port of the NATS server. */
  natsHost?: string;
}

export function asyncApiDocument(options: AsyncApiOptions = {}): JsonObject {
  const specs = [...eventChannels(), ...messageChannels(), ...fixedChannels()];
  const parameters: JsonObject = {};
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  for (const spec of specs) {
    const names = [...(spec.address ?? '').matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] as string);
    for (const name of names) {
      const p = PARAMETERS[name];
      if (!p) throw new Error(`channel ${spec.id}: no description for parameter ${name}`);
      parameters[name] = name === 'ns' && options.namespace ? { ...p, default: options.namespace } : p;
    }
    channels[spec.id] = {
      address: spec.address,
      title: spec.title,
      description: spec.description,
      ...(names.length ? { parameters: Object.fromEntries(names.map((n) => [n, ref(`components/parameters/${n}`)])) } : {}),
      messages: Object.fromEntries(spec.messages.map((m) => [m.name, ref(`components/messages/${m.name}`)])),
      'x-stream': spec.stream,
    };
    const messageRefs = spec.messages.map((m) => ref(`channels/${spec.id}/messages/${m.name}`));
    const reply = spec.reply && {
      channel: ref(`channels/${spec.reply.channel}`),
      messages: [ref(`channels/${spec.reply.channel}/messages/${spec.reply.message}`)],
    };
    for (const [action, op] of [
      ['send', spec.send],
      ['receive', spec.receive],
    ] as const) {
      if (op)
        operations[op.id] = {
          action,
          channel: ref(`channels/${spec.id}`),
          summary: op.summary,
          messages: messageRefs,
          ...(reply ? { reply } : {}),
        };
    }
  }
  const messages = Object.fromEntries(specs.flatMap((s) => s.messages).map((m) => [m.name, { contentType: 'application/json', ...m }]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Blotter messaging',
      version: '1.0.0',
      description:
        'The NATS subjects of Blotter. Events are appended to the JetStream stream `{NS}_EVENTS` as commits (all events of ' +
        'one command in one message, hash-chained per aggregate); commits a consumer cannot process go to `{NS}_DLQ`; ' +
        'market data, change notices and figures travel on core NATS. Decimals are strings.',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: options.natsHost ?? 'localhost:4222',
        protocol: 'nats',
        description: 'NATS 2.10+ with JetStream (`NATS_URL`).',
        'x-streams': [
          {
            name: STREAMS.events,
            subjects: ['{ns}.evt.>'],
            description: 'Every commit. Immutable (deny delete and purge), deduplicating by Nats-Msg-Id, readable by direct get.',
          },
          { name: STREAMS.deadLetters, subjects: ['{ns}.dlq.>'], description: 'Dead letters, with the error and the original sequence.' },
        ],
      },
    },
    channels,
    operations,
    components: { schemas: componentSchemas(), messages, parameters },
  };
}
