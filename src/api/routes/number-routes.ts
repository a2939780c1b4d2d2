import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { adoptExistingNumber, numberOfOrg, setBrandSwitch, updateNumber } from '../../db/queries/number-queries';
import { wakeBrandOnNumber } from '../../workflow-client/queue-waker';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { checkAssociation, requireConsent } from '../channel-guards';
import { ifDuplicate } from '../error-responses';
import { pageQuery } from '../page-query';
import { closeLimit, e164, idParam, uuid } from '../request-schemas';
import { numberViewById, numbersPageView } from '../views/number-view';

const existingBody = z.object({ phoneNumber: e164, brandId: uuid, departmentId: uuid });
const associationBody = z.object({ brandId: uuid, departmentId: uuid });
const limitsBody = z
  .object({
    chatCloseLimitSeconds: closeLimit('chatCloseLimitSeconds').nullable().optional(),
    idleCloseSeconds: closeLimit('idleCloseSeconds').nullable().optional(),
  })
  .strict();

/** F10/F12/F13/F15: the organisation's numbers, where their chats go, and their brands' switches. */
export function numbersRouter(db: Db, temporal: Client): Router {
  const r = Router();
  r.use(requireAdmin);

  // Existing integrations keep working: a sender already live on the Twilio account is adopted as is.
  r.post('/existing', async (req, res) => {
    const { orgId } = authOf(res);
    const { phoneNumber, brandId, departmentId } = parse(existingBody, req.body);
    await requireConsent(db, orgId);
    await checkAssociation(db, orgId, brandId, departmentId);
    const taken = new ApiError(409, 'number_already_registered', `${phoneNumber} is already registered`);
    const number = await adoptExistingNumber(db, { orgId, e164: phoneNumber, brandId, departmentId }).catch(
      ifDuplicate(taken),
    );
    res.status(201).json({ number });
  });

  // Overrides of the organisation's close limits for one number (null: inherit again).
  r.patch('/:id/limits', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    const number = await updateNumber(db, authOf(res).orgId, id, parse(limitsBody, req.body));
    if (!number) throw notFound('Number');
    res.json({ number });
  });

  // F10: new conversations on the number go to this brand and department.
  r.put('/:id/association', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(associationBody, req.body);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const number = await updateNumber(db, orgId, id, body);
    if (!number) throw notFound('Number');
    res.json({ number, appliesTo: 'conversations that start from now on' });
  });

  // F15: switching a brand off keeps recording its customers' messages but routes none of them.
  r.patch('/:id/brands/:brandId', async (req, res) => {
    const { id, brandId } = parse(z.object({ id: uuid, brandId: uuid }), req.params, 'path');
    const { enabled } = parse(z.object({ enabled: z.boolean() }), req.body);
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
