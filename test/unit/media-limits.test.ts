import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTwilioMedia, TwilioMediaError } from '../../src/providers/twilio/twilio-media';

const accountSid = `AC${'ab'.repeat(16)}`;
const mediaPath = `/2010-04-01/Accounts/${accountSid}/Messages/MM${'1'.repeat(32)}/Media/ME${'2'.repeat(32)}`;
// Chunked, no Content-Length: a size check that trusts the header sees nothing.
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'image/jpeg');
  for (let i = 0; i < 4; i++) res.write(Buffer.alloc(1000, i));
  res.end();
});
let apiBaseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const read = async (maxBytes: number) => {
  const media = await fetchTwilioMedia(
    `${apiBaseUrl}${mediaPath}`,
    { accountSid, authToken: 'x', apiBaseUrl },
    maxBytes,
  );
  return new Response(media.body).arrayBuffer();
};

describe("a customer's media, fetched from Twilio", () => {
  it('is cut off past the channel limit as it streams, whatever the headers say', async () => {
    expect((await read(4000)).byteLength).toBe(4000);
    const err: unknown = await read(2500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwilioMediaError);
    expect((err as TwilioMediaError).reason).toBe('too_large');
  });
});
