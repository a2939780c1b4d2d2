import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp, type AppDeps } from '../src/api/app';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createOrg } from './helpers/fixtures';
import { requestTo, SECRETS_KEY, useFixture, useHarness, type ApiResponse } from './helpers/use-harness';

const h = useHarness();
const org = useFixture(() => createOrg(h));

/** The file's API again with the limits (proxy trust, database) a test gives it: a handful of requests reach them. */
async function appWith(deps: Partial<AppDeps>) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = { db: h.database.db, sql: h.database.sql, temporal: h.temporal, taskQueue: h.taskQueue };
  const twilio = h.subaccounts;
  const app = { ...base, logger: createLogger('silent'), publicBaseUrl: url, twilio, secretsKey: SECRETS_KEY };
  server.on('request', createApp({ ...app, ...deps }));
  /** A visitor's request, from `from` when the app trusts the loopback proxy that says so. */
  return (method: 'GET' | 'POST', session: { id: string; token: string }, from?: string) =>
    requestTo(url, method, `/v1/visitor-sessions/${session.id}/messages`, {
      key: session.token,
      body: method === 'POST' ? { body: `hello ${randomUUID()}` } : undefined,
      headers: from ? { 'x-forwarded-for': from } : {},
      checkDocumented: true,
    });
}

async function newSession() {
  const res = await h.request('POST', '/v1/visitor-sessions', {
    key: org.adminKey,
    body: { channel: 'web', brandId: org.brandId, departmentId: org.departmentId },
  });
  expect(res.status).toBe(201);
  return { id: res.body.session.id as string, token: res.body.visitorToken as string };
}

const bogus = (session: { id: string }) => ({ id: session.id, token: `sb_vis_${randomUUID()}` });

/** Our JSON error and a Retry-After within the minute the counts are kept for. */
function expectTooManyRequests(res: ApiResponse, limited: string) {
  expect([res.status, res.body.error.code]).toEqual([429, 'too_many_requests']);
  expect(res.body.error.message).toContain(limited);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
}

const inboundCount = async (sessionId: string) => {
  const [row] = await h.database.sql<{ n: number }[]>`
    select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
    where c.customer_address = ${`visitor:${sessionId}`} and m.direction = 'inbound'`;
  return row!.n;
};

describe('rate limits for web and app visitors', () => {
  it("refuses a session's posts over its limit with 429 and stores nothing; its polls and other sessions go on", async () => {
    const visit = await appWith({ visitorRateLimits: { postsPerSession: 2 } });
    const [busy, other] = [await newSession(), await newSession()];
    expect([(await visit('POST', busy)).status, (await visit('POST', busy)).status]).toEqual([201, 201]);

    expectTooManyRequests(await visit('POST', busy), 'messages posted in this visitor session');
    expect(await inboundCount(busy.id)).toBe(2);
    expect((await visit('GET', busy)).status).toBe(200);
    expect((await visit('POST', other)).status).toBe(201);
  });

  it("refuses a session's polls over its limit with 429; another session still polls", async () => {
    const visit = await appWith({ visitorRateLimits: { pollsPerSession: 2 } });
    const [polling, other] = [await newSession(), await newSession()];
    expect([(await visit('GET', polling)).status, (await visit('GET', polling)).status]).toEqual([200, 200]);

    expectTooManyRequests(await visit('GET', polling), 'polls of this visitor session');
    expect((await visit('GET', other)).status).toBe(200);
  });

  it('counts bad tokens per client address and answers 429 before 401; another address is unaffected', async () => {
    const visit = await appWith({ visitorRateLimits: { requestsPerAddress: 3 }, trustProxy: ['loopback'] });
    const session = await newSession();
    const guesser = '203.0.113.7';
    for (let i = 0; i < 3; i++) expect((await visit('GET', bogus(session), guesser)).status).toBe(401);

    expectTooManyRequests(await visit('GET', bogus(session), guesser), 'visitor requests from this address');
    expectTooManyRequests(await visit('POST', session, guesser), 'visitor requests from this address');
    expect(await inboundCount(session.id)).toBe(0);
    expect((await visit('GET', bogus(session), '198.51.100.9')).status).toBe(401);
    expect((await visit('POST', session, '198.51.100.9')).status).toBe(201);
  });

  it("limits an address before any database query: over the limit it says 429 where the database's outage said 503", async () => {
    const deadDb = openDatabase('postgres://postgres@127.0.0.1:1/none');
    onTestFinished(() => deadDb.close());
    const visit = await appWith({ db: deadDb.db, sql: deadDb.sql, visitorRateLimits: { requestsPerAddress: 1 } });
    const session = await newSession();
    expect((await visit('GET', session)).status).toBe(503);
    expectTooManyRequests(await visit('GET', session), 'visitor requests from this address');
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY trusts the proxy that sent it: a client cannot pick a fresh address', async () => {
    const visit = await appWith({ visitorRateLimits: { requestsPerAddress: 2 } });
    const session = await newSession();
    expect((await visit('GET', session, '203.0.113.1')).status).toBe(200);
    expect((await visit('GET', session, '203.0.113.2')).status).toBe(200);
    expectTooManyRequests(await visit('GET', session, '203.0.113.3'), 'visitor requests from this address');
  });
});
