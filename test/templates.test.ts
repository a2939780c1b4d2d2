import { describe, expect, it } from 'vitest';
import { findActiveNumber, recordInbound, whatsappRoute } from '../src/db/queries/inbound-queries';
import { conversationPolicy } from '../src/db/queries/settings-queries';
import { notifyConversation } from '../src/workflow-client/conversation-client';
import { createDesk, eventually } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

/** A customer who last wrote 25 hours ago, recorded and signalled exactly as the webhook does. */
async function customerWhoWroteYesterday(from: string): Promise<string> {
  await h.request('PUT', '/v1/whatsapp/settings', {
    key: desk.adminKey,
    body: { chatCloseLimitSeconds: 7 * 24 * 3600 },
  });
  const number = (await findActiveNumber(h.database.db, desk.number.e164))!;
  const receivedAt = new Date(Date.now() - 25 * 3600 * 1000);
  const recorded = await recordInbound(h.database.db, whatsappRoute(number), {
    providerSid: `SM${'d4'.repeat(16)}`,
    customerAddress: from,
    body: 'Any news?',
    attachments: [],
    receivedAt,
  });
  const policy = await conversationPolicy(h.database.db, number);
  await notifyConversation(
    h.temporal,
    h.taskQueue,
    recorded.conversation,
    { messageId: recorded.messageId, receivedAt, unsupportedContent: false },
    policy,
  );
  return recorded.conversation.id;
}

describe('WhatsApp templates and the 24-hour window', () => {
  it('lists only the templates Meta approved', async () => {
    const res = await h.request('GET', '/v1/whatsapp/templates', { key: desk.operatorKey });
    expect(res.status).toBe(200);
    expect(res.body.templates.map((t: any) => t.name).sort()).toEqual(['delivery_choice', 'follow_up', 'order_update']);
    expect(res.body.templates[0].contentSid).toMatch(/^HX/);
  });

  it('shows the text and content type of templates that are not plain text (quick replies)', async () => {
    const res = await h.request('GET', '/v1/whatsapp/templates', { key: desk.operatorKey });
    expect(res.body.templates.find((t: any) => t.name === 'delivery_choice')).toMatchObject({
      contentType: 'twilio/quick-reply',
      body: 'Your parcel {{1}} is ready. When should we deliver it?',
    });
    expect(res.body.templates.find((t: any) => t.name === 'order_update')).toMatchObject({
      contentType: 'twilio/text',
      body: 'Hi {{1}}, your order {{2}} has an update.',
    });
  });

  it('refuses a free-form reply outside the window, saying when it closed, and sends a template instead', async () => {
    const conversationId = await customerWhoWroteYesterday('+15558880001');
    await eventually(
      async () =>
        (await h.request('GET', `/v1/conversations/${conversationId}`, { key: desk.adminKey })).body.conversation
          .status === 'open',
      'assignment',
    );
    const freeForm = await h.request('POST', `/v1/conversations/${conversationId}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Sorry for the wait' },
    });
    expect(freeForm.status).toBe(409);
    expect(freeForm.body.error.code).toBe('outside_customer_service_window');
    expect(Date.parse(freeForm.body.error.windowClosedAt)).toBeLessThan(Date.now() - 3600 * 1000);

    const template = h.emulator.templates(desk.twilioAccount.sid).find((t) => t.friendlyName === 'follow_up')!;
    const sent = await h.request('POST', `/v1/conversations/${conversationId}/messages`, {
      key: desk.operatorKey,
      body: { contentSid: template.sid, contentVariables: { '1': 'Carla' } },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.creditsCharged).toBe(1);
    expect(h.emulator.sentMessages().find((m) => m.sid === sent.body.message.providerSid)?.form).toMatchObject({
      ContentSid: template.sid,
      ContentVariables: '{"1":"Carla"}',
      To: 'whatsapp:+15558880001',
    });
  });

  it('refuses a template mixed with free text, or a malformed Content SID', async () => {
    const anyId = '00000000-0000-4000-8000-000000000000';
    const mixed = await h.request('POST', `/v1/conversations/${anyId}/messages`, {
      key: desk.operatorKey,
      body: { body: 'hi', contentSid: `HX${'a'.repeat(32)}` },
    });
    expect(mixed.status).toBe(400);
    const malformed = await h.request('POST', `/v1/conversations/${anyId}/messages`, {
      key: desk.operatorKey,
      body: { contentSid: 'order_update' },
    });
    expect(malformed.status).toBe(400);
  });
});
