import { seal, unseal } from '../sealing';
import type { TwilioAccount } from './twilio-account';

/** A tenant's subaccount as the database keeps it: its SID and its auth token, sealed. */
export interface StoredSubaccount {
  accountSid: string;
  authTokenSealed: string;
}

/**
 * Seals and opens tenants' subaccounts with one key (AES-256-GCM, bound to the SID: see sealing.ts);
 * opened accounts reach Twilio (or the emulator) as configured.
 */
export function tenantAccounts(key: Buffer, apiBaseUrl?: string) {
  return {
    seal: (accountSid: string, authToken: string) => seal(key, accountSid, authToken),
    open: (stored: StoredSubaccount): TwilioAccount => ({
      accountSid: stored.accountSid,
      authToken: unseal(key, stored.accountSid, stored.authTokenSealed),
      apiBaseUrl,
    }),
  };
}

export type TenantAccounts = ReturnType<typeof tenantAccounts>;
