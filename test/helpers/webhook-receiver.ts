import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './fixtures';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; data: Record<string, any> };
  answered: number;
}

/** An integration's receiver on this machine: answers each delivery with the next of `answers` (then 200). */
export async function webhookReceiver(answers: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answered = answers.shift() ?? 200;
      received.push({ headers: req.headers, body, json: JSON.parse(body), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** The deliveries it took (answered 2xx), in the order they came. */
    taken: () => received.filter((r) => r.answered < 300),
    until: (what: string, match: (r: Received) => boolean, timeoutMs = 20_000) =>
      eventually(() => received.find(match), what, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
