import type { Db } from '../src/db/database';
import { tenantAccounts } from '../src/providers/twilio/sealed-credentials';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';
import type { OnStop } from '../src/run-until-signal';
import { DEMO_NUMBER, ensureDemoOrg, ensureDemoSubaccount } from './demo-org';
import { emulatedTenants } from './emulated-tenants';
import { startTwilioEmulator } from './emulator/twilio-emulator';

const EMULATOR_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const EMULATOR_AUTH_TOKEN = 'emulator-auth-token-not-secret';

/**
 * `npm start` without Twilio credentials: the emulator as the main account, knowing again every subaccount
 * and number the database has (it keeps nothing itself), and on a first start the demo organisation with its
 * own subaccount and number.
 */
export async function startDemoTwilio(
  db: Db,
  opts: { dataDir: string; port: number; publicBaseUrl: string; secretsKey: Buffer; deskToken: string },
  onStop: OnStop,
) {
  const emulator = await startTwilioEmulator({
    accountSid: EMULATOR_ACCOUNT_SID,
    authToken: EMULATOR_AUTH_TOKEN,
    deskToken: opts.deskToken,
    port: opts.port,
    inboundWebhookUrl: `${opts.publicBaseUrl}/webhooks/twilio/messages`,
    ...(await emulatedTenants(db, tenantAccounts(opts.secretsKey))),
  });
  onStop(emulator.close);
  const main = { accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulator.url };
  const demo = await ensureDemoOrg(db, opts.dataDir);
  if (demo) {
    const subaccounts = tenantAccounts(opts.secretsKey, emulator.url);
    const accountSid = await ensureDemoSubaccount(db, { main: createTwilioClient(main), subaccounts }, demo.keys.orgId);
    emulator.addNumber(DEMO_NUMBER, { whatsappSender: true, accountSid });
  }
  const onboardingDesk = { url: `${emulator.url}/onboarding/v1/AccessRequests`, token: opts.deskToken };
  return { emulatorUrl: emulator.url, main, demo, onboardingDesk };
}
