import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { createOrgWithAdminKey } from '../../db/queries/directory-queries';
import { generateApiKey } from '../api-keys';
import { requireBootstrapToken } from '../auth';
import { parse } from '../api-errors';
import { name } from '../request-schemas';

export const orgBody = z.object({ name });

export function orgsRouter(db: Db, bootstrapToken: string | undefined): Router {
  const r = Router();
  r.post('/', requireBootstrapToken(bootstrapToken), async (req, res) => {
    const body = parse(orgBody, req.body);
    const adminKey = generateApiKey('admin');
    const { org } = await createOrgWithAdminKey(db, body.name, adminKey.stored);
    res.status(201).json({ org, apiKey: { key: adminKey.key, role: 'admin' } });
  });
  return r;
}
