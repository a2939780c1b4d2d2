import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  endpointChangedSignal,
  webhookEndpointWorkflowType,
  type DeliveryRound,
  type WebhookActivities,
  type WebhookEndpointWorkflow,
} from '../../src/contracts/webhook-contract';
import { useTimeSkipping } from '../helpers/time-skipping';
import { fakeWorkers, Recorder } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const policy = { retrySeconds: [5, 30, 120], disableAfterSeconds: 3600 };
const failed: DeliveryRound = { outcome: 'failed', statusCode: 500, error: 'The endpoint answered 500' };

/** An endpoint answering each round in turn (the last answer repeats). */
function webhookFakes(rounds: DeliveryRound[]) {
  const rec = new Recorder(t);
  let round = 0;
  const activities = rec.wrap<WebhookActivities>({
    deliverWebhooks: () => rounds[Math.min(round++, rounds.length - 1)]!,
    noteNextAttempt: () => undefined,
    disableEndpoint: () => undefined,
  });
  return { rec, activities };
}

const start = (taskQueue: string) =>
  t.client.workflow.start<WebhookEndpointWorkflow>(webhookEndpointWorkflowType, {
    workflowId: `webhook-endpoint:${randomUUID()}`,
    taskQueue,
    args: [{ endpointId: 'e1', orgId: 'o1', policy }],
  });

describe('webhook endpoint workflow', () => {
  it("retries the failed event on the policy's schedule, then disables the endpoint once it has failed an hour", async () => {
    const { rec, activities } = webhookFakes([failed]);
    const t0 = await t.env.currentTimeMs();
    await withWorker(activities, async (taskQueue) => (await start(taskQueue)).result());
    const tries = rec.of('deliverWebhooks').map((c) => (c.at - t0) / 1000);
    const gaps = tries.slice(1, 5).map((at, i) => at - tries[i]!);
    // Each wait is its step of the schedule, the last repeating: at least that long, short of the next step.
    [5, 30, 120, 120].forEach((seconds, i) => expect(gaps[i]).toBeGreaterThanOrEqual(seconds));
    [30, 120, 240, 240].forEach((next, i) => expect(gaps[i]).toBeLessThan(next));
    expect(tries.at(-1)).toBeGreaterThanOrEqual(3600);
    expect(rec.inputs('disableEndpoint')).toEqual([
      { endpointId: 'e1', reason: expect.stringMatching(/^Failing since .*: The endpoint answered 500$/) },
    ]);
    expect(rec.of('disableEndpoint')[0]!.at - t0).toBeGreaterThanOrEqual(3600_000);
  });

  it('starts the failure clock anew after a success', async () => {
    const delivered: DeliveryRound = { outcome: 'delivered', count: 1 };
    const { rec, activities } = webhookFakes([failed, failed, delivered, failed, { outcome: 'stopped' }]);
    await withWorker(activities, async (taskQueue) => (await start(taskQueue)).result());
    expect(rec.inputs('noteNextAttempt')).toHaveLength(3);
    const waits = rec.of('deliverWebhooks').map((c, i, all) => (i ? c.at - all[i - 1]!.at : 0));
    expect(waits.map((ms) => Math.round(ms / 1000))).toEqual([0, 5, 30, 0, 5]);
    expect(rec.names()).not.toContain('disableEndpoint');
  });

  it('tries again at once when an admin changes the endpoint during a wait', async () => {
    const { rec, activities } = webhookFakes([failed, failed, failed, { outcome: 'stopped' }]);
    await withWorker(activities, async (taskQueue) => {
      const handle = track(await start(taskQueue));
      await t.env.sleep('40 seconds');
      const before = rec.of('deliverWebhooks').length;
      const signalled = await t.env.currentTimeMs();
      await handle.signal(endpointChangedSignal);
      await handle.result();
      expect(rec.of('deliverWebhooks')[before]!.at - signalled).toBeLessThan(1000);
    });
  });

  // The endpoint was disabled, the admin enabled it and signalled this very run as it found it stopped.
  it('carries on when enabled again while a round found the endpoint stopped', async () => {
    const { rec, activities } = webhookFakes([
      { outcome: 'stopped' },
      { outcome: 'delivered', count: 1 },
      { outcome: 'stopped' },
    ]);
    const round = rec.hold('deliverWebhooks');
    await withWorker(activities, async (taskQueue) => {
      const handle = track(await start(taskQueue));
      await round.entered;
      await handle.signal(endpointChangedSignal);
      round.release();
      await handle.result();
    });
    expect(rec.of('deliverWebhooks')).toHaveLength(3);
  });
});
