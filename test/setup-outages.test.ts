import { describe, expect, it } from 'vitest';
import { degradedApp } from './helpers/degraded-app';
import { createOrg } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

const consent = { acceptIntermediaryTerms: true, termsVersion: '2026-11' };

// What an admin sets up while Temporal is down answers 503, and the retry the answer asks for completes it.
describe('setting up while Temporal is unreachable', () => {
  it("answers consent 503, and the retry makes the organisation's subaccount", async () => {
    const org = await createOrg(h);
    const { app, close } = await degradedApp(h, 'temporal');
    const down = await app.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    await close();
    expect([down.status, down.body.error.code, down.body.error.dependency]).toEqual([
      503,
      'temporarily_unavailable',
      'temporal',
    ]);
    const retried = await h.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    expect([retried.status, retried.body.channel.twilioAccount.status]).toEqual([200, 'active']);
  });

  it('registers no webhook endpoint: 503, and the retry makes the one endpoint there is', async () => {
    const org = await createOrg(h);
    const body = { url: 'https://93.184.215.14/hooks' };
    const { app, close } = await degradedApp(h, 'temporal');
    const down = await app.request('POST', '/v1/webhook-endpoints', { key: org.adminKey, body });
    await close();
    expect([down.status, down.body.error.dependency]).toEqual([503, 'temporal']);
    const retried = await h.request('POST', '/v1/webhook-endpoints', { key: org.adminKey, body });
    expect(retried.status).toBe(201);
    const listed = await h.request('GET', '/v1/webhook-endpoints', { key: org.adminKey });
    expect(listed.body.endpoints.map((e: { id: string }) => e.id)).toEqual([retried.body.endpoint.id]);
  });
});
