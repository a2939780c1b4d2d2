import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { adoptExistingNumber, numberOfOrg, setBrandSwitch, updateNumber } from '../../db/queries/number-queries';
import type { TenantAccounts } from '../../providers/twilio/sealed-credentials';
import { createTwilioCatalog } from '../../providers/twilio/twilio-catalog';
import { wakeBrandOnNumber } from '../../workflow-client/queue-waker';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { checkAssociation, requireTwilioAccount } from '../channel-guards';
import { ifDuplicate } from '../error-responses';
import { pageQuery } from '../page-query';
import { closeLimit, e164, idParam, uuid } from '../request-schemas';
import { numberViewById, numbersPageView } from '../views/number-view';

export const existingBody = z.object({ phoneNumber: e164, brandId: uuid, departmentId: uuid });
export const associationBody = z.object({ brandId: uuid, departmentId: uuid });
export const limitsBody = z
  .object({
    chatCloseLimitSeconds: closeLimit('chatCloseLimitSeconds').nullable().optional(),
    idleCloseSeconds: closeLimit('idleCloseSeconds').nullable().optional(),
  })
  .strict();

export const brandSwitchParams = z.object({ id: uuid, brandId: uuid });
export const brandSwitchBody = z.object({ enabled: z.boolean() });

/** F10/F12/F13/F15: the organisation's numbers, where their chats go, and their brands' switches. */
export function numbersRouter(db: Db, temporal: Client, accounts: TenantAccounts): Router {
  const r = Router();
  r.use(requireAdmin);

  // Existing integrations keep working: a sender already ONLINE on the organisation's own subaccount is
  // adopted as is. Only Twilio's word that it is there proves the number is the organisation's to route.
  r.post('/existing', async (req, res) => {
    const { orgId } = authOf(res);
    const { phoneNumber, brandId, departmentId } = parse(existingBody, req.body);
    const account = await requireTwilioAccount(db, accounts, orgId);
    await checkAssociation(db, orgId, brandId, departmentId);
    const sender = await createTwilioCatalog(account).senderOf(phoneNumber);
    if (!sender) {
      const why = `${phoneNumber} is not a WhatsApp sender of this organisation's Twilio account (${account.accountSid}): move it there, or buy a number`;
      throw new ApiError(404, 'sender_not_found', why);
    }
    if (sender.status !== 'ONLINE') {
      const why = `The WhatsApp sender of ${phoneNumber} is ${sender.status}; it can be adopted once it is ONLINE`;
      throw new ApiError(409, 'sender_not_online', why, { senderStatus: sender.status });
    }
    const taken = new ApiError(409, 'number_already_registered', `${phoneNumber} is already registered`);
    const adopted = { orgId, e164: phoneNumber, brandId, departmentId, senderSid: sender.sid };
    const number = await adoptExistingNumber(db, adopted).catch(ifDuplicate(taken));
    res.status(201).json({ number: await numberViewById(db, number.id) });
  });

  // Overrides of the organisation's close limits for one number (null: inherit again).
  r.patch('/:id/limits', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    const number = await updateNumber(db, authOf(res).orgId, id, parse(limitsBody, req.body));
    if (!number) throw notFound('Number');
    res.json({ number: await numberViewById(db, number.id) });
  });

  // F10: new conversations on the number go to this brand and department.
  r.put('/:id/association', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(associationBody, req.body);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const number = await updateNumber(db, orgId, id, body);
    if (!number) throw notFound('Number');
    res.json({ number: await numberViewById(db, number.id), appliesTo: 'conversations that start from now on' });
  });

  // F15: switching a brand off keeps recording its customers' messages but routes none of them.
  r.patch('/:id/brands/:brandId', async (req, res) => {
    const { id, brandId } = parse(brandSwitchParams, req.params, 'path');
    const { enabled } = parse(brandSwitchBody, req.body);
    const number = await numberOfOrg(db, authOf(res).orgId, id);
    if (!number) throw notFound('Number');
    if (number.brandId !== brandId)
      throw new ApiError(404, 'brand_not_on_number', 'This brand is not associated with the number');
    await setBrandSwitch(db, id, brandId, enabled);
    if (enabled) await wakeBrandOnNumber(temporal, db, id, brandId);
    res.json({ brands: (await numberViewById(db, id)).brands });
  });

  r.get('/', async (req, res) => {
    res.json(await numbersPageView(db, authOf(res).orgId, parse(pageQuery, req.query, 'query')));
  });

  return r;
}
