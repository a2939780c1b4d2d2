import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDesk } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));
const sql = () => h.database.sql;
const tag = () => randomBytes(4).toString('hex');

/** Follows `nextCursor` from the first page until it is null: the ids of each page. */
async function walk(path: string, items: string, limit: number, first: string | null = null) {
  const pages: string[][] = [];
  let cursor = first;
  do {
    const query = `${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await h.request('GET', path + query, { key: desk.adminKey });
    expect(page.status).toBe(200);
    expect(page.body[items].length).toBeLessThanOrEqual(limit);
    expect(page.body).toHaveProperty('nextCursor');
    pages.push(page.body[items].map((row: { id: string }) => row.id));
    cursor = page.body.nextCursor as string | null;
  } while (cursor && pages.length < 100);
  return pages;
}

interface List {
  path: string;
  items: string;
  /** Adds `n` rows in one statement: they share a timestamp to the microsecond (the transaction's `now()`). */
  seed: (n: number) => Promise<unknown>;
  /** The ids in the list's order: its timestamp, then its id. */
  expected: () => Promise<{ id: string }[]>;
}

const org = () => desk.orgId;
const lists: Record<string, List> = {
  brands: {
    path: '/v1/brands',
    items: 'brands',
    seed: (n) => sql()`insert into brands (org_id, name)
      select ${org()}, ${tag()} || g from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from brands where org_id = ${org()} order by created_at, id`,
  },
  departments: {
    path: '/v1/departments',
    items: 'departments',
    seed: (n) => sql()`insert into departments (org_id, name)
      select ${org()}, ${tag()} || g from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from departments where org_id = ${org()} order by created_at, id`,
  },
  operators: {
    path: '/v1/operators',
    items: 'operators',
    seed: (n) => sql()`insert into operators (org_id, name, email)
      select ${org()}, 'Op ' || g, ${tag()} || g || '@acme.test' from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from operators where org_id = ${org()} order by created_at, id`,
  },
  numbers: {
    path: '/v1/whatsapp/numbers',
    items: 'numbers',
    seed: (n) => sql()`insert into phone_numbers (org_id, e164, source, status)
      select ${org()}, '+1202' || lpad((${randomInt(9_000_000)} + g)::text, 7, '0'), 'existing', 'released'
      from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from phone_numbers where org_id = ${org()} order by created_at, id`,
  },
  'API keys': {
    path: '/v1/api-keys',
    items: 'apiKeys',
    seed: (n) => sql()`insert into api_keys (org_id, role, key_hash, key_prefix, revoked_at)
      select ${org()}, 'admin', ${tag()} || g, 'sb_adm_test', now() from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from api_keys where org_id = ${org()} order by created_at, id`,
  },
  'integration keys': {
    path: '/v1/business-accounts/integration-keys',
    items: 'integrationKeys',
    seed: (n) => sql()`insert into integration_keys (org_id, product, key_hash, key_prefix, revoked_at)
      select ${org()}, 'crm', ${tag()} || g, 'sb_int_test', now() from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from integration_keys where org_id = ${org()} order by created_at, id`,
  },
  'business accounts': {
    path: '/v1/business-accounts',
    items: 'businessAccounts',
    seed: (n) => sql()`insert into business_accounts (org_id, business_manager_id, product, verified)
      select ${org()}, (100000 + g)::text, ${'p' + tag()}, true from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from business_accounts where org_id = ${org()} order by created_at, id`,
  },
  conversations: {
    path: '/v1/conversations?channel=web&status=closed',
    items: 'conversations',
    seed: (n) => {
      const t = tag();
      return sql()`insert into conversations
          (org_id, channel, customer_address, seq, workflow_id, department_id, status, close_reason)
        select ${org()}, 'web', 'visitor:' || ${t} || g, 1, 'paging:' || ${t} || g, ${desk.departmentId}, 'closed', 'operator'
        from generate_series(1, ${n}::int) g`;
    },
    expected: () => sql()`select id from conversations
      where org_id = ${org()} and channel = 'web' and status = 'closed' order by created_at desc, id desc`,
  },
  'the wallet ledger': {
    path: '/v1/wallet',
    items: 'ledger',
    seed: (n) => sql()`insert into ledger_entries (org_id, kind, credits, balance_after, idempotency_key)
      select ${org()}, 'adjustment', 0, 400, ${tag()} || g from generate_series(1, ${n}::int) g`,
    expected: () => sql()`select id from ledger_entries where org_id = ${org()} order by created_at desc, id desc`,
  },
};

describe('every list, page by page', () => {
  it.each(Object.keys(lists))('%s: every row once, in order, including rows that share a timestamp', async (name) => {
    const list = lists[name]!;
    // A page boundary falls inside the rows written together, and others come apart from them.
    await list.seed(1);
    await list.seed(6);
    await list.seed(1);
    const expected = (await list.expected()).map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const pages = await walk(list.path, list.items, 3);
    expect(pages.flat()).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(expected.length / 3));
  });

  const nil = '00000000-0000-0000-0000-000000000000';
  const bad = ['yesterday', `2026-02-30T10:00:00.000000Z_${nil}`, '2026-01-01T10:00:00.000000Z_not-an-id'];
  const paths = [...Object.values(lists).map((l) => l.path), `/v1/conversations/${nil}/messages`];
  it.each(paths)('%s: a malformed cursor or limit is a 400 naming the field', async (path) => {
    for (const cursor of bad) {
      const res = await h.request(
        'GET',
        `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`,
        {
          key: desk.adminKey,
        },
      );
      expect([res.status, res.body.error.code, res.body.error.fields]).toEqual([
        400,
        'validation_failed',
        [expect.objectContaining({ field: 'cursor' })],
      ]);
    }
    const tooMany = await h.request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=201`, { key: desk.adminKey });
    expect([tooMany.status, tooMany.body.error.fields]).toEqual([400, [expect.objectContaining({ field: 'limit' })]]);
  });
});

