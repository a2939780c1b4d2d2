import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import express, { Router } from 'express';
import { findActiveNumber, recordInbound, whatsappRoute } from '../../db/queries/inbound-queries';
import { recordStatusEvent } from '../../db/queries/message-queries';
import { conversationPolicy } from '../../db/queries/settings-queries';
import { subaccountBySid } from '../../db/queries/subaccount-queries';
import type { Db } from '../../db/database';
import { retryWhileDatabaseUnavailable } from '../../db/db-errors';
import { fromTwilioStatus } from '../../domain/message-status';
import type { Logger } from '../../logger';
import { countInbound, statusCallbacks } from '../../metrics';
import { notifyConversation } from '../../workflow-client/conversation-client';
import type { TenantAccounts } from '../../providers/twilio/sealed-credentials';
import { attachmentsOf, inboundMessageForm, statusCallbackForm } from '../../providers/twilio/twilio-webhook-forms';
import { ApiError, parse } from '../api-errors';
import { verifyTwilioSignature, webhookOrgId } from '../twilio-signature';

export interface WebhookDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Opens the organisations' subaccounts: each webhook is checked with its own account's token. */
  twilio: TenantAccounts;
  publicBaseUrl: string;
  logger: Logger;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * How long a webhook waits out a PostgreSQL restart before answering 503. Twilio's own retries come back to
 * back (our URLs ask for 2 more, each read within 7 s), so a restart would otherwise outlast all three tries.
 */
const DATABASE_PATIENCE_MS = 5_000;

/** Twilio only retries what we fail to acknowledge, so a dependency failure must be a 503, never a 200. */
async function orUnavailable<T>(dependency: string, logger: Logger, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    logger.error({ err, dependency }, 'webhook could not be recorded');
    throw new ApiError(503, 'temporarily_unavailable', `${dependency} is unavailable; retry the webhook`, {
      dependency,
    });
  }
}

export function twilioWebhooksRouter(deps: WebhookDeps): Router {
  const { db, logger } = deps;
  // One deadline per webhook, from its arrival: finding the account and storing the message share it.
  const patientDatabase =
    (locals: Record<string, unknown>) =>
    <T>(work: () => Promise<T>) =>
      orUnavailable('database', logger, () => retryWhileDatabaseUnavailable(work, locals.deadline as number));
  const lookup = (locals: Record<string, unknown>) => async (accountSid: string) => {
    const account = await patientDatabase(locals)(() => subaccountBySid(db, accountSid));
    return account && { orgId: account.orgId, authToken: deps.twilio.open(account).authToken };
  };
  const r = Router();
  r.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  r.use((req, res, next) => {
    res.locals.deadline = Date.now() + DATABASE_PATIENCE_MS;
    return verifyTwilioSignature(lookup(res.locals), deps.publicBaseUrl)(req, res, next);
  });

  r.post('/messages', async (req, res) => {
    const database = patientDatabase(res.locals);
    const form = parse(inboundMessageForm, req.body, 'form');
    const number = await database(() => findActiveNumber(db, form.To));
    // Another organisation's number, even signed by a subaccount of ours, is not this account's to write to.
    if (number?.orgId !== webhookOrgId(res.locals))
      throw new ApiError(404, 'unknown_number', `${form.To} is not an active WhatsApp number of this account`);
    const attachments = attachmentsOf(form);
    // Safe to repeat: a message is stored once per MessageSid.
    const recorded = await database(() =>
      recordInbound(db, whatsappRoute(number), {
        providerSid: form.MessageSid,
        customerAddress: form.From,
        customerName: form.ProfileName,
        body: form.Body,
        attachments,
        receivedAt: new Date(),
      }),
    );
    countInbound('whatsapp', recorded.duplicate);
    const { messageId, receivedAt } = recorded;
    if (recorded.conversation.status !== 'closed') {
      const policy = await database(() => conversationPolicy(db, number));
      await orUnavailable('temporal', logger, () =>
        notifyConversation(
          deps.temporal,
          deps.taskQueue,
          recorded.conversation,
          { messageId, receivedAt, unsupportedContent: attachments.some((a) => !a.allowed) },
          policy,
        ).catch((err: unknown) => {
          // Its workflow ended without closing the row (a close and a message cannot cross: they share a lock).
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            logger.warn(
              { messageSid: form.MessageSid, conversationId: recorded.conversation.id },
              'message arrived as its conversation closed',
            );
            return;
          }
          throw err;
        }),
      );
    }
    logger.debug({ messageSid: form.MessageSid, duplicate: recorded.duplicate }, 'inbound recorded');
    res.type('text/xml').send(EMPTY_TWIML);
  });

  r.post('/status', async (req, res) => {
    const database = patientDatabase(res.locals);
    const form = parse(statusCallbackForm, req.body, 'form');
    const status = fromTwilioStatus(form.MessageStatus);
    if (!status) {
      statusCallbacks.inc({ status: 'unknown' });
      logger.warn({ messageSid: form.MessageSid, status: form.MessageStatus }, 'ignoring unknown message status');
      res.status(200).end();
      return;
    }
    // Safe to repeat: a status event is kept once, and a status never moves back.
    const event = { providerSid: form.MessageSid, status, errorCode: form.ErrorCode ?? null };
    const result = await database(() => db.transaction((tx) => recordStatusEvent(tx, event, webhookOrgId(res.locals))));
    if (result.foreign) {
      const why = `${form.MessageSid} is not a message of account ${form.AccountSid}`;
      throw new ApiError(400, 'account_mismatch', why);
    }
    statusCallbacks.inc({ status });
    if (!result.known)
      logger.info(
        { messageSid: form.MessageSid, status },
        'status callback for an unknown MessageSid: kept, applied if a send records that SID',
      );
    res.status(200).end();
  });

  return r;
}
