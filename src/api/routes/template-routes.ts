import { Router } from 'express';
import type { Db } from '../../db/database';
import type { TenantAccounts } from '../../providers/twilio/sealed-credentials';
import { createTwilioCatalog } from '../../providers/twilio/twilio-catalog';
import { authOf } from '../auth';
import { requireTwilioAccount } from '../channel-guards';

/** The organisation's approved WhatsApp templates (its own subaccount's), for reaching customers after 24 hours. */
export function templatesRouter(db: Db, accounts: TenantAccounts): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const account = await requireTwilioAccount(db, accounts, authOf(res).orgId);
    res.json({ templates: await createTwilioCatalog(account).listApprovedTemplates() });
  });
  return r;
}
