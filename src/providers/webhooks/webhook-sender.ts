import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** What the endpoint answered: its status, or why there was none. Never thrown: a failure is an answer. */
export type SendOutcome = { statusCode: number; error: string | null } | { statusCode: null; error: string };

export interface SignedDelivery {
  url: string;
  secret: string;
  /** `webhook-id`: the event's id, the same on every attempt, for receivers to dedupe on. */
  id: string;
  body: string;
  allowPrivate: boolean;
  timeoutMs: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** One keep-alive agent per scheme and rule, so deliveries to an endpoint reuse their connection. */
const agents = new Map<string, RequestFilteringHttpAgent | RequestFilteringHttpsAgent>();
function agentFor(protocol: string, allowPrivateIPAddress: boolean) {
  const key = `${protocol}${allowPrivateIPAddress}`;
  const options = { keepAlive: true, allowPrivateIPAddress };
  if (!agents.has(key))
    agents.set(
      key,
      protocol === 'https:' ? new RequestFilteringHttpsAgent(options) : new RequestFilteringHttpAgent(options),
    );
  return agents.get(key)!;
}

/**
 * Posts one event as the Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature` = v1,HMAC-SHA256 of id.timestamp.body). The connection is refused if the host
 * resolves to a private address at that moment (unless allowed), so DNS changed after registration cannot
 * turn it inwards. Redirects are not followed: a 3xx is a failure.
 */
export function sendWebhook(delivery: SignedDelivery): Promise<SendOutcome> {
  const sentAt = new Date();
  const signature = new Webhook(delivery.secret).sign(delivery.id, sentAt, delivery.body);
  const url = new URL(delivery.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: agentFor(url.protocol, delivery.allowPrivate),
        timeout: delivery.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_ANSWER_BYTES) res.destroy();
        });
        const statusCode = res.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        res.on('close', () => resolve({ statusCode, error: ok ? null : `The endpoint answered ${statusCode}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${delivery.timeoutMs} ms`)));
    req.on('error', (err) => resolve({ statusCode: null, error: err.message }));
    req.end(delivery.body);
  });
}
