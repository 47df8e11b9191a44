import { env } from '$env/dynamic/private';
import { readConfig, type UiConfig } from './config.ts';

let cached: UiConfig | undefined;

/** Read on first use (at run time, not at build time) and kept. */
export function config(): UiConfig {
  cached ??= readConfig(env);
  return cached;
}
