// The event registry: every event type Blotter writes, and the one decoder every reader uses.
// Decoding validates the data against the schema of the version it was written with, then upcasts
// it step by step to the latest version, and validates again: nothing unvalidated reaches a decider
// or a projection, and no reader ever sees an old shape.
import { Compile, type Validator } from 'typebox/compile';
import { accountEvents } from './accounts/events.ts';
import { alertEvents } from './alerts/events.ts';
import { auditEvents } from './audit/events.ts';
import { controlEvents } from './control/events.ts';
import type { EventDefinition, EventOf } from './event.ts';
import { orderEvents } from './orders/events.ts';

export const eventDefinitions = [...orderEvents, ...accountEvents, ...controlEvents, ...auditEvents, ...alertEvents] as const;

export type OrderEvent = EventOf<(typeof orderEvents)[number]>;
export type AccountEvent = EventOf<(typeof accountEvents)[number]>;
export type ControlEvent = EventOf<(typeof controlEvents)[number]>;
export type AuditEvent = EventOf<(typeof auditEvents)[number]>;
export type AlertEvent = EventOf<(typeof alertEvents)[number]>;
export type DomainEvent = OrderEvent | AccountEvent | ControlEvent | AuditEvent | AlertEvent;
export type EventType = DomainEvent['type'];
export type EventData<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];

const orderTypes: ReadonlySet<string> = new Set(orderEvents.map((d) => d.type));
const accountTypes: ReadonlySet<string> = new Set(accountEvents.map((d) => d.type));
export const isOrderEvent = (e: DomainEvent): e is OrderEvent => orderTypes.has(e.type);
export const isAccountEvent = (e: DomainEvent): e is AccountEvent => accountTypes.has(e.type);
const alertTypes: ReadonlySet<string> = new Set(alertEvents.map((d) => d.type));
export const isAlertEvent = (e: DomainEvent): e is AlertEvent => alertTypes.has(e.type);
export const isAuditEvent = (e: DomainEvent): e is AuditEvent => e.type === 'AuditAccessed';
export const isControlEvent = (e: DomainEvent): e is ControlEvent => e.type === 'TradingHalted' || e.type === 'TradingResumed';

/** Why an event could not be decoded. A reader treats it as a poison message, never as a crash. */
export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
  constructor(
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

interface Entry {
  def: EventDefinition<string, never>;
  validators: Validator[];
}

const registry = new Map<string, Entry>(
  eventDefinitions.map((def) => [
    def.type,
    { def: def as unknown as EventDefinition<string, never>, validators: def.versions.map((s) => Compile(s)) },
  ]),
);

export const latestVersion = (type: EventType): number => registry.get(type)?.def.versions.length ?? 0;

export function isEventType(type: string): type is EventType {
  return registry.has(type);
}

/** Validates `data` written as `type` version `version` and returns it upcast to the latest version. */
export function decodeEvent(type: string, version: number, data: unknown): DomainEvent {
  const entry = registry.get(type);
  if (!entry) throw new EventDecodeError(`unknown event type ${JSON.stringify(type)}`);
  const { def, validators } = entry;
  const at = validators[version - 1];
  if (!Number.isInteger(version) || !at) {
    throw new EventDecodeError(`${type} has no version ${version} (latest is ${validators.length})`);
  }
  if (!at.Check(data)) {
    throw new EventDecodeError(`${type} v${version} does not match its schema`, firstErrors(at, data));
  }
  let value = data;
  for (let v = version; v < validators.length; v++) {
    value = (def.upcasters[v - 1] as (d: unknown) => unknown)(value);
  }
  const latest = validators[validators.length - 1] as Validator;
  if (version !== validators.length && !latest.Check(value)) {
    throw new EventDecodeError(`${type} upcast from v${version} is invalid`, firstErrors(latest, value));
  }
  return { type, data: value } as DomainEvent;
}

/** Validates data about to be written with the latest schema; a bug, not user input, if it fails. */
export function assertEventData(type: EventType, data: unknown): void {
  const entry = registry.get(type) as Entry;
  const latest = entry.validators[entry.validators.length - 1] as Validator;
  if (!latest.Check(data)) {
    throw new EventDecodeError(`refusing to write an invalid ${type}`, firstErrors(latest, data));
  }
}

function firstErrors(validator: Validator, value: unknown) {
  return validator
    .Errors(value)
    .slice(0, 5)
    .map((e) => ({ path: e.instancePath, message: e.message }));
}
