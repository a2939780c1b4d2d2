import { count } from 'drizzle-orm';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey } from '../src/api/api-keys';
import type { Db } from '../src/db/database';
import { createChannel } from '../src/db/queries/channel-queries';
import {
  createBrand,
  createDepartment,
  createOperator,
  createOrgWithAdminKey,
  setPresence,
} from '../src/db/queries/directory-queries';
import { adoptExistingNumber } from '../src/db/queries/number-queries';
import { saveSubaccount, subaccountState } from '../src/db/queries/subaccount-queries';
import { post } from '../src/db/queries/wallet-queries';
import { orgs } from '../src/db/schema';
import { pointsToCredits } from '../src/domain/money';
import type { TenantAccounts } from '../src/providers/twilio/sealed-credentials';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { findOrCreateSubaccount } from '../src/providers/twilio/twilio-subaccounts';

export const DEMO_NUMBER = '+15550100001';
const DEMO_POINTS = 10;

export interface DemoKeys {
  orgId: string;
  adminKey: string;
  operatorKey: string;
  number: string;
}

/**
 * On the first start of an empty database: an organisation with a brand, a department, an
 * available operator, a live demo number and 10 points, so a new user can play a conversation at once.
 * The keys are kept in the (local, git-ignored) data directory because they are shown only once.
 */
export async function ensureDemoOrg(
  db: Db,
  dataDir: string,
): Promise<{ keys: DemoKeys; created: boolean } | undefined> {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) return { keys: JSON.parse(readFileSync(file, 'utf8')) as DemoKeys, created: false };
  const [existing] = await db.select({ n: count() }).from(orgs);
  if ((existing?.n ?? 0) > 0) return undefined;
  const adminKey = generateApiKey('admin');
  const operatorKey = generateApiKey('operator');
  const { org, apiKeyId } = await createOrgWithAdminKey(db, 'Demo Shop', adminKey.stored);
  await createChannel(db, org.id, { termsVersion: 'demo', keyId: apiKeyId });
  const brand = await createBrand(db, org.id, 'Demo Shop');
  const dept = await createDepartment(db, org.id, 'Customer Care', [brand.id]);
  const operator = { name: 'Dana Operator', email: 'dana@demo.test', departmentIds: [dept.id] };
  const op = await createOperator(db, org.id, operator, operatorKey.stored);
  await setPresence(db, org.id, op.id, 'available');
  await adoptExistingNumber(db, { orgId: org.id, e164: DEMO_NUMBER, brandId: brand.id, departmentId: dept.id });
  // Points to try replies with; an adjustment, so the demo needs no card.
  await db.transaction((tx) =>
    post(tx, {
      orgId: org.id,
      kind: 'adjustment',
      credits: pointsToCredits(DEMO_POINTS),
      idempotencyKey: `demo-grant:${org.id}`,
    }),
  );
  const keys: DemoKeys = { orgId: org.id, adminKey: adminKey.key, operatorKey: operatorKey.key, number: DEMO_NUMBER };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return { keys, created: true };
}

/**
 * The demo organisation's own subaccount in the emulator, made as the subaccount workflow would (the demo
 * org is made before the worker runs), on its first start or the first after an older version's data.
 */
export async function ensureDemoSubaccount(
  db: Db,
  twilio: { main: TwilioClient; subaccounts: TenantAccounts },
  orgId: string,
): Promise<string> {
  const kept = (await subaccountState(db, orgId))?.account;
  if (kept) return kept.accountSid;
  const made = await findOrCreateSubaccount(twilio.main, orgId);
  const authTokenSealed = twilio.subaccounts.seal(made.accountSid, made.authToken);
  await saveSubaccount(db, orgId, { accountSid: made.accountSid, authTokenSealed });
  return made.accountSid;
}
