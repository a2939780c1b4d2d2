import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import {
  brandsPage,
  createBrand,
  createDepartment,
  createOperator,
  departmentsPage,
  operatorsPage,
  setPresence,
  unknownBrands,
  unknownDepartments,
} from '../../db/queries/directory-queries';
import { lockAssignments } from '../../db/queries/conversation-queries';
import { requeueUnanswered, wakeOperatorQueues } from '../../workflow-client/queue-waker';
import { ApiError, notFound, parse } from '../api-errors';
import { generateApiKey } from '../api-keys';
import { authOf, requireAdmin } from '../auth';
import { ifDuplicate } from '../error-responses';
import { pageQuery } from '../page-query';
import { idParam, name, uuid } from '../request-schemas';

export const brandBody = z.object({ name });
export const departmentBody = z.object({ name, brandIds: z.array(uuid).min(1, 'link at least one brand').max(50) });
export const operatorBody = z.object({
  name,
  email: z.email().max(254),
  departmentIds: z.array(uuid).min(1, 'put the operator in at least one department').max(50),
  maxConcurrentChats: z.number().int().min(1).max(100).optional(),
});
export const presenceBody = z.object({ status: z.enum(['available', 'away', 'offline']) });

const alreadyExists = (what: string) =>
  ifDuplicate(new ApiError(409, 'already_exists', `${what} already exists in this organisation`));

/** Brands, departments and operators (admin), and each operator's presence (admin or that operator). */
export function directoryRouter(db: Db, temporal: Client): Router {
  const r = Router();

  r.post('/brands', requireAdmin, async (req, res) => {
    const body = parse(brandBody, req.body);
    const brand = await createBrand(db, authOf(res).orgId, body.name).catch(
      alreadyExists(`A brand named "${body.name}"`),
    );
    res.status(201).json({ brand });
  });

  r.get('/brands', requireAdmin, async (req, res) => {
    const { items, nextCursor } = await brandsPage(db, authOf(res).orgId, parse(pageQuery, req.query, 'query'));
    res.json({ brands: items, nextCursor });
  });

  r.post('/departments', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(departmentBody, req.body);
    const unknown = await unknownBrands(db, orgId, body.brandIds);
    if (unknown.length) throw new ApiError(404, 'brand_not_found', `Unknown brand(s): ${unknown.join(', ')}`);
    const department = await createDepartment(db, orgId, body.name, [...new Set(body.brandIds)]).catch(
      alreadyExists(`A department named "${body.name}"`),
    );
    res.status(201).json({ department });
  });

  r.get('/departments', requireAdmin, async (req, res) => {
    const { items, nextCursor } = await departmentsPage(db, authOf(res).orgId, parse(pageQuery, req.query, 'query'));
    res.json({ departments: items, nextCursor });
  });

  r.post('/operators', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(operatorBody, req.body);
    const departmentIds = [...new Set(body.departmentIds)];
    const unknown = await unknownDepartments(db, orgId, departmentIds);
    if (unknown.length) throw new ApiError(404, 'department_not_found', `Unknown department(s): ${unknown.join(', ')}`);
    const key = generateApiKey('operator');
    const operator = await createOperator(db, orgId, { ...body, departmentIds }, key.stored).catch(
      alreadyExists(`An operator with e-mail ${body.email}`),
    );
    res.status(201).json({ operator, apiKey: { key: key.key, role: 'operator' } });
  });

  r.get('/operators', requireAdmin, async (req, res) => {
    const { items, nextCursor } = await operatorsPage(db, authOf(res).orgId, parse(pageQuery, req.query, 'query'));
    res.json({ operators: items, nextCursor });
  });

  r.put('/operators/:id/presence', async (req, res) => {
    const auth = authOf(res);
    // Who may is decided before the request is read: another operator learns nothing from its body.
    if (auth.role !== 'admin' && auth.operatorId !== req.params.id) {
      throw new ApiError(403, 'forbidden', 'Operators can only change their own presence');
    }
    const { id } = parse(idParam, req.params, 'path');
    const { status } = parse(presenceBody, req.body);
    // Going offline hands the operator's unanswered chats back, in one transaction holding the organisation's
    // assignment lock: none is assigned to them meanwhile, and if Temporal cannot be told, nothing changes (503).
    const operator = await db.transaction(async (tx) => {
      if (status === 'offline') await lockAssignments(tx, auth.orgId);
      const changed = await setPresence(tx, auth.orgId, id, status);
      if (changed && status === 'offline') await requeueUnanswered(temporal, tx, id);
      return changed;
    });
    if (!operator) throw notFound('Operator');
    // Available: their departments' queues may move (a missed wake is caught by the waiting chats' own retry).
    if (status === 'available') await wakeOperatorQueues(temporal, db, id);
    res.json({ operator });
  });

  return r;
}
