import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { BenchStack } from './bench-stack';
import { compare, latencyOf, notifyRoundTrip, receiver, sequentialPosts, waitFor } from './event-probes';
import { readEvents, type Arrival } from './sse-reader';

export interface EventsOptions {
  desks: number;
  /** Inbound messages a second, sent on a steady clock whatever the answers take. */
  rate: number;
  seconds: number;
  customers: number;
  number: string;
  orgId: string;
  adminKey: string;
  departmentId: string;
}

const sleepUntil = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

/**
 * Desks on SSE while customers write at a steady rate: how long from the webhook's acknowledgement to each
 * desk seeing the message, whether any desk missed or reordered an event, and how fast an endpoint's
 * outbound webhooks drain; each against the raw path it rides on, measured in the same run.
 */
export async function eventsScenario(h: BenchStack, o: EventsOptions) {
  const nonce = randomBytes(4).toString('hex');
  const keys: string[] = [];
  for (let i = 0; i < o.desks; i++) {
    const body = { name: `Desk ${i}`, email: `desk${i}.${nonce}@bench.test`, departmentIds: [o.departmentId] };
    keys.push((await h.request('POST', '/v1/operators', { key: o.adminKey, body })).body.apiKey.key);
  }
  const hooks = await receiver();
  await h.request('POST', '/v1/webhook-endpoints', { key: o.adminKey, body: { url: hooks.url } });
  const [start] = await h.database.sql<{ txid: string; id: string }[]>`
    select coalesce(max(txid), 0) as txid, coalesce(max(id), 0) as id from events where org_id = ${o.orgId}`;
  const desks = await Promise.all(keys.map((key) => readEvents(h.apiUrl, key)));

  const url = `${h.apiUrl}/webhooks/twilio/messages`;
  const account = h.emulator.accountOfNumber(o.number)!;
  const acked = new Map<string, number>();
  let refused = 0;
  const post = async (i: number) => {
    const params = {
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      AccountSid: account.sid,
      From: `whatsapp:+1555${String(2_000_000 + (i % o.customers)).slice(1)}`,
      To: `whatsapp:${o.number}`,
      Body: `events bench ${nonce} ${i}`,
      NumMedia: '0',
    };
    const signature = twilio.getExpectedTwilioSignature(account.authToken, url, params);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    }).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.status === 200) acked.set(params.Body, performance.now());
    else refused += 1;
  };
  const total = o.rate * o.seconds;
  const t0 = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    await sleepUntil(t0 + (i * 1000) / o.rate);
    sends.push(post(i));
  }
  await Promise.all(sends);
  const ingestSeconds = (performance.now() - t0) / 1000;

  const messagesOf = (arrivals: Arrival[]) => arrivals.filter((a) => a.type === 'message.created');
  await waitFor(() => desks.every((d) => messagesOf(d.arrivals).length >= acked.size), 60_000);
  const expected = (
    await h.database.sql<{ id: string }[]>`
      select id from events where org_id = ${o.orgId} and (txid, id) > (${start!.txid}, ${start!.id})
        and department_ids @> array[${o.departmentId}::uuid] order by txid, id`
  ).map((r) => `evt_${r.id}`);
  const toDesks = latencyOf(
    desks.flatMap((d) => messagesOf(d.arrivals).map((a) => a.at - (acked.get(a.data.message.body) ?? NaN))),
  );
  const desk = desks.map((d) =>
    compare(
      expected,
      d.arrivals.map((a) => a.id),
    ),
  );
  await Promise.all(desks.map((d) => d.close()));

  const all = (
    await h.database.sql<{ id: string }[]>`
      select id from events where org_id = ${o.orgId} and (txid, id) > (${start!.txid}, ${start!.id}) order by txid, id`
  ).map((r) => `evt_${r.id}`);
  await waitFor(() => hooks.taken.length >= all.length, 120_000);
  const byBody = hooks.taken.filter((t) => t.body !== undefined);
  const live = {
    ...compare(
      all,
      hooks.taken.map((t) => t.id),
    ),
    delivered: hooks.taken.length,
    latency: latencyOf(byBody.map((t) => t.at - (acked.get(t.body!) ?? NaN))),
  };
  // The same events again, to a second endpoint replaying them all: how fast one endpoint drains a backlog.
  const backlog = await receiver();
  const second = await h.request('POST', '/v1/webhook-endpoints', { key: o.adminKey, body: { url: backlog.url } });
  const replay = { key: o.adminKey, body: { fromEventId: all[0] } };
  await h.request('POST', `/v1/webhook-endpoints/${second.body.endpoint.id}/replay`, replay);
  await waitFor(() => backlog.taken.length >= all.length, 120_000);
  const drainSeconds = ((backlog.taken.at(-1)?.at ?? 0) - (backlog.taken[0]?.at ?? 0)) / 1000;
  const drain = {
    ...compare(
      all,
      backlog.taken.map((t) => t.id),
    ),
    perSecond: backlog.taken.length / drainSeconds,
  };
  await backlog.close();
  const webhooks = { ...live, drain };

  const ceilings = { notify: await notifyRoundTrip(h, 200), posts: await sequentialPosts(hooks.url, 500) };
  await hooks.close();
  return {
    total,
    acked: acked.size,
    refused,
    ingestSeconds,
    toDesks,
    desk,
    webhooks,
    ceilings,
    events: expected.length,
  };
}

type EventsResult = Awaited<ReturnType<typeof eventsScenario>>;

/** The scenario's table: latency to the desks and its ceiling, losses, the webhook drain and its ceiling. */
export function eventsReport(r: EventsResult): string[] {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const sum = (pick: (d: EventsResult['desk'][number]) => number) => r.desk.reduce((s, d) => s + pick(d), 0);
  return [
    `messages sent ${r.total} in ${r.ingestSeconds.toFixed(1)} s (${(r.total / r.ingestSeconds).toFixed(1)}/s); acknowledged ${r.acked}, refused ${r.refused}`,
    `events each desk should see: ${r.events}`,
    `webhook acknowledged → event at a desk:  n ${r.toDesks.count}, p50 ${ms(r.toDesks.p50)}, p99 ${ms(r.toDesks.p99)}, max ${ms(r.toDesks.max)}`,
    `ceiling: NOTIFY → LISTEN, one at a time: n ${r.ceilings.notify.count}, p50 ${ms(r.ceilings.notify.p50)}, p99 ${ms(r.ceilings.notify.p99)}`,
    `p99 ratio (desk / ceiling): ${(r.toDesks.p99 / r.ceilings.notify.p99).toFixed(1)}`,
    `desks: events lost ${sum((d) => d.lost)}, reordered ${sum((d) => d.reordered)}, duplicated ${sum((d) => d.duplicated)} (each must be 0)`,
    `outbound webhooks, live: ${r.webhooks.delivered} delivered; lost ${r.webhooks.lost}, reordered ${r.webhooks.reordered}, duplicated ${r.webhooks.duplicated}`,
    `webhook acknowledged → its message at the endpoint: p50 ${ms(r.webhooks.latency.p50)}, p99 ${ms(r.webhooks.latency.p99)}`,
    `a replayed backlog to a second endpoint: ${r.webhooks.drain.perSecond.toFixed(1)}/s; lost ${r.webhooks.drain.lost}, reordered ${r.webhooks.drain.reordered}`,
    `ceiling: signed POSTs one after another to the same receiver: ${r.ceilings.posts.perSecond.toFixed(1)}/s; ratio ${(r.webhooks.drain.perSecond / r.ceilings.posts.perSecond).toFixed(2)}`,
  ];
}
