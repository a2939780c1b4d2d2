import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TwilioAccount } from './twilio-account';

/** A tenant's subaccount as the database keeps it: its SID and its auth token, sealed. */
export interface StoredSubaccount {
  accountSid: string;
  authTokenSealed: string;
}

/** The configured key does not open what is stored: it was changed, or the row was tampered with. */
export class SealedCredentialError extends Error {
  override readonly name = 'SealedCredentialError';
}

const FORMAT = 'v1';

/**
 * Seals an auth token for the database with AES-256-GCM under SWITCHBOARD_SECRETS_KEY. The account SID is
 * the additional data, so a sealed token copied onto another account's row does not open there.
 */
export function sealAuthToken(key: Buffer, accountSid: string, authToken: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(accountSid));
  const sealed = Buffer.concat([cipher.update(authToken, 'utf8'), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), sealed]
    .map((part) => (Buffer.isBuffer(part) ? part.toString('base64') : part))
    .join('.');
}

export function openAuthToken(key: Buffer, stored: StoredSubaccount): string {
  const [format, iv, tag, sealed] = stored.authTokenSealed.split('.');
  try {
    if (format !== FORMAT || !iv || !tag || !sealed) throw new Error(`unknown format ${format}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
      .setAAD(Buffer.from(stored.accountSid))
      .setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedCredentialError(
      `SWITCHBOARD_SECRETS_KEY does not open the stored auth token of ${stored.accountSid}: was the key changed?`,
    );
  }
}

/** Seals and opens tenants' subaccounts with one key; opened accounts reach Twilio (or the emulator) as configured. */
export function tenantAccounts(key: Buffer, apiBaseUrl?: string) {
  return {
    seal: (accountSid: string, authToken: string) => sealAuthToken(key, accountSid, authToken),
    open: (stored: StoredSubaccount): TwilioAccount => ({
      accountSid: stored.accountSid,
      authToken: openAuthToken(key, stored),
      apiBaseUrl,
    }),
  };
}

export type TenantAccounts = ReturnType<typeof tenantAccounts>;
