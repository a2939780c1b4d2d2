import { and, eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { createDepartment, createOperator, unknownBrands, unknownDepartments } from '../../db/queries/directory-queries';
import { brands, departments, operatorDepartments, operators } from '../../db/schema';
import { unansweredOpenConversations } from '../../db/queries/conversation-queries';
import { wakeQueue } from '../../workflow-client/queue-waker';
import { requeueSignal } from '../../../workflows/conversation-workflow';
import { authOf, requireAdmin } from '../auth';
import { ApiError, isUniqueViolation, notFound, parse } from '../api-errors';
import { idParam, name, uuid } from '../request-schemas';

const brandBody = z.object({ name });
const departmentBody = z.object({ name, brandIds: z.array(uuid).min(1, 'link at least one brand').max(50) });
const operatorBody = z.object({
  name,
  email: z.email().max(254),
  departmentIds: z.array(uuid).min(1, 'put the operator in at least one department').max(50),
  maxConcurrentChats: z.number().int().min(1).max(100).optional(),
});
const presenceBody = z.object({ status: z.enum(['available', 'away', 'offline']) });

function conflictOnDuplicate(what: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw new ApiError(409, 'already_exists', `${what} already exists in this organisation`);
    throw err;
  };
}

export function directoryRouter(db: Db, temporal: Client): Router {
  const r = Router();

  r.post('/brands', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(brandBody, req.body);
    const [brand] = await db.insert(brands).values({ orgId, name: body.name }).returning().catch(conflictOnDuplicate(`A brand named "${body.name}"`));
    res.status(201).json({ brand });
  });

  r.get('/brands', requireAdmin, async (_req, res) => {
    res.json({ brands: await db.select().from(brands).where(eq(brands.orgId, authOf(res).orgId)) });
  });

  r.post('/departments', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(departmentBody, req.body);
    const unknown = await unknownBrands(db, orgId, body.brandIds);
    if (unknown.length) throw new ApiError(404, 'brand_not_found', `Unknown brand(s): ${unknown.join(', ')}`);
    const department = await createDepartment(db, orgId, body.name, [...new Set(body.brandIds)]).catch(
      conflictOnDuplicate(`A department named "${body.name}"`),
    );
    res.status(201).json({ department });
  });

  r.get('/departments', requireAdmin, async (_req, res) => {
    res.json({ departments: await db.select().from(departments).where(eq(departments.orgId, authOf(res).orgId)) });
  });

  r.post('/operators', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(operatorBody, req.body);
    const departmentIds = [...new Set(body.departmentIds)];
    const unknown = await unknownDepartments(db, orgId, departmentIds);
    if (unknown.length) throw new ApiError(404, 'department_not_found', `Unknown department(s): ${unknown.join(', ')}`);
    const created = await createOperator(db, orgId, { ...body, departmentIds }).catch(
      conflictOnDuplicate(`An operator with e-mail ${body.email}`),
    );
    res.status(201).json(created);
  });

  r.get('/operators', requireAdmin, async (_req, res) => {
    res.json({ operators: await db.select().from(operators).where(eq(operators.orgId, authOf(res).orgId)) });
  });

  r.put('/operators/:id/presence', async (req, res) => {
    const auth = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const { status } = parse(presenceBody, req.body);
    if (auth.role !== 'admin' && auth.operatorId !== id) {
      throw new ApiError(403, 'forbidden', 'Operators can only change their own presence');
    }
    const [op] = await db
      .update(operators)
      .set({ presence: status })
      .where(and(eq(operators.id, id), eq(operators.orgId, auth.orgId)))
      .returning();
    if (!op) throw notFound('Operator');
    // Available: their departments' queues may move. Offline: chats they never answered go back to the queue.
    if (status === 'available') {
      const depts = await db.select({ id: operatorDepartments.departmentId }).from(operatorDepartments).where(eq(operatorDepartments.operatorId, id));
      await wakeQueue(temporal, db, depts.map((d) => d.id));
    } else if (status === 'offline') {
      const unanswered = await unansweredOpenConversations(db, id);
      await Promise.all(unanswered.map((c) => temporal.workflow.getHandle(c.workflow_id).signal(requeueSignal)));
    }
    res.json({ operator: op });
  });

  return r;
}
