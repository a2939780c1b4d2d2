import express from 'express';
import type { AddressInfo } from 'node:net';
import { basicAuth } from './auth';
import { contentRouter, seedTemplates, type EmulatedTemplate } from './content';
import { controlRouter } from './control';
import { playInbound, type InboundMessage, type InboundResult } from './inbound';
import { messagesRouter, sendStatus, type MessagesOptions } from './messages';
import { addNumber, numbersRouter } from './numbers';
import { newState, type EmulatedNumber, type EmulatedStatus, type SentMessage } from './state';

export type { EmulatedStatus, SentMessage } from './state';

export interface EmulatorOptions {
  accountSid: string;
  authToken: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where customer messages are posted: the app's inbound webhook. */
  inboundWebhookUrl?: string;
  statusCallbackDelayMs?: number;
  /** Callbacks sent after each accepted message, in order. */
  autoStatuses?: EmulatedStatus[];
  numbers?: { phoneNumber: string; whatsappSender?: boolean }[];
  log?: (line: string) => void;
}

export interface TwilioEmulator {
  url: string;
  close: () => Promise<void>;
  sentMessages: () => SentMessage[];
  /** The account's WhatsApp templates (Content API), approved or not. */
  templates: () => EmulatedTemplate[];
  playInbound: (msg: InboundMessage) => Promise<InboundResult>;
  pushStatus: (messageSid: string, status: EmulatedStatus, errorCode?: string) => Promise<void>;
  /** The next `times` sends (default 1), optionally only to `to`, answer this Twilio error. */
  failNextSend: (failure: { to?: string; code: number; message?: string; status?: number; times?: number }) => void;
  clearFailures: () => void;
  /** Accepts messages but holds each answer until the returned function is called. */
  holdSends: () => () => void;
  addNumber: (phoneNumber: string, opts?: { whatsappSender?: boolean }) => EmulatedNumber;
  reset: () => void;
}

/**
 * A local Twilio: the REST endpoints Switchboard uses, in Twilio's wire format, reached through
 * the real SDK via TWILIO_API_BASE_URL; plus signed webhooks towards the app.
 */
export async function startTwilioEmulator(opts: EmulatorOptions): Promise<TwilioEmulator> {
  const state = newState();
  const log = opts.log ?? ((line: string) => console.error(`[twilio-emulator] ${line}`));
  const messageOpts: MessagesOptions = {
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    autoStatuses: opts.autoStatuses ?? ['sent', 'delivered'],
    statusCallbackDelayMs: opts.statusCallbackDelayMs ?? 20,
    log,
  };
  for (const n of opts.numbers ?? []) addNumber(state, n.phoneNumber, n);
  seedTemplates(state);

  const app = express();
  const account = '/2010-04-01/Accounts/:accountSid';
  app.use(account, basicAuth(opts.accountSid, opts.authToken));
  app.use(account, messagesRouter(state, messageOpts));
  app.use(account, numbersRouter(state, opts.accountSid));
  app.use('/v1', basicAuth(opts.accountSid, opts.authToken));
  app.use(contentRouter(state, opts.accountSid));
  app.get(`${account}/Messages/:messageSid/Media/:mediaSid`, (req, res) => {
    const media = state.media.get(req.path);
    if (!media) return void res.status(404).json({ code: 20404, message: 'Media not found', status: 404 });
    res.type(media.contentType).send(media.bytes);
  });
  app.use('/_emulator', controlRouter(() => emulator));
  app.use((req, res) => {
    res.status(404).json({ code: 20404, message: `The emulator does not implement ${req.method} ${req.path}`, status: 404 });
  });

  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;

  const emulator: TwilioEmulator = {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    sentMessages: () => [...state.messages.values()],
    templates: () => [...state.templates.values()],
    playInbound: (msg) =>
      playInbound(
        {
          accountSid: opts.accountSid,
          authToken: opts.authToken,
          mediaBaseUrl: url,
          webhookUrl: opts.inboundWebhookUrl,
          // Some bytes of the declared type: enough for a download to be checked end to end.
          storeMedia: (path, contentType) => state.media.set(path, { contentType, bytes: Buffer.from(`emulated ${contentType} `.repeat(64)) }),
        },
        msg,
      ),
    pushStatus: async (sid, status, errorCode) => {
      const message = state.messages.get(sid);
      if (!message) throw new Error(`no message ${sid}`);
      await sendStatus(messageOpts, message, status, errorCode);
    },
    failNextSend: (f) =>
      state.failures.push({ to: f.to, code: f.code, message: f.message ?? `Twilio error ${f.code}`, status: f.status ?? 400, remaining: f.times ?? 1 }),
    clearFailures: () => {
      state.failures.length = 0;
    },
    holdSends: () => {
      let release = () => {};
      state.hold = new Promise<void>((resolve) => {
        release = () => {
          state.hold = undefined;
          resolve();
        };
      });
      return release;
    },
    addNumber: (phoneNumber, o) => addNumber(state, phoneNumber, o ?? {}),
    reset: () => {
      state.messages.clear();
      state.failures.length = 0;
    },
  };
  return emulator;
}
