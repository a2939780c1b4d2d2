import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { listTemplatesWorkflow } from '../../../workflows/templates';
import { authOf } from '../auth';

/** The account's approved WhatsApp templates, for reaching customers outside the 24-hour window. */
export function templatesRouter(temporal: Client, taskQueue: string): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const templates = await temporal.workflow.execute(listTemplatesWorkflow, {
      workflowId: `templates:${authOf(res).orgId}:${randomUUID()}`,
      taskQueue,
      workflowExecutionTimeout: '30 seconds',
    });
    res.json({ templates });
  });
  return r;
}
