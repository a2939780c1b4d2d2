import { describe, expect, it } from 'vitest';
import { ACCEPTED_TYPES_NOTICE } from '../src/domain/attachments';
import { createDesk, eventually, inboundForm, postSignedForm } from './helpers/fixtures';
import { ACCOUNT_SID, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

async function inboundMessages(from: string, count: number) {
  return eventually(async () => {
    const list = await h.request('GET', '/v1/conversations', { key: desk.operatorKey });
    const conv = list.body.conversations.find((c: any) => c.customerAddress === from);
    if (!conv) return undefined;
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
    const inbound = detail.body.messages.filter((m: any) => m.direction === 'inbound');
    return (
      inbound.length >= count && {
        conversation: conv,
        inbound,
        all: detail.body.messages,
        raw: JSON.stringify(detail.body),
      }
    );
  }, `${count} messages from ${from}`);
}

describe('attachments from customers (F17)', () => {
  it('turns allowed media into attachments the operator downloads through our API, never from Twilio directly', async () => {
    const from = '+15557770001';
    await h.emulator.playInbound({
      from,
      to: desk.number.e164,
      body: 'my receipt',
      media: [{ contentType: 'image/jpeg' }, { contentType: 'application/pdf' }],
    });
    const { inbound, raw } = await inboundMessages(from, 1);
    expect(inbound[0].attachments).toMatchObject([
      { contentType: 'image/jpeg', allowed: true, placeholder: null },
      { contentType: 'application/pdf', allowed: true, placeholder: null },
    ]);
    expect(raw).not.toContain(desk.twilioAccount.sid);
    expect(raw).not.toContain(h.emulator.url);
    const download = await fetch(`${h.apiUrl}${inbound[0].attachments[1].downloadUrl}`, {
      headers: { authorization: `Bearer ${desk.operatorKey}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('application/pdf');
    // Served as a download the browser may not reinterpret: a customer's file never runs as a page of ours.
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(await download.text()).toContain('emulated application/pdf');
    const stranger = await createDesk(h, { points: 0 });
    const foreign = await fetch(`${h.apiUrl}${inbound[0].attachments[1].downloadUrl}`, {
      headers: { authorization: `Bearer ${stranger.adminKey}` },
    });
    expect(foreign.status).toBe(404);
  });

  // A forged webhook's MediaUrl on Twilio's own host would be fetched with our credentials: here, every message,
  // or another account's media.
  it('refuses to fetch a media URL that is not a Twilio media URL of this account, even on its host', async () => {
    const from = '+15557770009';
    const forged = [
      `${h.emulator.url}/2010-04-01/Accounts/${desk.twilioAccount.sid}/Messages.json`,
      `${h.emulator.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${'1'.repeat(32)}/Media/ME${'2'.repeat(32)}`,
      `${h.emulator.url}/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages/MM${'1'.repeat(32)}/Media/ME${'2'.repeat(32)}`,
    ];
    await h.emulator.playInbound({
      from,
      to: desk.number.e164,
      body: 'see these',
      media: forged.map((url) => ({ url, contentType: 'image/jpeg' })),
    });
    const { inbound } = await inboundMessages(from, 1);
    for (const attachment of inbound[0].attachments) {
      const res = await h.request('GET', attachment.downloadUrl, { key: desk.operatorKey });
      expect([res.status, res.body.error?.code]).toEqual([422, 'attachment_unavailable']);
    }
  });

  it('records a voice note and a sticker as placeholders and tells the customer once which types are accepted', async () => {
    const from = '+15557770002';
    await h.emulator.playInbound({ from, to: desk.number.e164, media: [{ contentType: 'audio/ogg' }] });
    await h.emulator.playInbound({ from, to: desk.number.e164, media: [{ contentType: 'image/webp' }] });
    const { inbound } = await inboundMessages(from, 2);
    expect(inbound.map((m: any) => m.attachments[0])).toMatchObject([
      {
        contentType: 'audio/ogg',
        allowed: false,
        downloadUrl: null,
        placeholder: expect.stringContaining('voice message'),
      },
      { contentType: 'image/webp', allowed: false, downloadUrl: null, placeholder: expect.stringContaining('sticker') },
    ]);
    await eventually(() => h.emulator.sentMessages().some((m) => m.to === `whatsapp:${from}`), 'the notice');
    await new Promise((r) => setTimeout(r, 500));
    const notices = h.emulator.sentMessages().filter((m) => m.to === `whatsapp:${from}`);
    expect(notices.map((m) => m.body)).toEqual([ACCEPTED_TYPES_NOTICE]);
  });

  it('records a shared location as a placeholder', async () => {
    const from = 'whatsapp:+15557770003';
    const res = await postSignedForm(
      h,
      '/webhooks/twilio/messages',
      inboundForm(desk, {
        From: from,
        Body: '',
        Latitude: '52.52',
        Longitude: '13.40',
        Label: 'Office',
        MessageType: 'location',
      }),
    );
    expect(res.status).toBe(200);
    const { inbound } = await inboundMessages('+15557770003', 1);
    expect(inbound[0].attachments[0]).toMatchObject({
      contentType: 'location',
      allowed: false,
      placeholder: expect.stringContaining('Office (52.52, 13.40)'),
    });
  });

  it('refuses a form that announces media it does not carry', async () => {
    const res = await postSignedForm(h, '/webhooks/twilio/messages', inboundForm(desk, { NumMedia: '1' }));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('MediaUrl0');
  });
});
