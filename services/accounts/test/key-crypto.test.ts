import { randomBytes } from 'node:crypto';
import t from 'tap';
import { createKeyRing, fingerprint, KeyDecryptionError, parseKey } from '../src/index.ts';

const user = '0192f4a7-0000-7000-8000-000000000001';

t.test('equal secrets encrypt to different ciphertexts with fresh 12-byte IVs', async (t) => {
  const ring = createKeyRing(randomBytes(32));
  const a = ring.encrypt('same secret', user);
  const b = ring.encrypt('same secret', user);
  t.equal(a.iv.length, 12);
  t.not(a.iv.toString('hex'), b.iv.toString('hex'));
  t.not(a.ciphertext.toString('hex'), b.ciphertext.toString('hex'));
  t.equal(ring.decrypt(a, user), 'same secret');
});

t.test('tampering with any part, or moving the record to another user, is refused', async (t) => {
  const ring = createKeyRing(randomBytes(32));
  const sealed = ring.encrypt('secret', user);
  const flip = (b: Buffer) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));
  t.throws(() => ring.decrypt({ ...sealed, ciphertext: flip(sealed.ciphertext) }, user), KeyDecryptionError);
  t.throws(() => ring.decrypt({ ...sealed, tag: flip(sealed.tag) }, user), KeyDecryptionError);
  t.throws(() => ring.decrypt({ ...sealed, iv: flip(sealed.iv) }, user), KeyDecryptionError);
  t.throws(() => ring.decrypt(sealed, '0192f4a7-0000-7000-8000-000000000002'), KeyDecryptionError);
});

t.test('a rotated ring still reads records of the previous key; an unknown key id is named', async (t) => {
  const oldKey = randomBytes(32);
  const sealed = createKeyRing(oldKey).encrypt('secret', user);
  const rotated = createKeyRing(randomBytes(32), [oldKey]);
  t.equal(rotated.decrypt(sealed, user), 'secret');
  t.not(rotated.currentKeyId, sealed.keyId);
  t.throws(() => createKeyRing(randomBytes(32)).decrypt(sealed, user), /no encryption key with id/);
});

t.test('keys must be 32 bytes; fingerprints reveal nothing of the key', async (t) => {
  t.throws(() => parseKey(randomBytes(16).toString('base64'), 'KEY_ENCRYPTION_KEY'), /32 bytes/);
  t.equal(parseKey(randomBytes(32).toString('base64'), 'K').length, 32);
  const fp = fingerprint('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A');
  t.match(fp, /^[0-9a-f]{16}$/);
  t.notMatch(fp, /vmPUZE/);
});
