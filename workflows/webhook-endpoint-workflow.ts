import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  endpointChangedSignal,
  type WebhookActivities,
  type WebhookEndpointInput,
} from '../src/contracts/webhook-contract';
import { DATABASE_ACTIVITY } from './activity-options';

const db = proxyActivities<WebhookActivities>(DATABASE_ACTIVITY);
// A round waits up to 20 s for new events and delivers for up to a minute; it says it is alive meanwhile.
const delivery = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Rounds in one run before it carries on as a new one, keeping each history short. */
const ROUNDS_PER_RUN = 200;

/**
 * Delivers one endpoint's events in log order, so a conversation's events arrive in the order they
 * happened: a failing event is retried on the policy's schedule and nothing after it goes first. An
 * endpoint failing for `disableAfterSeconds` without a success is disabled; an admin enables it again.
 */
export async function webhookEndpointWorkflow(input: WebhookEndpointInput): Promise<void> {
  const { endpointId, policy } = input;
  let failingSince = input.failingSince;
  let attempt = input.attempt ?? 0;
  let changed = false;
  setHandler(endpointChangedSignal, () => {
    changed = true;
  });

  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    changed = false;
    const result = await delivery.deliverWebhooks({ endpointId });
    // Enabled again while it stopped: the admin's signal came before this run ended, so it carries on.
    if (result.outcome === 'stopped' && !changed) return;
    if (result.outcome !== 'failed') {
      [failingSince, attempt] = [undefined, 0];
      continue;
    }
    failingSince ??= Date.now();
    if (Date.now() - failingSince >= policy.disableAfterSeconds * 1000) {
      const since = new Date(failingSince).toISOString();
      await db.disableEndpoint({ endpointId, reason: `Failing since ${since}: ${result.error}` });
      if (!changed) return;
    }
    const waitSeconds = policy.retrySeconds[Math.min(attempt, policy.retrySeconds.length - 1)]!;
    attempt += 1;
    await db.noteNextAttempt({ endpointId, nextAttemptAt: new Date(Date.now() + waitSeconds * 1000).toISOString() });
    // An admin who enabled, replayed or changed the endpoint wants it tried now, afresh.
    if (await condition(() => changed, waitSeconds * 1000)) [failingSince, attempt] = [undefined, 0];
  }
  await continueAsNew<typeof webhookEndpointWorkflow>({ ...input, failingSince, attempt });
}
