import type { ProcSpec } from './procs.mjs';

export type ServiceName = 'sim' | 'market' | 'projector' | 'executor' | 'gateway' | 'ui' | 'ui:built';
export const repoRoot: string;
export const services: Record<
  ServiceName,
  { command: string; args: string[]; cwd: string; ready(env: Record<string, string>): ProcSpec['ready'] }
>;
export const devOrder: ServiceName[];
/** A Proc spec for service `service` running with `env`; `extra` adds name, logFile, onLine… */
export function serviceSpec(service: ServiceName, env: Record<string, string>, extra?: Partial<ProcSpec>): ProcSpec;
