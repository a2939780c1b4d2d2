import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newSigningSecret, sendWebhook } from '../src/providers/webhooks/webhook-sender';
import type { BenchStack } from './bench-stack';
import { percentile } from './stats';

export const latencyOf = (ms: number[]) => {
  const sorted = ms.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};

export const waitFor = async (done: () => boolean, ms: number) => {
  const until = performance.now() + ms;
  while (!done() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
};

/** An integration's receiver on this machine: takes every delivery, noting when it arrived and what it was. */
export async function receiver() {
  const taken: { id: string; at: number; body?: string }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const event = JSON.parse(text || '{}') as { data?: { message?: { body?: string } } };
      taken.push({ id: String(req.headers['webhook-id']), at: performance.now(), body: event.data?.message?.body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, taken, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** How far apart two lists of event ids are: missing from `got`, out of the log's order, or there twice. */
export function compare(expected: string[], got: string[]) {
  const seen = new Set(got);
  const order = new Map(expected.map((id, i) => [id, i]));
  const positions = got.map((id) => order.get(id) ?? -1);
  return {
    lost: expected.filter((id) => !seen.has(id)).length,
    reordered: positions.filter((p, i) => i > 0 && p < positions[i - 1]!).length,
    duplicated: got.length - seen.size,
  };
}

/** The wake-up path alone: NOTIFY on one connection to its LISTEN callback on another. */
export async function notifyRoundTrip(h: BenchStack, count: number) {
  const channel = `bench_${randomBytes(4).toString('hex')}`;
  const waiting = new Map<string, (at: number) => void>();
  const listening = await h.database.sql.listen(channel, (payload) => waiting.get(payload)?.(performance.now()));
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    const heard = new Promise<number>((resolve) => waiting.set(String(i), resolve));
    await h.database.sql`select pg_notify(${channel}, ${String(i)})`;
    ms.push((await heard) - sent);
  }
  await listening.unlisten();
  return latencyOf(ms);
}

/** The delivery path alone: signed POSTs one after another to the same receiver, as an endpoint's are. */
export async function sequentialPosts(url: string, count: number) {
  const secret = newSigningSecret();
  const started = performance.now();
  for (let i = 0; i < count; i++)
    await sendWebhook({ url, secret, id: `evt_ceiling_${i}`, body: '{}', allowPrivate: true, timeoutMs: 10_000 });
  return { perSecond: count / ((performance.now() - started) / 1000) };
}
