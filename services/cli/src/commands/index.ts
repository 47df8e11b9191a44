import type { Command } from '../command.ts';
import { halt, resume } from './control.ts';
import { dlqList, dlqReplay } from './dlq.ts';
import { events } from './events.ts';
import { exportEvents } from './export.ts';
import { keysRotate } from './keys.ts';
import { rebuild } from './rebuild.ts';
import { replay } from './replay.ts';
import { schemas } from './schemas.ts';
import { sim } from './sim.ts';
import { url } from './url.ts';
import { usersGrant } from './users.ts';
import { verify } from './verify.ts';

export const commands: Command[] = [
  events,
  replay,
  verify,
  rebuild,
  exportEvents,
  schemas,
  usersGrant,
  keysRotate,
  halt,
  resume,
  dlqList,
  dlqReplay,
  sim,
  url,
];
