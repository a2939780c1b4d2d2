import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  bootstrapToken: string;
  providerSecret: string;
}

/**
 * The bootstrap token and provider secret `npm start` makes up when they are not configured, kept
 * in the (git-ignored) data directory so they survive restarts and scripts can read them.
 */
export function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets = {
    bootstrapToken: randomBytes(18).toString('base64url'),
    providerSecret: randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
