import express, { Router } from 'express';
import { z } from 'zod';
import type { InboundMessage, InboundResult } from './emulated-inbound';
import {
  SENDER_STATUSES,
  type EmulatedAccessRequest,
  type EmulatedAccount,
  type EmulatedNumber,
  type EmulatedSender,
  type EmulatedStatus,
  type EmulatedTemplate,
  type SenderOutcome,
  type SenderReason,
  type SenderStatus,
  type SentMessage,
} from './emulator-state';

const status = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed']);
const inbound = z.object({
  from: z.string(),
  to: z.string(),
  body: z.string().optional(),
  profileName: z.string().optional(),
  waId: z.string().optional(),
  media: z.array(z.object({ url: z.string().optional(), contentType: z.string() })).optional(),
  messageSid: z.string().optional(),
  webhookUrl: z.url().optional(),
});

export interface TwilioEmulator {
  url: string;
  close: () => Promise<void>;
  sentMessages: () => SentMessage[];
  /** An account's WhatsApp templates (Content API), approved or not; the main account's by default. */
  templates: (accountSid?: string) => EmulatedTemplate[];
  /** The main account and every subaccount, with their auth tokens. */
  accounts: () => EmulatedAccount[];
  /** The account holding a number: Twilio signs that number's webhooks with its auth token. */
  accountOfNumber: (phoneNumber: string) => EmulatedAccount | undefined;
  /** The next `times` subaccount creations (default 1) answer this Twilio error. */
  failNextAccountCreation: (failure: { code: number; message?: string; status?: number; times?: number }) => void;
  playInbound: (msg: InboundMessage) => Promise<InboundResult>;
  pushStatus: (messageSid: string, status: EmulatedStatus, errorCode?: string) => Promise<void>;
  /** The next `times` sends (default 1), optionally only to `to`, answer this Twilio error. */
  failNextSend: (failure: { to?: string; code: number; message?: string; status?: number; times?: number }) => void;
  clearFailures: () => void;
  /** Accepts messages but holds each answer until the returned function is called. */
  holdSends: () => () => void;
  /** A number on an account (the main one unless named); `whatsappSender` makes it an ONLINE sender too. */
  addNumber: (phoneNumber: string, opts?: { whatsappSender?: boolean; accountSid?: string }) => EmulatedNumber;
  /** Someone else buys it: it leaves the available list and buying it fails with 21422. */
  takeNumber: (phoneNumber: string) => void;
  /** Numbers released (deleted) through the API, in order. */
  releasedNumbers: () => string[];
  senders: () => EmulatedSender[];
  /** The next sender created for this number ends in `outcome` (e.g. OFFLINE with a reason) instead of ONLINE. */
  planSender: (phoneNumber: string, outcome: SenderOutcome) => void;
  /** Sets a sender's status now; the clock no longer moves it. */
  setSenderStatus: (sid: string, status: SenderStatus, reason?: SenderReason) => void;
  /** Business Manager access requests submitted to the provider's onboarding desk. */
  accessRequests: () => EmulatedAccessRequest[];
  reset: () => void;
}

/** Test and demo controls, without auth: the emulator only ever listens on this machine. */
export function controlRouter(emulator: () => TwilioEmulator): Router {
  const r = Router();
  r.use(express.json());
  const body = <T extends z.ZodType>(schema: T, value: unknown): z.infer<T> => schema.parse(value);

  r.get('/messages', (_req, res) => {
    res.json({ messages: emulator().sentMessages() });
  });
  r.post('/inbound', async (req, res) => {
    res.json(await emulator().playInbound(body(inbound, req.body)));
  });
  r.post('/messages/:sid/status', async (req, res) => {
    const input = body(z.object({ status, errorCode: z.string().optional() }), req.body);
    await emulator().pushStatus(req.params.sid, input.status, input.errorCode);
    res.json({ ok: true });
  });
  r.post('/failures', (req, res) => {
    emulator().failNextSend(
      body(
        z.object({
          to: z.string().optional(),
          code: z.number().int(),
          message: z.string().optional(),
          status: z.number().int().optional(),
          times: z.number().int().min(1).optional(),
        }),
        req.body,
      ),
    );
    res.json({ ok: true });
  });
  r.get('/accounts', (_req, res) => {
    res.json({ accounts: emulator().accounts() });
  });
  r.post('/account-failures', (req, res) => {
    const failure = z.object({
      code: z.number().int(),
      message: z.string().optional(),
      status: z.number().int().optional(),
      times: z.number().int().min(1).optional(),
    });
    emulator().failNextAccountCreation(body(failure, req.body));
    res.json({ ok: true });
  });
  r.post('/numbers', (req, res) => {
    const input = body(
      z.object({ phoneNumber: z.string(), whatsappSender: z.boolean().optional(), accountSid: z.string().optional() }),
      req.body,
    );
    const { phoneNumber, ...opts } = input;
    if (
      opts.accountSid &&
      !emulator()
        .accounts()
        .some((a) => a.sid === opts.accountSid)
    )
      return void res.status(404).json({ error: `no account ${opts.accountSid}` });
    emulator().addNumber(phoneNumber, opts);
    res.json({ ok: true });
  });
  r.post('/numbers/:phoneNumber/take', (req, res) => {
    emulator().takeNumber(req.params.phoneNumber);
    res.json({ ok: true });
  });
  r.get('/senders', (_req, res) => {
    res.json({ senders: emulator().senders() });
  });
  r.post('/senders/:sid/status', (req, res) => {
    const input = body(
      z.object({
        status: z.enum(SENDER_STATUSES),
        reason: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
      req.body,
    );
    emulator().setSenderStatus(req.params.sid, input.status, input.reason);
    res.json({ ok: true });
  });
  r.get('/access-requests', (_req, res) => {
    res.json({ accessRequests: emulator().accessRequests() });
  });
  r.post('/reset', (_req, res) => {
    emulator().reset();
    res.json({ ok: true });
  });
  r.use(((err, _req, res, _next) => {
    res.status(err instanceof z.ZodError ? 400 : 500).json({ error: err instanceof Error ? err.message : String(err) });
  }) as express.ErrorRequestHandler);
  return r;
}
