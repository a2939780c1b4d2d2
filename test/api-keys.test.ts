import { describe, expect, it } from 'vitest';
import { createOrg, type Org } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

const keysOf = async (org: Org) =>
  (await h.request('GET', '/v1/api-keys', { key: org.adminKey })).body.apiKeys as any[];
const works = async (key: string) => (await h.request('GET', '/v1/conversations', { key })).status;

describe('API keys an admin manages', () => {
  it("issues an operator's key shown once, and lists every key by prefix and last use, never the key", async () => {
    const org = await createOrg(h);
    const issued = await h.request('POST', '/v1/api-keys', {
      key: org.adminKey,
      body: { role: 'operator', operatorId: org.operatorId },
    });
    expect(issued.status).toBe(201);
    const { id, key, prefix } = issued.body.apiKey;
    expect(key.startsWith(prefix)).toBe(true);
    expect((await keysOf(org)).find((k) => k.id === id)).toMatchObject({ role: 'operator', lastUsedAt: null });

    expect(await works(key)).toBe(200);
    const listed = await keysOf(org);
    expect(listed.find((k) => k.id === id).lastUsedAt).not.toBeNull();
    expect(listed.map((k) => k.role).sort()).toEqual(['admin', 'operator', 'operator']);
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it('revokes a key at once, and rotates one: the successor works for the same holder, the old key no more', async () => {
    const org = await createOrg(h);
    const spare = await h.request('POST', '/v1/api-keys', { key: org.adminKey, body: { role: 'admin' } });
    expect((await h.request('DELETE', `/v1/api-keys/${spare.body.apiKey.id}`, { key: org.adminKey })).status).toBe(204);
    expect(await works(spare.body.apiKey.key)).toBe(401);

    const operatorKeyId = (await keysOf(org)).find((k) => k.role === 'operator').id;
    const rotated = await h.request('POST', `/v1/api-keys/${operatorKeyId}/rotate`, { key: org.adminKey });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      replaces: operatorKeyId,
      apiKey: { role: 'operator', operatorId: org.operatorId },
    });
    expect([await works(org.operatorKey), await works(rotated.body.apiKey.key)]).toEqual([401, 200]);
    const again = await h.request('POST', `/v1/api-keys/${operatorKeyId}/rotate`, { key: org.adminKey });
    expect(again.status).toBe(404);
  });

  // Rotating it is refused too: had the answer carrying its successor been lost, nobody could administer the organisation.
  it("refuses to revoke or rotate the organisation's last admin key, and rotates it once there is another", async () => {
    const org = await createOrg(h);
    const adminKeyId = (await keysOf(org)).find((k) => k.role === 'admin').id;
    const revoke = await h.request('DELETE', `/v1/api-keys/${adminKeyId}`, { key: org.adminKey });
    const rotate = () => h.request('POST', `/v1/api-keys/${adminKeyId}/rotate`, { key: org.adminKey });
    const refused = await rotate();
    for (const res of [revoke, refused]) expect([res.status, res.body.error.code]).toEqual([409, 'last_admin_key']);
    expect(await works(org.adminKey)).toBe(200);

    await h.request('POST', '/v1/api-keys', { key: org.adminKey, body: { role: 'admin' } });
    const rotated = await rotate();
    expect(rotated.status).toBe(201);
    expect([await works(org.adminKey), await works(rotated.body.apiKey.key)]).toEqual([401, 200]);
  });

  it("refuses operators (403), another organisation's keys (404) and an operator of another organisation (404)", async () => {
    const org = await createOrg(h);
    const other = await createOrg(h, { name: 'Other' });
    const asOperator = await h.request('GET', '/v1/api-keys', { key: org.operatorKey });
    expect(asOperator.status).toBe(403);
    const theirKeyId = (await keysOf(other)).find((k) => k.role === 'admin').id;
    const foreign = await h.request('DELETE', `/v1/api-keys/${theirKeyId}`, { key: org.adminKey });
    expect(foreign.status).toBe(404);
    const theirOperator = await h.request('POST', '/v1/api-keys', {
      key: org.adminKey,
      body: { role: 'operator', operatorId: other.operatorId },
    });
    expect(theirOperator.status).toBe(404);
    expect(await works(other.adminKey)).toBe(200);
  });
});
