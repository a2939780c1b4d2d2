import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  close(): Promise<void>;
}

/**
 * What stands in front of the api replicas in production, so Twilio and clients have one URL
 * (PUBLIC_BASE_URL, which webhooks are signed against) whichever replica answers. Round robin; a replica
 * that refuses the connection (stopped, restarting) is skipped, which is safe because nothing reached
 * it. A replica that accepted and then failed is not retried: the caller sees that, as behind a real one.
 */
export async function startLoadBalancer(port: number, upstreams: () => string[]): Promise<LoadBalancer> {
  let next = 0;
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: number) => {
    const targets = upstreams();
    if (tried >= targets.length) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'no_upstream', message: 'no api replica accepts connections' } }));
      return;
    }
    const target = new URL(targets[next++ % targets.length]!);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && !res.headersSent) return forward(req, res, body, tried + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'upstream_failed', message: err.message } }));
    });
    // A client that goes away (an event stream closed) closes its replica's side too, as a real one does.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    // Buffered, so a refused connection can be replayed to the next replica (bodies are small: ≤ 64 KB).
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
