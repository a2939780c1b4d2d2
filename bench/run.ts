import { WorkflowIdReusePolicy } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import twilio from 'twilio';
import { conversationWorkflow, inboundSignal } from '../workflows/conversation';
import { startServices } from '../test/helpers/services';
import { ACCOUNT_SID, AUTH_TOKEN, BOOTSTRAP_TOKEN, startStack, type Harness } from '../test/helpers/stack';
import { HEADER, measure, row } from './stats';
import { walletReport, walletScenario } from './wallet';

// npm run bench [-- --messages 2000 --customers 200 --concurrency 32 --replies 300 --debits 2000]
// Starts its own Temporal dev server, PostgreSQL, API, worker and Twilio emulator on this machine.
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    customers: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    replies: { type: 'string', default: '200' },
    debits: { type: 'string', default: '2000' },
  },
});
const MESSAGES = Number(values.messages);
const CUSTOMERS = Number(values.customers);
const CONCURRENCY = Number(values.concurrency);
const REPLIES = Number(values.replies);
const DEBITS = Number(values.debits);
const NUMBER = '+14155550100';
const customer = (i: number) => `+1555${String(1_000_000 + (i % CUSTOMERS)).slice(1)}`;

async function setUpDesk(h: Harness) {
  const org = await h.request('POST', '/v1/orgs', { key: BOOTSTRAP_TOKEN, body: { name: 'Bench' } });
  const key: string = org.body.apiKey.key;
  const brand = await h.request('POST', '/v1/brands', { key, body: { name: 'Bench' } });
  const dept = await h.request('POST', '/v1/departments', { key, body: { name: 'Support', brandIds: [brand.body.brand.id] } });
  const op = await h.request('POST', '/v1/operators', {
    key,
    body: { name: 'Bench Operator', email: 'bench@example.test', departmentIds: [dept.body.department.id], maxConcurrentChats: 100 },
  });
  await h.request('PUT', `/v1/operators/${op.body.operator.id}/presence`, { key, body: { status: 'available' } });
  await h.request('POST', '/v1/whatsapp/numbers/existing', { key, body: { phoneNumber: NUMBER, brandId: brand.body.brand.id, departmentId: dept.body.department.id } });
  h.emulator.addNumber(NUMBER, { whatsappSender: true });
  await h.request('PUT', '/v1/billing/payment-method', { key, body: { token: 'tok_sandbox_visa' } });
  await h.request('POST', '/v1/wallet/purchases', { key, body: { points: Math.ceil(REPLIES / 400) + 1 }, headers: { 'idempotency-key': 'bench-points-0001' } });
  return { orgId: org.body.org.id as string, adminKey: key, operatorKey: op.body.apiKey.key as string };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { services, teardown } = await startServices();
  const h = await startStack({ ...services, statusCallbackDelayMs: 50 });
  try {
    const desk = await setUpDesk(h);
    const url = `${h.apiUrl}/webhooks/twilio/messages`;
    const sids: string[] = [];
    const rssBefore = process.memoryUsage().rss;

    const inbound = await measure(MESSAGES, CONCURRENCY, async (i) => {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      sids.push(sid);
      const params = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: `whatsapp:${customer(i)}`, To: `whatsapp:${NUMBER}`, Body: `message ${i}`, NumMedia: '0', ProfileName: 'Bench' };
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
        body: new URLSearchParams(params).toString(),
      });
      await res.arrayBuffer();
      return res.status === 200;
    });
    const [stored] = await h.database.sql`select count(*)::int as n from messages where provider_sid = any(${sids})`;
    const lost = MESSAGES - (stored?.n as number);

    // The raw ceiling: the same signal-with-start calls made straight to Temporal, no HTTP or Postgres.
    const ceiling = await measure(MESSAGES, CONCURRENCY, async (i) => {
      await h.temporal.workflow.signalWithStart(conversationWorkflow, {
        workflowId: `bench-ceiling:${customer(i)}`,
        taskQueue: `${h.taskQueue}-ceiling`,
        args: [{ conversationId: 'bench', orgId: 'bench', numberId: 'bench', policy: { unattendedSeconds: 3600, idleSeconds: 3600, closingNotice: null } }],
        signal: inboundSignal,
        signalArgs: [{ messageId: String(i), receivedAt: new Date().toISOString() }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      return true;
    });

    const list = await h.request('GET', '/v1/conversations?status=open&limit=200', { key: desk.operatorKey });
    const open = list.body.conversations as { id: string }[];
    const replies = await measure(REPLIES, Math.min(8, CONCURRENCY), async (i) => {
      const conv = open[i % open.length]!;
      const res = await h.request('POST', `/v1/conversations/${conv.id}/messages`, { key: desk.operatorKey, body: { body: `reply ${i}` } });
      return res.status === 201;
    });
    const rssAfter = process.memoryUsage().rss;
    const wallet = await walletScenario(h, desk.orgId, open[0]!.id, DEBITS, CONCURRENCY);

    console.log(`\nSwitchboard benchmark — ${MESSAGES} inbound messages from ${CUSTOMERS} customers, concurrency ${CONCURRENCY}, ${REPLIES} replies`);
    console.log('(API, worker, emulator in this process; Temporal dev server and PostgreSQL on this machine)\n');
    console.log(HEADER);
    console.log(row('inbound webhook → recorded + signalled', inbound));
    console.log(row('ceiling: signalWithStart direct', ceiling));
    console.log(row('operator reply → Twilio accepted', replies));
    console.log(`\nwebhook / ceiling throughput ratio: ${(inbound.perSecond / ceiling.perSecond).toFixed(2)}`);
    console.log(`messages lost: ${lost} (of ${MESSAGES}; stored ${String(stored?.n)})`);
    console.log(`open conversations routed: ${open.length}`);
    console.log(`\nWallet: ${DEBITS} debits on one organisation, concurrency ${CONCURRENCY}\n`);
    console.log(HEADER);
    for (const line of walletReport(wallet, row)) console.log(line);
    console.log(`process RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after`);
    if (lost !== 0 || inbound.errors !== 0 || wallet.balanceDrift !== 0) process.exitCode = 1;
  } finally {
    await h.close();
    await teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
