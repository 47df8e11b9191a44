import { SymbolInfo } from '@blotter/schemas';
import Type from 'typebox';
import type { UiConfig } from './config.ts';
import { call } from './gateway.ts';

const SymbolList = Type.Array(SymbolInfo);

export const symbols = (cfg: UiConfig, token: string) => call(cfg, { path: '/api/market/symbols', token }, SymbolList);
