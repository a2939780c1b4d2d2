import { createHash, randomBytes } from 'node:crypto';

export type Role = 'admin' | 'operator';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** 192 random bits behind a readable prefix: a bearer secret must be unguessable; only its digest is stored. */
function generateSecret(prefix: string) {
  const key = `${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, stored: { hash: hashApiKey(key), prefix: key.slice(0, 12) } };
}

export const generateApiKey = (role: Role) => generateSecret(role === 'admin' ? 'sb_adm' : 'sb_op');
export const generateVisitorToken = () => generateSecret('sb_vis');
export const generateIntegrationKey = () => generateSecret('sb_int');
