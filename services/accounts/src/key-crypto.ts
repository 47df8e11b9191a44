// Venue API keys at rest: AES-256-GCM, a random 12-byte IV per record, the auth tag stored with
// it, and the user id as additional authenticated data (a record copied onto another user's row
// fails to decrypt). Each record names the key that encrypted it (`keyId`), so KEY_ENCRYPTION_KEY
// can be rotated: the previous key stays readable until `blotter keys rotate` re-encrypts
// everything with the new one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface EncryptedSecret {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export class KeyDecryptionError extends Error {
  override readonly name = 'KeyDecryptionError';
}

export interface KeyRing {
  /** Encrypts with the current key. */
  encrypt(plaintext: string, userId: string): EncryptedSecret;
  /** Decrypts with whichever known key the record names; throws KeyDecryptionError if tampered. */
  decrypt(secret: EncryptedSecret, userId: string): string;
  readonly currentKeyId: string;
}

/** A key id is a short hash of the key: it identifies the key without revealing it. */
export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

export function parseKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
}

export function createKeyRing(current: Buffer, previous: readonly Buffer[] = []): KeyRing {
  const keys = new Map([current, ...previous].map((k) => [keyIdOf(k), k]));
  const currentKeyId = keyIdOf(current);
  return {
    currentKeyId,
    encrypt(plaintext, userId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(userId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: currentKeyId, iv, ciphertext, tag: cipher.getAuthTag() };
    },
    decrypt(secret, userId) {
      const key = keys.get(secret.keyId);
      if (!key) throw new KeyDecryptionError(`no encryption key with id ${secret.keyId} is configured`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, secret.iv);
        decipher.setAAD(Buffer.from(userId));
        decipher.setAuthTag(secret.tag);
        return Buffer.concat([decipher.update(secret.ciphertext), decipher.final()]).toString('utf8');
      } catch (err) {
        throw new KeyDecryptionError('venue key record failed authentication (tampered or wrong key)', { cause: err });
      }
    },
  };
}

/** What may be shown of an API key: a short hash, never the key. */
export const fingerprint = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
