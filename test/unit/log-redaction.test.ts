import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { createTwilioClient } from '../../src/providers/twilio/twilio-client';

const accountSid = `AC${'ab'.repeat(16)}`;
const authToken = 'an-auth-token-nobody-may-read';

describe('logs', () => {
  // The SDK's own error for a call that could not connect holds its request, Basic credentials included.
  it("hold no Twilio credentials when a failed call's raw error is logged", async () => {
    const twilio = createTwilioClient({ accountSid, authToken, apiBaseUrl: 'http://127.0.0.1:1' });
    const err: unknown = await twilio.messages
      .create({ to: 'whatsapp:+15550001111', from: 'whatsapp:+15550002222', body: 'Hello' })
      .catch((e: unknown) => e);
    const logged = (logger: (destination: pino.DestinationStream) => pino.Logger) => {
      const lines: string[] = [];
      logger({ write: (line: string) => lines.push(line) }).error({ err }, 'send failed');
      return lines;
    };
    const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    // What there was to hide: pino as it comes writes the request's Authorization header.
    expect(logged((destination) => pino({}, destination)).join('')).toContain(basic);

    const lines = logged((destination) => createLogger('info', 'test', destination));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(lines[0]).not.toContain(authToken);
    expect(lines[0]).not.toContain(basic);
  });
});
