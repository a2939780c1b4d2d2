import { describe, expect, it } from 'vitest';
import { CONNECTION_OVERRIDES, twilioWebhookUrl } from '../../src/providers/twilio/twilio-webhook-urls';

describe('the URLs Switchboard gives Twilio', () => {
  it('keep the path of a PUBLIC_BASE_URL behind a proxy, with or without its trailing slash', () => {
    for (const base of ['https://desk.example/sb', 'https://desk.example/sb/']) {
      expect(twilioWebhookUrl(base, '/webhooks/twilio/status')).toBe(
        `https://desk.example/sb/webhooks/twilio/status#${CONNECTION_OVERRIDES}`,
      );
    }
    expect(twilioWebhookUrl('https://desk.example', '/webhooks/twilio/messages')).toBe(
      `https://desk.example/webhooks/twilio/messages#${CONNECTION_OVERRIDES}`,
    );
  });
});
