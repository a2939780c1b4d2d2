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
    res.status(201).json(await createOrgWithAdminKey(db, body.name));
  });
  return r;
}
