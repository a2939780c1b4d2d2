import { Context } from '@temporalio/activity';
import type { DeliveryRound, WebhookActivities } from '../src/contracts/webhook-contract';
import type { Db } from '../src/db/database';
import type { EventWaker } from '../src/db/event-waker';
import { eventsAfter } from '../src/db/queries/event-queries';
import {
  disableEndpoint,
  endpointById,
  moveCursor,
  noteNextAttempt,
  recordAttempts,
  type Attempt,
} from '../src/db/queries/webhook-queries';
import { eventId, eventPayload } from '../src/domain/events';
import { countOutboundWebhookDelivery } from '../src/metrics';
import { unseal } from '../src/providers/sealing';
import { sendWebhook } from '../src/providers/webhooks/webhook-sender';

const BATCH = 100;
/** A round delivers for about this long, then reports, so the workflow's history shows progress. */
const ROUND_MS = 60_000;
/** How long a round with nothing to deliver waits for news before it reports idle. */
const IDLE_MS = 20_000;
/** An endpoint that does not answer in this long has failed the attempt. */
const ANSWER_TIMEOUT_MS = 10_000;
/** Deliveries recorded together (one transaction): a worker that dies sends at most these again. */
const RECORD_EVERY = 25;

export interface WebhookDeps {
  db: Db;
  /** SWITCHBOARD_SECRETS_KEY: opens the endpoints' signing secrets. */
  secretsKey: Buffer;
  /** Development only: deliver to private, loopback and link-local addresses too. */
  allowPrivateTargets: boolean;
  events: EventWaker;
}

/** Outbound webhooks: each endpoint's events, in log order, signed, at least once. */
export function createWebhookActivities(deps: WebhookDeps): WebhookActivities {
  const { db } = deps;

  /** Waits for the organisation's next event after `mark`, saying it is alive meanwhile; false if none came in time. */
  async function news(orgId: string, mark: string, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    const { cancellationSignal } = Context.current();
    while (Date.now() < until && !cancellationSignal.aborted) {
      Context.current().heartbeat();
      if (await deps.events.wait(orgId, mark, Math.min(5_000, until - Date.now()), cancellationSignal)) return true;
    }
    return false;
  }

  async function deliverWebhooks({ endpointId }: { endpointId: string }): Promise<DeliveryRound> {
    const started = Date.now();
    let delivered = 0;
    const attempts: Attempt[] = [];
    const record = () => db.transaction((tx) => recordAttempts(tx, endpointId, attempts.splice(0)));
    for (;;) {
      const endpoint = await endpointById(db, endpointId);
      if (endpoint?.status !== 'enabled') return { outcome: 'stopped' };
      const secret = unseal(deps.secretsKey, endpoint.id, endpoint.secretSealed);
      const reader = { orgId: endpoint.orgId, operatorId: null };
      const from = { txid: endpoint.cursorTxid, id: endpoint.cursorId };
      const mark = deps.events.mark(endpoint.orgId);
      const found = await eventsAfter(db, reader, from, BATCH);
      const wanted = (type: string) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.some((t) => t === type);
      for (const e of found.events) {
        Context.current().heartbeat();
        if (!wanted(e.type)) continue;
        const body = JSON.stringify(eventPayload(e));
        const sent = await sendWebhook({
          url: endpoint.url,
          secret,
          id: eventId(e.id),
          body,
          allowPrivate: deps.allowPrivateTargets,
          timeoutMs: ANSWER_TIMEOUT_MS,
        });
        attempts.push({ event: e, ...sent, at: new Date() });
        countOutboundWebhookDelivery(sent.error === null ? 'delivered' : sent.statusCode ? 'refused' : 'unreachable');
        if (sent.error !== null) {
          await record();
          return { outcome: 'failed', statusCode: sent.statusCode, error: sent.error };
        }
        delivered += 1;
        if (attempts.length >= RECORD_EVERY) await record();
      }
      // The cursor passes taken events, and the skipped ones before them.
      await record();
      const last = found.events.at(-1);
      if (last && !wanted(last.type)) await moveCursor(db, endpointId, last);
      // The round stays with the endpoint while events keep coming: a return to the workflow per batch
      // would cost a round trip through Temporal for every few events.
      const left = ROUND_MS - (Date.now() - started);
      const done =
        delivered > 0 || found.events.length > 0
          ? { outcome: 'delivered' as const, count: delivered }
          : { outcome: 'idle' as const };
      if (left <= 0) return done;
      if (found.events.length === BATCH) continue;
      // Later events wait behind a transaction still open: they are readable in a moment, unannounced.
      if (found.behindOpenTransaction) await new Promise((resolve) => setTimeout(resolve, 50));
      else if (!(await news(endpoint.orgId, mark, Math.min(IDLE_MS, left)))) return done;
    }
  }

  return {
    deliverWebhooks,
    noteNextAttempt: ({ endpointId, nextAttemptAt }) => noteNextAttempt(db, endpointId, new Date(nextAttemptAt)),
    disableEndpoint: ({ endpointId, reason }) => disableEndpoint(db, endpointId, reason),
  };
}
