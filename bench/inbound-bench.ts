import { WorkflowIdReusePolicy } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import {
  conversationWorkflowType,
  inboundSignal,
  type ConversationWorkflow,
  type InboundNotice,
} from '../src/contracts/conversation-contract';
import type { BenchStack } from './bench-stack';
import { measure, type RunStats } from './stats';

export interface InboundOptions {
  messages: number;
  customers: number;
  concurrency: number;
  replies: number;
  number: string;
  operatorKey: string;
}

const customer = (i: number, customers: number) => `+1555${String(1_000_000 + (i % customers)).slice(1)}`;

/** Signed inbound webhooks, the raw signal-with-start ceiling in the same run, then operator replies. */
export async function inboundScenario(h: BenchStack, o: InboundOptions) {
  const url = `${h.apiUrl}/webhooks/twilio/messages`;
  // Twilio signs with the auth token of the subaccount that holds the number.
  const account = h.emulator.accountOfNumber(o.number)!;
  const sids: string[] = [];
  const inbound = await measure(o.messages, o.concurrency, async (i) => {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    sids.push(sid);
    const params = {
      MessageSid: sid,
      AccountSid: account.sid,
      From: `whatsapp:${customer(i, o.customers)}`,
      To: `whatsapp:${o.number}`,
      Body: `message ${i}`,
      NumMedia: '0',
      ProfileName: 'Bench',
    };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(account.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.arrayBuffer();
    return res.status === 200;
  });
  const [stored] = await h.database.sql`select count(*)::int as n from messages where provider_sid = any(${sids})`;
  const lost = o.messages - (stored?.n as number);

  // The raw ceiling: the same signal-with-start calls made straight to Temporal, no HTTP or Postgres.
  const ceiling = await measure(o.messages, o.concurrency, async (i) => {
    await h.temporal.workflow.signalWithStart<ConversationWorkflow, [InboundNotice]>(conversationWorkflowType, {
      workflowId: `bench-ceiling:${customer(i, o.customers)}`,
      taskQueue: `${h.taskQueue}-ceiling`,
      args: [
        {
          conversationId: 'bench',
          orgId: 'bench',
          numberId: 'bench',
          policy: { unattendedSeconds: 3600, idleSeconds: 3600, closingNotice: null },
        },
      ],
      signal: inboundSignal,
      signalArgs: [{ messageId: String(i), receivedAt: new Date().toISOString() }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    return true;
  });

  const list = await h.request('GET', '/v1/conversations?status=open&limit=200', { key: o.operatorKey });
  const open = list.body.conversations as { id: string }[];
  const failures: string[] = [];
  const replies: RunStats = await measure(o.replies, Math.min(8, o.concurrency), async (i) => {
    const res = await h.request('POST', `/v1/conversations/${open[i % open.length]!.id}/messages`, {
      key: o.operatorKey,
      body: { body: `reply ${i}` },
    });
    if (res.status !== 201) failures.push(`${res.status} ${res.body?.error?.code ?? ''}`.trim());
    return res.status === 201;
  });
  return {
    inbound,
    ceiling,
    replies,
    replyFailures: failures,
    lost,
    stored: stored?.n as number,
    routed: open.length,
    firstOpen: open[0]?.id,
  };
}
