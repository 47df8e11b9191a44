// Re-encrypts every stored venue key with the current KEY_ENCRYPTION_KEY. Rotation: put the new key
// in KEY_ENCRYPTION_KEY and the old one in KEY_ENCRYPTION_KEY_PREVIOUS, restart, run this, then drop
// the old key.
import { createKeyRing, parseKey, rotateVenueKeys } from '@blotter/accounts';
import type { Command } from '../command.ts';
import { settings } from '../config.ts';

export const keysRotate: Command = {
  name: 'keys rotate',
  summary: 're-encrypt every venue key with the current KEY_ENCRYPTION_KEY',
  usage: 'keys rotate',
  options: {},
  async run(ctx) {
    const { KEY_ENCRYPTION_KEY: current, KEY_ENCRYPTION_KEY_PREVIOUS } = settings(ctx.env, [
      'KEY_ENCRYPTION_KEY',
      'KEY_ENCRYPTION_KEY_PREVIOUS',
    ]);
    const previous = KEY_ENCRYPTION_KEY_PREVIOUS.split(',').filter(Boolean);
    const ring = createKeyRing(
      parseKey(current, 'KEY_ENCRYPTION_KEY'),
      previous.map((k) => parseKey(k, 'KEY_ENCRYPTION_KEY_PREVIOUS')),
    );
    const n = await rotateVenueKeys(ctx.accounts(), ring);
    ctx.print(`re-encrypted ${n} venue key record${n === 1 ? '' : 's'} with key ${ring.currentKeyId}`);
    return 0;
  },
};
