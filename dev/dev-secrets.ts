import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../src/config';

/** What `npm start` and `npm run stack` make up when not configured. */
export interface DevSecrets {
  bootstrapToken: string;
  providerSecret: string;
  /** SWITCHBOARD_SECRETS_KEY in base64: the subaccounts' tokens in the database open only with it. */
  secretsKey: string;
  /** ONBOARDING_DESK_TOKEN of the emulator's onboarding desk. */
  deskToken: string;
}

const MAKERS: Record<keyof DevSecrets, () => string> = {
  bootstrapToken: () => randomBytes(18).toString('base64url'),
  providerSecret: () => randomBytes(18).toString('base64url'),
  secretsKey: () => randomBytes(32).toString('base64'),
  deskToken: () => randomBytes(18).toString('base64url'),
};

/**
 * The secrets `npm start` uses when they are not configured, made up once and kept in the (git-ignored)
 * data directory, so they survive restarts and scripts can read them. Configured values win and are never
 * written down.
 */
export function devSecrets(dataDir: string, configured: Partial<DevSecrets>): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  const kept = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Partial<DevSecrets>;
  const secrets = { ...MAKERS } as unknown as DevSecrets;
  const used = { ...secrets };
  for (const name of Object.keys(MAKERS) as (keyof DevSecrets)[]) {
    secrets[name] = kept[name] || MAKERS[name]();
    used[name] = configured[name] ?? secrets[name];
  }
  if ((Object.keys(MAKERS) as (keyof DevSecrets)[]).some((n) => !configured[n] && secrets[n] !== kept[n])) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return used;
}

/** The secrets as configured where they are, made up (and kept) where not. */
export const devSecretsFor = (dataDir: string, config: Config): DevSecrets =>
  devSecrets(dataDir, {
    bootstrapToken: config.SWITCHBOARD_BOOTSTRAP_TOKEN,
    providerSecret: config.SWITCHBOARD_PROVIDER_SECRET,
    secretsKey: config.SWITCHBOARD_SECRETS_KEY?.toString('base64'),
    deskToken: config.ONBOARDING_DESK_TOKEN,
  });
