import { createHash, randomBytes } from 'node:crypto';

export type Role = 'admin' | 'operator';

/** 192 random bits: a key is a bearer secret, so it must be unguessable; only its digest is stored. */
export function generateApiKey(role: Role): { key: string; hash: string; prefix: string } {
  const key = `sb_${role === 'admin' ? 'adm' : 'op'}_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
