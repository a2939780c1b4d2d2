import { DefaultLogger, Runtime } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { startBenchStack, TOPOLOGIES, type BenchStack, type Topology } from './bench-stack';
import { eventsReport, eventsScenario } from './events-bench';
import { inboundScenario } from './inbound-bench';
import { numbersReport, numbersScenario } from './number-bench';
import { HEADER, row } from './stats';
import { timerReport, timerScenario } from './timer-bench';
import { walletReport, walletScenario } from './wallet-bench';

// npm run bench [-- --topology dev|production --only inbound|wallet|timers|numbers|events --messages 1000 --customers 200
//                  --concurrency 32 --replies 200 --debits 2000 --timers 10000 --timer-lead 120 --purchases 60
//                  --desks 100 --rate 50 --seconds 20]
// Starts its own stack on this machine (bench/README.md): dev, the single-process harness on a Temporal dev
// server; production, `npm run stack`'s topology (Temporal server on PostgreSQL, api and worker processes).
const { values } = parseArgs({
  options: {
    topology: { type: 'string', default: 'dev' },
    only: { type: 'string' },
    messages: { type: 'string', default: '1000' },
    customers: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    replies: { type: 'string', default: '200' },
    debits: { type: 'string', default: '2000' },
    timers: { type: 'string', default: '10000' },
    'timer-lead': { type: 'string', default: '120' },
    purchases: { type: 'string', default: '60' },
    desks: { type: 'string', default: '100' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    'cached-workflows': { type: 'string' },
  },
});
const n = (name: keyof typeof values) => Number(values[name]);
const NUMBER = '+14155550100';
const runs = (scenario: string) => !values.only || values.only === scenario;
const topology = values.topology as Topology;
if (!TOPOLOGIES.includes(topology)) usage(`--topology must be one of ${TOPOLOGIES.join(', ')}`);
if (topology === 'production' && values['cached-workflows'])
  usage('--cached-workflows sets the in-process worker; the production workers read no such setting (src/config.ts)');
// The API starts purchases with its number policy, which no variable sets (src/config.ts): its senders are polled
// from 5 s, backing off to 10 min, and a run would measure those waits rather than the purchase path.
const numbersSkipped =
  topology === 'production' ? 'skipped on production (its api replicas poll senders on the production policy)' : '';
if (values.only === 'numbers' && numbersSkipped) usage(`number purchases: ${numbersSkipped}`);

function usage(message: string): never {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
}

async function setUpDesk(h: BenchStack) {
  const org = await h.request('POST', '/v1/orgs', { key: h.bootstrapToken, body: { name: 'Bench' } });
  const key: string = org.body.apiKey.key;
  const brand = await h.request('POST', '/v1/brands', { key, body: { name: 'Bench' } });
  const dept = await h.request('POST', '/v1/departments', {
    key,
    body: { name: 'Support', brandIds: [brand.body.brand.id] },
  });
  const quiet = await h.request('POST', '/v1/departments', {
    key,
    body: { name: 'Nobody home', brandIds: [brand.body.brand.id] },
  });
  const op = await h.request('POST', '/v1/operators', {
    key,
    body: {
      name: 'Bench Operator',
      email: 'bench@example.test',
      departmentIds: [dept.body.department.id],
      maxConcurrentChats: 100,
    },
  });
  await h.request('PUT', `/v1/operators/${op.body.operator.id}/presence`, { key, body: { status: 'available' } });
  const channel = await h.request('POST', '/v1/whatsapp/channel', {
    key,
    body: { acceptIntermediaryTerms: true, termsVersion: 'bench' },
  });
  // The organisation's own subaccount holds its number, as an existing integration's sender.
  h.emulator.addNumber(NUMBER, { whatsappSender: true, accountSid: channel.body.channel.twilioAccount.sid });
  await h.request('POST', '/v1/whatsapp/numbers/existing', {
    key,
    body: { phoneNumber: NUMBER, brandId: brand.body.brand.id, departmentId: dept.body.department.id },
  });
  await h.request('PUT', '/v1/billing/payment-method', { key, body: { token: 'tok_sandbox_visa' } });
  await h.request('POST', '/v1/wallet/purchases', {
    key,
    body: { points: Math.ceil(n('replies') / 400) + 1 },
    headers: { 'idempotency-key': 'bench-points-0001' },
  });
  return {
    orgId: org.body.org.id as string,
    adminKey: key,
    departmentId: dept.body.department.id as string,
    operatorKey: op.body.apiKey.key as string,
    emptyDepartmentId: quiet.body.department.id as string,
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const h = await startBenchStack(topology, {
    maxCachedWorkflows: values['cached-workflows'] ? n('cached-workflows') : undefined,
  });
  console.log(`Topology: ${topology} — ${h.description}`);
  let failed = false;
  try {
    const desk = await setUpDesk(h);
    if (runs('inbound') || runs('wallet')) {
      const r = await inboundScenario(h, {
        messages: n('messages'),
        customers: n('customers'),
        concurrency: n('concurrency'),
        replies: n('replies'),
        number: NUMBER,
        operatorKey: desk.operatorKey,
      });
      if (runs('inbound')) {
        console.log(
          `\nInbound (${topology}): ${n('messages')} messages from ${n('customers')} customers, concurrency ${n('concurrency')}; ${n('replies')} replies\n`,
        );
        console.log(HEADER);
        console.log(row('inbound webhook → recorded + signalled', r.inbound));
        console.log(row('ceiling: signalWithStart direct', r.ceiling));
        console.log(row('operator reply → Twilio accepted', r.replies));
        if (r.replyFailures.length) console.log(`replies refused: ${r.replyFailures.join(', ')}`);
        console.log(`webhook / ceiling throughput ratio: ${(r.inbound.perSecond / r.ceiling.perSecond).toFixed(2)}`);
        console.log(
          `messages lost: ${r.lost} (of ${n('messages')}; stored ${r.stored}); conversations routed: ${r.routed}`,
        );
        failed ||= r.lost !== 0 || r.inbound.errors !== 0;
      }
      if (runs('wallet') && r.firstOpen) {
        const w = await walletScenario(h, desk.orgId, r.firstOpen, n('debits'), n('concurrency'));
        console.log(
          `\nWallet (${topology}): ${n('debits')} debits on one organisation, concurrency ${n('concurrency')}\n`,
        );
        console.log(HEADER);
        for (const line of walletReport(w, row)) console.log(line);
        failed ||= w.balanceDrift !== 0;
      }
    }
    if (runs('numbers') && numbersSkipped) {
      console.log(`\nNumber purchases: ${numbersSkipped}`);
    } else if (runs('numbers')) {
      const org = await h.request('POST', '/v1/orgs', { key: h.bootstrapToken, body: { name: 'Bench Numbers' } });
      await h.request('PUT', '/v1/billing/payment-method', {
        key: org.body.apiKey.key,
        body: { token: 'tok_sandbox_visa' },
      });
      const r = await numbersScenario(h, org.body.apiKey.key, n('purchases'), n('concurrency'));
      console.log(
        `\nNumber purchases (${topology}): ${n('purchases')} bought, concurrency ${n('concurrency')}; each polled until active\n`,
      );
      console.log(HEADER);
      for (const line of numbersReport(r, row)) console.log(line);
      failed ||= r.charged !== r.expected || r.load.errors !== 0;
    }
    if (runs('timers')) {
      const lead = n('timer-lead');
      const baseline = await timerScenario(h, desk.orgId, desk.emptyDepartmentId, 10, 5);
      const big = await timerScenario(h, desk.orgId, desk.emptyDepartmentId, n('timers'), lead);
      console.log(
        `\nAuto-close timers (${topology}): ${n('timers')} unattended conversations due at the same instant (${lead} s after start)\n`,
      );
      for (const line of timerReport(big, baseline, h.workflowMemoryLabel)) console.log(line);
    }
    if (runs('events')) {
      const [desks, rate, seconds] = [n('desks'), n('rate'), n('seconds')];
      const r = await eventsScenario(h, { ...desk, desks, rate, seconds, customers: n('customers'), number: NUMBER });
      console.log(`\nEvents (${topology}): ${desks} desks on SSE while ${rate} messages/s arrive for ${seconds} s\n`);
      for (const line of eventsReport(r)) console.log(line);
      const webhooksWrong = r.webhooks.lost + r.webhooks.reordered + r.webhooks.drain.lost + r.webhooks.drain.reordered;
      failed ||= r.desk.some((d) => d.lost + d.reordered + d.duplicated > 0) || webhooksWrong > 0;
    }
    console.log(`\nAt the end, ${h.memoryReport()}`);
  } finally {
    await h.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
