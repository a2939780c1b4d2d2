import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  bootstrapToken: string;
  providerSecret: string;
}

const made = () => randomBytes(18).toString('base64url');

/**
 * The bootstrap token and provider secret `npm start` uses when they are not configured, made up once
 * and kept in the (git-ignored) data directory, so they survive restarts and scripts can read them.
 * Configured values win and are never written down.
 */
export function devSecrets(dataDir: string, configured: Partial<DevSecrets>): DevSecrets {
  if (configured.bootstrapToken && configured.providerSecret) return configured as DevSecrets;
  const file = join(dataDir, 'dev-secrets.json');
  const kept = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Partial<DevSecrets>;
  const secrets = { bootstrapToken: kept.bootstrapToken || made(), providerSecret: kept.providerSecret || made() };
  if (secrets.bootstrapToken !== kept.bootstrapToken || secrets.providerSecret !== kept.providerSecret) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return {
    bootstrapToken: configured.bootstrapToken ?? secrets.bootstrapToken,
    providerSecret: configured.providerSecret ?? secrets.providerSecret,
  };
}
