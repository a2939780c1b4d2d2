import express, { Router } from 'express';
import { actingAccount } from './emulator-auth';
import type { EmulatorState, EmulatedStatus, SentMessage } from './emulator-state';
import { postSigned } from './signed-webhooks';
import { E164, newSid, onePage, rfc2822, twilioError } from './twilio-wire';

export interface MessagesOptions {
  /** The auth token of an account: Twilio signs each callback with the token of the message's account. */
  tokenOf: (accountSid: string) => string;
  autoStatuses: EmulatedStatus[];
  statusCallbackDelayMs: number;
  log: (line: string) => void;
}

export function messageJson(m: SentMessage) {
  const { accountSid } = m;
  return {
    sid: m.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    direction: 'outbound-api',
    from: m.from,
    to: m.to,
    status: m.status,
    num_media: String(m.mediaUrls.length),
    num_segments: '1',
    error_code: null,
    error_message: null,
    messaging_service_sid: null,
    price: null,
    price_unit: 'USD',
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateCreated),
    date_sent: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
  };
}

const ERROR_STATUSES = new Set<EmulatedStatus>(['failed', 'undelivered']);

/** Sends one signed status callback, as Twilio does for each step of a message's delivery. */
export async function sendStatus(
  opts: MessagesOptions,
  m: SentMessage,
  status: EmulatedStatus,
  errorCode?: string,
): Promise<void> {
  m.status = status;
  if (!m.statusCallback) return;
  const params: Record<string, string> = {
    MessageSid: m.sid,
    SmsSid: m.sid,
    AccountSid: m.accountSid,
    From: m.from,
    To: m.to,
    MessageStatus: status,
    SmsStatus: status,
    ApiVersion: '2010-04-01',
    ChannelPrefix: 'whatsapp',
    ChannelToAddress: m.to.replace(/^whatsapp:/, ''),
  };
  if (ERROR_STATUSES.has(status)) params.ErrorCode = errorCode ?? '30008';
  try {
    const res = await postSigned(m.statusCallback, opts.tokenOf(m.accountSid), params);
    if (res.status >= 300) opts.log(`status callback for ${m.sid} (${status}) answered ${res.status}`);
  } catch (err) {
    opts.log(`status callback for ${m.sid} (${status}) failed: ${(err as Error).message}`);
  }
}

export function messagesRouter(state: EmulatorState, opts: MessagesOptions): Router {
  const r = Router({ mergeParams: true });
  r.use(express.urlencoded({ extended: false }));

  r.post('/Messages.json', async (req, res) => {
    const form = req.body as Record<string, string | string[] | undefined>;
    const field = (name: string) => [form[name] ?? []].flat()[0] ?? '';
    const mediaUrls = [form.MediaUrl ?? []].flat();
    const to = field('To');
    const from = field('From');
    if (!to.startsWith('whatsapp:') || !E164.test(to.slice(9))) {
      return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    const accountSid = actingAccount(res);
    const sender = state.numbers.get(from.replace(/^whatsapp:/, ''));
    if (!from.startsWith('whatsapp:') || !sender?.whatsappSender || sender.accountSid !== accountSid) {
      return twilioError(res, 400, 63007, `Twilio could not find a Channel with the specified From address: ${from}`);
    }
    const contentSid = field('ContentSid');
    if (!field('Body') && mediaUrls.length === 0 && !contentSid)
      return twilioError(res, 400, 21602, 'Message body is required.');
    if (contentSid && state.templates.get(contentSid)?.accountSid !== accountSid)
      return twilioError(res, 400, 21655, 'The ContentSid is Invalid');
    const failureAt = state.failures.findIndex((f) => !f.to || f.to === to || `whatsapp:${f.to}` === to);
    if (failureAt >= 0) {
      const failure = state.failures[failureAt]!;
      if (--failure.remaining <= 0) state.failures.splice(failureAt, 1);
      return twilioError(res, failure.status, failure.code, failure.message);
    }
    const message: SentMessage = {
      sid: newSid('SM'),
      accountSid,
      to,
      from,
      body: field('Body'),
      mediaUrls,
      status: 'queued',
      statusCallback: field('StatusCallback') || undefined,
      dateCreated: new Date(),
      form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, [v ?? []].flat().join(',')])),
    };
    state.messages.set(message.sid, message);
    if (state.hold) await state.hold;
    res.status(201).json(messageJson(message));
    void (async () => {
      for (const status of opts.autoStatuses) {
        await new Promise((resolve) => setTimeout(resolve, opts.statusCallbackDelayMs));
        await sendStatus(opts, message, status);
      }
    })();
  });

  // Newest first, filtered by To and From as Twilio does; one page is all a lookup of recent sends needs.
  r.get('/Messages.json', (req, res) => {
    const query = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
    const pageSize = Math.min(Number(query('PageSize') ?? 50) || 50, 1000);
    const accountSid = actingAccount(res);
    const rows = [...state.messages.values()]
      .filter((m) => m.accountSid === accountSid)
      .filter((m) => (!query('To') || m.to === query('To')) && (!query('From') || m.from === query('From')))
      .reverse()
      .slice(0, pageSize);
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json?PageSize=${pageSize}&Page=0`;
    const messages = rows.map(messageJson);
    res.json(onePage('messages', messages, uri, pageSize));
  });

  r.get('/Messages/:sid.json', (req, res) => {
    const message = state.messages.get(req.params.sid ?? '');
    if (message?.accountSid !== actingAccount(res))
      return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(messageJson(message));
  });

  return r;
}
