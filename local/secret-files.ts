/**
 * Per-stage secrets the local gateway keeps on disk: created once (32 random bytes,
 * mode 0600) so operator keys and the local keyring survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Returns the file's bytes, creating it with `create()` first when absent. */
export function readOrCreateSecretFile(file: string, create: () => Buffer): Buffer {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails when the file exists, so two processes never overwrite each other's key.
    writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    chmodSync(file, 0o600);
  }
  return readFileSync(file);
}

/** The stage's operator key: 256 random bits, base64url, stable across restarts. */
export function loadOrCreateAdminKey(stageDir: string): string {
  const bytes = readOrCreateSecretFile(path.join(stageDir, 'admin.key'), () => Buffer.from(randomBytes(32).toString('base64url'), 'utf8'));
  const key = bytes.toString('utf8').trim();
  if (key.length === 0) throw new Error(`empty operator key file in ${stageDir}`);
  return key;
}

/** The local keyring's root key (LOCAL_KEY_FILE): 32 raw random bytes. */
export function ensureKeyringFile(stageDir: string): string {
  const file = path.join(stageDir, 'keyring.key');
  readOrCreateSecretFile(file, () => randomBytes(32));
  return file;
}
