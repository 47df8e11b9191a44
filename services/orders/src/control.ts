// The kill switch as a tiny aggregate: halting an already halted system (or resuming a running one)
// changes nothing, so repeated commands are harmless.
import type { ControlEvent, DomainEvent } from '@blotter/schemas';
import { isControlEvent } from '@blotter/schemas';

export interface ControlState {
  halted: boolean;
  by: string | null;
  reason: string | null;
}

/** Folds one event; anything but a control event leaves the state as it is. */
function evolveControl(s: ControlState, e: DomainEvent): ControlState {
  if (!isControlEvent(e)) return s;
  return e.type === 'TradingHalted'
    ? { halted: true, by: e.data.by, reason: e.data.reason }
    : { halted: false, by: e.data.by, reason: null };
}

/** The control aggregate for a repository (its subject) or a scope repository (the system's scope). */
export const controlAggregate = {
  initialState: (): ControlState => ({ halted: false, by: null, reason: null }),
  evolve: evolveControl,
  isEvent: (e: DomainEvent): e is ControlEvent => isControlEvent(e),
};

export const haltTrading = (s: ControlState, by: string, reason: string): ControlEvent[] =>
  s.halted ? [] : [{ type: 'TradingHalted', data: { by, reason } }];

export const resumeTrading = (s: ControlState, by: string): ControlEvent[] => (s.halted ? [{ type: 'TradingResumed', data: { by } }] : []);
