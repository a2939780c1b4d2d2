import { defaultPayloadConverter } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { createDesk, eventually, inboundForm, postSignedForm } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

/** Every line the file's API logs, parsed. */
const lines: Record<string, unknown>[] = [];
const h = useHarness({ logs: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
const desk = useFixture(() => createDesk(h));

const INBOUND = '/webhooks/twilio/messages';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Header = temporal.api.common.v1.IHeader | null | undefined;
const requestIdIn = (header: Header) => {
  const payload = header?.fields?.requestId;
  return payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined;
};

/** The customer's chat that a signed webhook opened, and its workflow. */
async function chatOf(from: string) {
  return eventually(async () => {
    const [row] = await h.database.sql`
      select id, workflow_id from conversations where customer_address = ${from} and status = 'open'`;
    return row && { id: row.id as string, workflowId: row.workflow_id as string };
  }, `the chat of ${from}`);
}

describe('request ids', () => {
  it('answers with the id the request came with when it is sane, and with a new one otherwise', async () => {
    const given = await h.request('GET', '/healthz', { headers: { 'x-request-id': 'lb-7f3a:9c.1' } });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a:9c.1');
    for (const insane of ['two words', 'x'.repeat(129), '<script>']) {
      const replaced = await h.request('GET', '/healthz', { headers: { 'x-request-id': insane } });
      expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    }
    const [first, second] = await Promise.all([h.request('GET', '/healthz'), h.request('GET', '/healthz')]);
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('is in every error answer', async () => {
    const res = await h.request('GET', '/v1/conversations', { headers: { 'x-request-id': 'err-0001' } });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated', requestId: 'err-0001' });
  });

  it('is on every line logged while its request is served, and on no other', async () => {
    const known = inboundForm(desk, { From: 'whatsapp:+15550201001' });
    const inbound = await postSignedForm(h, INBOUND, known, { headers: { 'x-request-id': 'log-inbound-1' } });
    expect(inbound.status).toBe(200);
    const status = { AccountSid: desk.twilioAccount.sid, MessageSid: `SM${'9'.repeat(32)}`, MessageStatus: 'sent' };
    const callback = await postSignedForm(h, '/webhooks/twilio/status', status, {
      headers: { 'x-request-id': 'log-status-1' },
    });
    expect(callback.status).toBe(200);

    // The API's lines; the worker's for the workflow this started carry it too (the test below).
    const said = (requestId: string) => lines.filter((l) => l.requestId === requestId && !l.activity).map((l) => l.msg);
    expect(said('log-inbound-1')).toEqual(['inbound recorded']);
    expect(said('log-status-1')).toEqual([
      'status callback for an unknown MessageSid: kept, applied if a send records that SID',
    ]);
    const recorded = lines.filter((l) => l.msg === 'inbound recorded' || String(l.msg).startsWith('status callback'));
    expect(recorded.map((l) => l.requestId)).toEqual(['log-inbound-1', 'log-status-1']);
  });

  it("names the request that started a workflow in its memo, and each signal's and update's in its header", async () => {
    const form = inboundForm(desk, { From: 'whatsapp:+15550201002' });
    expect((await postSignedForm(h, INBOUND, form, { headers: { 'x-request-id': 'wf-inbound-1' } })).status).toBe(200);
    const chat = await chatOf('+15550201002');
    const reply = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Looking into it' },
      headers: { 'x-request-id': 'wf-reply-1' },
    });
    expect(reply.status).toBe(201);

    const handle = h.temporal.workflow.getHandle(chat.workflowId);
    expect((await handle.describe()).memo).toMatchObject({ requestId: 'wf-inbound-1' });
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
    const signalled = events.find((e) => e.workflowExecutionSignaledEventAttributes);
    const updated = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(requestIdIn(started?.workflowExecutionStartedEventAttributes?.header)).toBe('wf-inbound-1');
    expect(requestIdIn(signalled?.workflowExecutionSignaledEventAttributes?.header)).toBe('wf-inbound-1');
    const update = updated?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    expect(requestIdIn(update?.header)).toBe('wf-reply-1');
  });

  it("reaches the activities a request's workflow call led to, whose log lines carry it", async () => {
    const form = inboundForm(desk, { From: 'whatsapp:+15550201003' });
    expect((await postSignedForm(h, INBOUND, form, { headers: { 'x-request-id': 'act-inbound-1' } })).status).toBe(200);
    const chat = await chatOf('+15550201003');
    const reply = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Found it' },
      headers: { 'x-request-id': 'act-reply-1' },
    });
    expect(reply.status).toBe(201);
    const ranFor = (requestId: string) =>
      lines
        .filter((l) => l.requestId === requestId && l.msg === 'activity completed')
        .map((l) => ({ workflowId: l.workflowId, activity: l.activity }));
    const sent = await eventually(
      () => ranFor('act-reply-1').some((a) => a.activity === 'recordSendResult') && ranFor('act-reply-1'),
      'the reply to be recorded',
    );
    expect(sent).toEqual(
      expect.arrayContaining(
        ['prepareOutbound', 'sendWhatsApp'].map((activity) => ({ workflowId: chat.workflowId, activity })),
      ),
    );
    expect(ranFor('act-inbound-1').length).toBeGreaterThan(0);
    expect(ranFor('act-inbound-1').every((a) => a.workflowId === chat.workflowId)).toBe(true);
  });
});
