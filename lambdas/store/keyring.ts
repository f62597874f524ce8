/**
 * Envelope encryption for secrets at rest (client secrets, signing keys, API keys).
 * Each sealed value has its own AES-256-GCM data key; the data key is wrapped by
 * AWS KMS in AWS, or by a local key file for the local gateway. The encryption
 * context is bound as AAD (and as KMS EncryptionContext), so a sealed value moved
 * to another item or deployment does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ServiceUnavailableError } from '../core/errors';

export type SealContext = Readonly<Record<string, string>>;

export interface Keyring {
  seal(plaintext: Buffer, context: SealContext): Promise<string>;
  open(sealed: string, context: SealContext): Promise<Buffer>;
}

interface DataKeySource {
  generate(context: SealContext): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  unwrap(wrapped: Buffer, context: SealContext): Promise<Buffer>;
}

function aad(context: SealContext): Buffer {
  return Buffer.from(
    JSON.stringify(
      Object.keys(context)
        .sort()
        .map((k) => [k, context[k]]),
    ),
  );
}

function gcmSeal(key: Buffer, plaintext: Buffer, context: SealContext): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(context));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

function gcmOpen(key: Buffer, blob: Buffer, context: SealContext): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
  decipher.setAAD(aad(context));
  decipher.setAuthTag(blob.subarray(12, 28));
  return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
}

/** Sealed format: `v1.<wrapped data key>.<iv|tag|ciphertext>`, base64url parts. */
export function envelopeKeyring(source: DataKeySource): Keyring {
  // Unwrapping costs a KMS call; a warm container keeps what it has opened.
  const unwrapped = new Map<string, Buffer>();
  return {
    async seal(plaintext, context) {
      const { plaintext: dataKey, wrapped } = await source.generate(context);
      const body = gcmSeal(dataKey, plaintext, context);
      return `v1.${wrapped.toString('base64url')}.${body.toString('base64url')}`;
    },
    async open(sealed, context) {
      const [version, wrappedText, bodyText] = sealed.split('.');
      if (version !== 'v1' || !wrappedText || !bodyText) throw new Error('unknown sealed format');
      const cacheKey = `${wrappedText}|${JSON.stringify(context)}`;
      let dataKey = unwrapped.get(cacheKey);
      if (!dataKey) {
        dataKey = await source.unwrap(Buffer.from(wrappedText, 'base64url'), context);
        if (unwrapped.size > 1000) unwrapped.clear();
        unwrapped.set(cacheKey, dataKey);
      }
      return gcmOpen(dataKey, Buffer.from(bodyText, 'base64url'), context);
    },
  };
}

/** Local mode: data keys wrapped by a 32-byte master key kept in a file (mode 0600). */
export function localKeyring(keyFile: string): Keyring {
  let master: Buffer | undefined;
  const load = (): Buffer => {
    master ??= readFileSync(keyFile);
    if (master.length !== 32) throw new Error('local key file must hold 32 bytes');
    return master;
  };
  return envelopeKeyring({
    async generate(context) {
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: gcmSeal(load(), plaintext, context) };
    },
    async unwrap(wrapped, context) {
      return gcmOpen(load(), wrapped, context);
    },
  });
}

export function kmsKeyring(kms: KMSClient, keyId: string): Keyring {
  return envelopeKeyring({
    async generate(context) {
      try {
        // iam: kms:GenerateDataKey key
        const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }));
        if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
        return { plaintext: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
      } catch (cause) {
        throw new ServiceUnavailableError('Key service unavailable', { cause });
      }
    },
    async unwrap(wrapped, context) {
      try {
        // iam: kms:Decrypt key
        const out = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped, EncryptionContext: { ...context } }));
        if (!out.Plaintext) throw new Error('KMS returned no plaintext');
        return Buffer.from(out.Plaintext);
      } catch (cause) {
        throw new ServiceUnavailableError('Key service unavailable', { cause });
      }
    },
  });
}
