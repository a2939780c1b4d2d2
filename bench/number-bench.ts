import type { BenchStack } from './bench-stack';
import { measure, type RunStats } from './stats';

/**
 * Number purchases end to end (F9): from the admin's POST to an active number — buying at Twilio,
 * registering the WhatsApp sender, polling its review with durable timers, charging the first month.
 * `count` purchases at `concurrency`, against one purchase alone measured in the same run.
 */
export async function numbersScenario(h: BenchStack, adminKey: string, count: number, concurrency: number) {
  const consent = await h.request('POST', '/v1/whatsapp/channel', {
    key: adminKey,
    body: { acceptIntermediaryTerms: true, termsVersion: 'bench' },
  });
  if (consent.status >= 300) throw new Error(`consent: ${consent.status}`);
  const request = await h.request('POST', '/v1/whatsapp/channel/access-request', {
    key: adminKey,
    body: {
      businessManagerId: '1234567890',
      businessManagerVerified: true,
      businessName: 'Bench Ltd',
      website: 'https://bench.test',
      contactEmail: 'ops@bench.test',
      contactPhone: '+14155550999',
    },
  });
  const decided = await h.request('POST', `/v1/provider/access-requests/${request.body.request.requestId}/decision`, {
    key: h.providerSecret,
    body: { decision: 'approved', wabaId: '102290129340398' },
  });
  if (decided.status !== 200) throw new Error(`approval: ${decided.status} ${JSON.stringify(decided.body)}`);
  const numbers: string[] = [];
  for (const [country, type] of [
    ['US', 'local'],
    ['US', 'toll_free'],
    ['GB', 'local'],
    ['GB', 'mobile'],
    ['GB', 'toll_free'],
  ] as const) {
    const listed = await h.request('GET', `/v1/whatsapp/numbers/available?country=${country}&type=${type}`, {
      key: adminKey,
    });
    numbers.push(...listed.body.numbers.map((n: { phoneNumber: string }) => `${country}:${type}:${n.phoneNumber}`));
  }
  if (numbers.length < count + 1)
    throw new Error(`only ${numbers.length} numbers for sale; ask for at most ${numbers.length - 1}`);

  const buyUntilActive = async (entry: string) => {
    const [country, type, phoneNumber] = entry.split(':');
    const res = await h.request('POST', '/v1/whatsapp/numbers', {
      key: adminKey,
      body: { phoneNumber, country, type },
    });
    if (res.status !== 202) return false;
    for (;;) {
      const list = await h.request('GET', '/v1/whatsapp/numbers', { key: adminKey });
      const n = list.body.numbers.find((x: { id: string }) => x.id === res.body.number.id);
      if (n.status === 'active') return true;
      if (n.status === 'failed') return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const baseline = await measure(1, 1, () => buyUntilActive(numbers[0]!));
  const load = await measure(count, concurrency, (i) => buyUntilActive(numbers[i + 1]!));
  const charges = await h.database
    .sql`select count(*)::int as n from payments where purpose = 'subscription' and status = 'succeeded'`;
  return { baseline, load, charged: charges[0]!.n as number, expected: count + 1 };
}

export function numbersReport(
  r: { baseline: RunStats; load: RunStats; charged: number; expected: number },
  row: (name: string, s: RunStats) => string,
): string[] {
  return [
    row('one purchase alone → active', r.baseline),
    row('concurrent purchases → active', r.load),
    `p50 latency under load / alone: ${(r.load.p50 / r.baseline.p50).toFixed(2)}`,
    `first months charged: ${r.charged} (must be ${r.expected}: one per number)`,
  ];
}
