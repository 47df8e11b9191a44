import { SymbolList } from '@blotter/schemas';
import type { UiConfig } from './config.ts';
import { call } from './gateway.ts';

export const symbols = (cfg: UiConfig, token: string) => call(cfg, { path: '/api/market/symbols', token }, SymbolList);
