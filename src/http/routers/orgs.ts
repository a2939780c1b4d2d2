import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { createOrgWithAdminKey } from '../../db/queries/directory';
import { requireBootstrapToken } from '../auth';
import { parse } from '../errors';
import { name } from '../schemas';

export function orgsRouter(db: Db, bootstrapToken: string | undefined): Router {
  const r = Router();
  r.post('/', requireBootstrapToken(bootstrapToken), async (req, res) => {
    const body = parse(z.object({ name }), req.body);
    const { org, apiKey } = await createOrgWithAdminKey(db, body.name);
    res.status(201).json({ org, apiKey });
  });
  return r;
}