describe("a conversation's messages", () => {
  it('come back from the latest, a page at a time, and the detail carries the latest 50', async () => {
    const [conversation] = await sql()`insert into conversations
        (org_id, channel, customer_address, seq, workflow_id, department_id, status, close_reason)
      values (${org()}, 'app', ${'visitor:' + tag()}, 1, ${'paging:' + tag()}, ${desk.departmentId}, 'closed', 'operator')
      returning id`;
    const id = conversation!.id as string;
    const write = (n: number) => sql()`insert into messages (org_id, conversation_id, direction, body, status)
      select ${org()}, ${id}, 'inbound', 'message ' || g, 'received' from generate_series(1, ${n}::int) g`;
    await write(2);
    await write(60); // one statement: one timestamp, across the detail's and the pages' boundaries
    await write(3);
    const expected = (await sql()`select id from messages where conversation_id = ${id} order by created_at, id`).map(
      (r) => r.id as string,
    );

    // Each page is oldest first, as a chat shows it; the next one is the messages before it.
    const pages = await walk(`/v1/conversations/${id}/messages`, 'messages', 25);
    expect(pages.map((p) => p.length)).toEqual([25, 25, 15]);
    expect(pages.reverse().flat()).toEqual(expected);

    const detail = await h.request('GET', `/v1/conversations/${id}`, { key: desk.adminKey });
    expect(detail.status).toBe(200);
    expect(detail.body.conversation.id).toBe(id);
    expect(detail.body.messages.map((m: { id: string }) => m.id)).toEqual(expected.slice(-50));
    const earlier = await walk(`/v1/conversations/${id}/messages`, 'messages', 10, detail.body.messagesNextCursor);
    expect(earlier.reverse().flat()).toEqual(expected.slice(0, -50));

    const short = await h.request('GET', `/v1/conversations/${id}?limit=5`, { key: desk.adminKey });
    expect(short.body.messages.map((m: { id: string }) => m.id)).toEqual(expected.slice(-5));
  });

  it('are not found for a conversation the caller cannot see', async () => {
    const res = await h.request('GET', `/v1/conversations/${randomUUID()}/messages`, { key: desk.adminKey });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});
