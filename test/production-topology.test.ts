import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_KEY } from '../src/api/routes/event-routes';
import { OrgId } from '../src/contracts/search-attributes';
import { startProductionStack, type ProductionStack } from '../dev/stack/production-stack';
import { eventually } from './helpers/fixtures';
import { BOOTSTRAP_TOKEN, PROVIDER_SECRET, requestTo } from './helpers/use-harness';

// What `npm run stack` starts: PostgreSQL, Temporal's server on it, two api and two worker processes.
let stack: ProductionStack;
let temporal: Client;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-stack-'));
  // As root, PostgreSQL runs as the postgres user, who must reach its directory.
  chmodSync(dir, 0o755);
  stack = await startProductionStack({
    dataDir: dir,
    ephemeral: true,
    secrets: { bootstrapToken: BOOTSTRAP_TOKEN, providerSecret: PROVIDER_SECRET },
    env: { LOG_LEVEL: 'warn' },
    log: () => {},
  });
  temporal = new Client({ connection: await Connection.connect({ address: stack.temporal.address }) });
}, 300_000);

afterAll(async () => {
  await temporal?.connection.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** An organisation with a live WhatsApp number and an available operator, set up through api replica 1. */
async function deskThroughFirstApi() {
  const api = (method: string, path: string, key: string, body?: unknown) =>
    requestTo(stack.apis[0]!.url, method, path, { key, body, checkDocumented: true });
  const org = await api('POST', '/v1/orgs', BOOTSTRAP_TOKEN, { name: 'Topology Ltd' });
  expect(org.status).toBe(201);
  const admin: string = org.body.apiKey.key;
  const brand = await api('POST', '/v1/brands', admin, { name: 'Topology' });
  const dept = await api('POST', '/v1/departments', admin, { name: 'Support', brandIds: [brand.body.brand.id] });
  const departmentIds = [dept.body.department.id];
  const op = await api('POST', '/v1/operators', admin, {
    name: 'Olivia',
    email: 'olivia@topology.test',
    departmentIds,
  });
  await api('PUT', `/v1/operators/${op.body.operator.id}/presence`, op.body.apiKey.key, { status: 'available' });
  const terms = { acceptIntermediaryTerms: true, termsVersion: '2026-11' };
  const channel = await api('POST', '/v1/whatsapp/channel', admin, terms);
  expect([channel.status, channel.body.channel.twilioAccount.status]).toEqual([201, 'active']);
  const e164 = '+14155550199';
  stack.emulator.addNumber(e164, { whatsappSender: true, accountSid: channel.body.channel.twilioAccount.sid });
  const association = { phoneNumber: e164, brandId: brand.body.brand.id, departmentId: departmentIds[0] };
  expect((await api('POST', '/v1/whatsapp/numbers/existing', admin, association)).status).toBe(201);
  return { orgId: org.body.org.id as string, admin, e164 };
}

describe('the production topology (npm run stack)', () => {
  it('refuses to start on a port something else holds, naming it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    const refused = await startProductionStack({ dataDir: join(dir, 'refused'), ports: { api: taken } }).catch(
      (err: Error) => err,
    );
    holder.close();
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`Port ${taken} (PORT) is already in use`);
  });

  it('serves a webhook taken by one api replica through the other, its chat running on the Temporal server', async () => {
    const desk = await deskThroughFirstApi();
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const form = {
      MessageSid: sid,
      AccountSid: stack.emulator.accountOfNumber(desk.e164)!.sid,
      From: 'whatsapp:+15550007777',
      To: `whatsapp:${desk.e164}`,
      Body: 'Is anyone there?',
      ProfileName: 'Carla',
      WaId: '15550007777',
      NumMedia: '0',
    };
    // Twilio signs against the public URL (the load balancer's); replica 1 takes this delivery.
    const path = '/webhooks/twilio/messages';
    const { authToken } = stack.emulator.accountOfNumber(desk.e164)!;
    const signature = twilio.getExpectedTwilioSignature(authToken, `${stack.apiUrl}${path}`, form);
    const delivered = await fetch(`${stack.apis[0]!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(form).toString(),
    });
    expect(delivered.status).toBe(200);

    // Replica 2 shows the chat, routed to the operator by one of the worker processes.
    const conversation = await eventually(
      async () => {
        const list = await requestTo(stack.apis[1]!.url, 'GET', '/v1/conversations?status=open', {
          key: desk.admin,
          checkDocumented: true,
        });
        return list.body.conversations?.find((c: any) => c.customerAddress === '+15550007777');
      },
      'the open chat through api replica 2',
      30_000,
    );
    expect(conversation.status).toBe('open');

    // On the real server, with SQL visibility: an on-call engineer finds it by its custom search attributes.
    const query = `OrgId = "${desk.orgId}" AND ConversationStatus = "open"`;
    const run = await eventually(
      async () => {
        const runs: WorkflowExecutionInfo[] = [];
        for await (const r of temporal.workflow.list({ query })) runs.push(r);
        return runs.find((r) => r.workflowId.startsWith('conversation:'));
      },
      'the conversation workflow in visibility',
      30_000,
    );
    expect(run.status.name).toBe('RUNNING');
    expect(run.typedSearchAttributes.get(OrgId)).toBe(desk.orgId);
  }, 90_000);

  it('has both worker processes polling the task queue', async () => {
    const identities = stack.workers.map((w) => `${w.pid}@${hostname()}`);
    await eventually(async () => {
      const { pollers } = await temporal.connection.workflowService.describeTaskQueue({
        namespace: stack.namespace,
        taskQueue: { name: stack.taskQueue },
        taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return identities.every((id) => pollers.some((p) => p.identity === id));
    }, 'both workers among the pollers');
  });

  // Event streams closed by their clients were left open at the replicas behind the load balancer, until the
  // key could open no more.
  it('frees an event stream at its replica when the client behind the load balancer goes away', async () => {
    const org = await requestTo(stack.apiUrl, 'POST', '/v1/orgs', { key: BOOTSTRAP_TOKEN, body: { name: 'Streams' } });
    const key: string = org.body.apiKey.key;
    const open = async () => {
      const gone = new AbortController();
      const res = await fetch(`${stack.apiUrl}/v1/events`, {
        headers: { authorization: `Bearer ${key}` },
        signal: gone.signal,
      });
      if (res.status === 200) await res.body!.getReader().read();
      gone.abort();
      return res.status;
    };
    // More than the replicas would hold if closed streams stayed open; each is freed a moment after it closes.
    for (let i = 0; i <= MAX_STREAMS_PER_KEY * stack.apis.length; i++)
      await eventually(async () => (await open()) === 200, `stream ${i + 1} to open`, 10_000);
  });
});
