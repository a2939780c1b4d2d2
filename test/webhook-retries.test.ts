import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { postSigned } from '../dev/emulator/signed-webhooks';
import { CONNECTION_OVERRIDES } from '../src/providers/twilio/twilio-webhook-urls';
import { createDesk, inboundForm, postSignedForm } from './helpers/fixtures';
import { AUTH_TOKEN, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h));

type Seen = { signature: string | undefined; body: string };
let close: (() => void) | undefined;
afterEach(() => close?.());

/** A webhook receiver answering each delivery with the next status of `answers`. */
async function receiver(answers: number[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };
  const server = createServer(async (req, res) => {
    seen.push({ signature: req.headers['x-twilio-signature'] as string | undefined, body: await read(req) });
    res.statusCode = answers[seen.length - 1] ?? 200;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
}

describe("Twilio's webhook retries, as the emulator delivers them", () => {
  it('delivers again after 503s when the URL asks for it, with the same signed form each time', async () => {
    const { url, seen } = await receiver([503, 503, 200]);
    const result = await postSigned(`${url}#${CONNECTION_OVERRIDES}`, AUTH_TOKEN, { MessageSid: 'SM1' });
    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(new Set(seen.map((s) => `${s.signature} ${s.body}`)).size).toBe(1);
  });

  it('gives up after one 503 when the URL has no connection overrides, as Twilio does by default', async () => {
    const { url, seen } = await receiver([503, 200]);
    expect(await postSigned(url, AUTH_TOKEN, { MessageSid: 'SM2' })).toMatchObject({ status: 503, attempts: 1 });
    expect(seen).toHaveLength(1);
  });
});

describe('webhooks to URLs with connection overrides', () => {
  it('accepts a message signed over the URL with its overrides, which never reach us', async () => {
    const form = inboundForm(desk);
    const signedUrl = `${h.apiUrl}/webhooks/twilio/messages#${CONNECTION_OVERRIDES}`;
    const signature = twilio.getExpectedTwilioSignature(desk.twilioAccount.authToken, signedUrl, form);
    expect((await postSignedForm(h, '/webhooks/twilio/messages', form, { signature })).status).toBe(200);
  });

  it('refuses a signature over the URL with a fragment we never configured', async () => {
    const form = inboundForm(desk);
    const signedUrl = `${h.apiUrl}/webhooks/twilio/messages#rc=5&rp=all`;
    const signature = twilio.getExpectedTwilioSignature(desk.twilioAccount.authToken, signedUrl, form);
    const res = await postSignedForm(h, '/webhooks/twilio/messages', form, { signature });
    expect(res.status).toBe(403);
  });
});
