import { Router, type Response } from 'express';
import { z } from 'zod';
import { actingAccount } from './emulator-auth';
import { syncNumber } from './sender-lifecycle';
import type { EmulatorState, SenderRecord } from './emulator-state';
import { E164, jsonBody, newSid, twilioError } from './twilio-wire';

// The SDK sends the create body as given, so these are Twilio's own snake_case keys.
const createBody = z.object({
  sender_id: z
    .string()
    .refine(
      (v) => v.startsWith('whatsapp:') && E164.test(v.slice('whatsapp:'.length)),
      'expected whatsapp:<E.164 phone number>',
    ),
  configuration: z.looseObject({ waba_id: z.string().optional() }).optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
  webhook: z
    .looseObject({
      callback_url: z.string().optional(),
      callback_method: z.string().optional(),
      status_callback_url: z.string().optional(),
    })
    .optional(),
});

const SENDERS = '/v2/Channels/Senders';

function senderJson(s: SenderRecord) {
  return {
    sid: s.sid,
    status: s.status,
    sender_id: s.senderId,
    configuration: s.configuration,
    webhook: s.webhook,
    profile: s.profile,
    properties: { quality_rating: null, messaging_limit: null },
    offline_reasons:
      s.offlineReasons?.map((r) => ({ ...r, more_info: `https://www.twilio.com/docs/errors/${r.code}` })) ?? null,
    url: `https://messaging.twilio.com${SENDERS}/${s.sid}`,
  };
}

/** WhatsApp Senders API (messaging.twilio.com/v2): registering an account's number with WhatsApp. */
export function sendersRouter(state: EmulatorState): Router {
  const r = Router();
  // The caller's own senders only: another account's are not found.
  const find = (res: Response, sid: string) => {
    const s = state.senders.get(sid);
    return s && !s.deleted && s.accountSid === actingAccount(res) ? s : undefined;
  };

  r.post(SENDERS, jsonBody(63100), (req, res) => {
    const parsed = createBody.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return twilioError(res, 400, 63100, `Invalid ${issue.path.join('.') || 'request body'}: ${issue.message}`);
    }
    const { sender_id: senderId, configuration, profile, webhook } = parsed.data;
    const phoneNumber = senderId.slice('whatsapp:'.length);
    if (state.numbers.get(phoneNumber)?.accountSid !== actingAccount(res))
      return twilioError(res, 400, 63100, `The phone number ${phoneNumber} is not on this account`);
    if ([...state.senders.values()].some((s) => s.senderId === senderId && !s.deleted))
      return twilioError(res, 409, 63103, 'Sender already exists');
    const sender: SenderRecord = {
      sid: newSid('XE'),
      accountSid: actingAccount(res),
      senderId,
      wabaId: configuration?.waba_id ?? null,
      phoneNumber,
      status: 'CREATING',
      offlineReasons: null,
      profileName: profile?.name ?? null,
      callbackUrl: webhook?.callback_url ?? null,
      deleted: false,
      createdAt: Date.now(),
      outcome: state.senderPlans.get(phoneNumber) ?? { status: 'ONLINE' },
      frozen: false,
      enabledNumber: false,
      configuration: { waba_id: null, ...configuration },
      webhook: { callback_url: null, callback_method: null, status_callback_url: null, ...webhook },
      profile: { name: null, ...profile },
    };
    state.senderPlans.delete(phoneNumber);
    state.senders.set(sender.sid, sender);
    res.status(201).json(senderJson(sender));
  });

  // Lets a retried registration find the sender an earlier attempt created.
  r.get(SENDERS, (req, res) => {
    if (req.query.Channel !== 'whatsapp') return twilioError(res, 400, 20001, 'Channel must be whatsapp');
    const senders = [...state.senders.values()].filter((s) => !s.deleted && s.accountSid === actingAccount(res));
    const url = `https://messaging.twilio.com${SENDERS}?Channel=whatsapp&PageSize=1000&Page=0`;
    res.json({
      senders: senders.map(senderJson),
      meta: {
        page: 0,
        page_size: 1000,
        first_page_url: url,
        previous_page_url: null,
        url,
        next_page_url: null,
        key: 'senders',
      },
    });
  });

  r.get(`${SENDERS}/:sid`, (req, res) => {
    const s = find(res, req.params.sid);
    if (!s) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(senderJson(s));
  });

  r.delete(`${SENDERS}/:sid`, (req, res) => {
    const s = find(res, req.params.sid);
    if (!s) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    s.deleted = true;
    syncNumber(state, s);
    res.status(204).end();
  });

  return r;
}
