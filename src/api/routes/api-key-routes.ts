import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { addApiKey, apiKeyOf, apiKeysPage, revokeApiKey, type ApiKey } from '../../db/queries/api-key-queries';
import { operatorInOrg } from '../../db/queries/directory-queries';
import { generateApiKey } from '../api-keys';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { pageQuery } from '../page-query';
import { idParam } from '../request-schemas';

const uuid = z.uuid();
export const keyBody = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin') }).strict(),
  z.object({ role: z.literal('operator'), operatorId: uuid }).strict(),
]);

/** Everything about a key but the key: it is shown once, when issued, and only its digest is kept. */
const keyView = ({ id, role, operatorId, keyPrefix, createdAt, lastUsedAt, revokedAt }: ApiKey) => {
  return { id, role, operatorId, prefix: keyPrefix, createdAt, lastUsedAt, revokedAt };
};

const lastAdminKey = () =>
  new ApiError(
    409,
    'last_admin_key',
    "This is the organisation's last admin key: issue another admin key first, then revoke or rotate this one",
  );

/** Admins issue, list, revoke and rotate their organisation's API keys. */
export function apiKeysRouter(db: Db): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/', async (req, res) => {
    const { items, nextCursor } = await apiKeysPage(db, authOf(res).orgId, parse(pageQuery, req.query, 'query'));
    res.json({ apiKeys: items.map(keyView), nextCursor });
  });

  r.post('/', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(keyBody, req.body);
    const operatorId = body.role === 'operator' ? body.operatorId : null;
    if (operatorId && !(await operatorInOrg(db, orgId, operatorId))) throw notFound('Operator');
    const { key, stored } = generateApiKey(body.role);
    const row = await addApiKey(db, { orgId, role: body.role, operatorId }, stored);
    res.status(201).json({ apiKey: { ...keyView(row), key } });
  });

  r.delete('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    const { outcome } = await revokeApiKey(db, authOf(res).orgId, id);
    if (outcome === 'not_found') throw notFound('Active API key');
    if (outcome === 'last_admin_key') throw lastAdminKey();
    res.status(204).end();
  });

  // A new key for the same holder; the old one stops working at once.
  r.post('/:id/rotate', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const old = await apiKeyOf(db, orgId, id);
    if (!old) throw notFound('Active API key');
    const { key, stored } = generateApiKey(old.role);
    const { outcome, successor } = await revokeApiKey(db, orgId, id, stored);
    if (outcome === 'last_admin_key') throw lastAdminKey();
    if (outcome !== 'revoked' || !successor) throw notFound('Active API key');
    res.status(201).json({ apiKey: { ...keyView(successor), key }, replaces: id });
  });

  return r;
}
