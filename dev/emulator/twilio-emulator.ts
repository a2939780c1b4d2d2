import express from 'express';
import type { AddressInfo } from 'node:net';
import { accountAuth, bearerAuth } from './emulator-auth';
import { accountsRouter, addAccount } from './emulated-accounts';
import { availableRouter } from './emulated-available-numbers';
import { contentRouter } from './emulated-content';
import { controlRouter, type TwilioEmulator } from './emulator-control';
import { deskRouter } from './emulated-desk';
import { configuredInboundUrl, playInbound } from './emulated-inbound';
import { planSender, senderView, setSenderStatus, settleSenders, syncNumber } from './sender-lifecycle';
import { messagesRouter, sendStatus, type MessagesOptions } from './emulated-messages';
import { addNumber, numbersRouter } from './emulated-numbers';
import { sendersRouter } from './emulated-senders';
import { newState, type EmulatedStatus } from './emulator-state';

export type { TwilioEmulator } from './emulator-control';
export type {
  EmulatedAccount,
  EmulatedAccessRequest,
  EmulatedSender,
  EmulatedStatus,
  SenderOutcome,
  SenderReason,
  SenderStatus,
  SentMessage,
} from './emulator-state';

export interface EmulatorOptions {
  /** The main account: it creates the subaccounts. */
  accountSid: string;
  authToken: string;
  /** The bearer token the provider's onboarding desk takes (it is not Twilio, and has its own). */
  deskToken: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where customer messages are posted: the app's inbound webhook. */
  inboundWebhookUrl?: string;
  statusCallbackDelayMs?: number;
  /** Callbacks sent after each accepted message, in order. */
  autoStatuses?: EmulatedStatus[];
  /** Numbers already there: on the main account unless `accountSid` names one of `subaccounts`. */
  numbers?: { phoneNumber: string; whatsappSender?: boolean; accountSid?: string }[];
  /** Subaccounts that exist already (a restart of the demo keeps those Switchboard knows). */
  subaccounts?: { sid: string; authToken: string; friendlyName: string }[];
  /** How long a new WhatsApp sender stays in each review status before the next (default 300). */
  senderStepMs?: number;
  log?: (line: string) => void;
}

/**
 * A local Twilio: the REST endpoints Switchboard uses, in Twilio's wire format, reached through
 * the real SDK via TWILIO_API_BASE_URL; plus signed webhooks towards the app.
 */
export async function startTwilioEmulator(opts: EmulatorOptions): Promise<TwilioEmulator> {
  const state = newState();
  const log = opts.log ?? ((line: string) => console.error(`[twilio-emulator] ${line}`));
  const main = { sid: opts.accountSid, authToken: opts.authToken, friendlyName: 'Main', ownerAccountSid: null };
  addAccount(state, main);
  for (const sub of opts.subaccounts ?? []) addAccount(state, { ...sub, ownerAccountSid: main.sid });
  const accountOf = (sid: string) => state.accounts.get(sid) ?? state.accounts.get(main.sid)!;
  const messageOpts: MessagesOptions = {
    tokenOf: (sid) => accountOf(sid).authToken,
    autoStatuses: opts.autoStatuses ?? ['sent', 'delivered'],
    statusCallbackDelayMs: opts.statusCallbackDelayMs ?? 20,
    log,
  };
  for (const n of opts.numbers ?? []) addNumber(state, n.phoneNumber, { ...n, accountSid: n.accountSid ?? main.sid });

  const senderStepMs = opts.senderStepMs ?? 300;

  const app = express();
  app.use((_req, _res, next) => {
    settleSenders(state, senderStepMs);
    next();
  });
  app.use(accountsRouter(state));
  const account = '/2010-04-01/Accounts/:accountSid';
  app.use(account, accountAuth(state));
  app.use(account, messagesRouter(state, messageOpts));
  app.use(account, numbersRouter(state));
  app.use(account, availableRouter(state));
  // Content and Senders act on the account whose credentials call them.
  app.use('/v1', accountAuth(state));
  app.use(contentRouter(state));
  app.use('/v2', accountAuth(state));
  app.use(sendersRouter(state));
  app.use('/onboarding', bearerAuth(opts.deskToken));
  app.use(deskRouter(state));
  app.get(`${account}/Messages/:messageSid/Media/:mediaSid`, (req, res) => {
    const media = state.media.get(req.path);
    if (!media) return void res.status(404).json({ code: 20404, message: 'Media not found', status: 404 });
    res.type(media.contentType).send(media.bytes);
  });
  app.use(
    '/_emulator',
    controlRouter(() => emulator),
  );
  app.use((req, res) => {
    res
      .status(404)
      .json({ code: 20404, message: `The emulator does not implement ${req.method} ${req.path}`, status: 404 });
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
    templates: (accountSid = main.sid) => [...state.templates.values()].filter((t) => t.accountSid === accountSid),
    accounts: () => [...state.accounts.values()].map((a) => ({ ...a })),
    accountOfNumber: (phoneNumber) => {
      const holder = state.accounts.get(state.numbers.get(phoneNumber)?.accountSid ?? '');
      return holder && { ...holder };
    },
    failNextAccountCreation: (f) =>
      state.accountFailures.push(
        ...Array.from({ length: f.times ?? 1 }, () => ({
          code: f.code,
          message: f.message ?? `Twilio error ${f.code}`,
          status: f.status ?? 400,
          remaining: 1,
        })),
      ),
    playInbound: (msg) => {
      // Twilio posts from the account that holds the number, signed with that account's token.
      const holder = accountOf(state.numbers.get(msg.to.replace(/^whatsapp:/, ''))?.accountSid ?? main.sid);
      return playInbound(
        {
          accountSid: holder.sid,
          authToken: holder.authToken,
          mediaBaseUrl: url,
          // Like Twilio: where the number's sender (or the number) says, connection overrides and all.
          webhookUrl: configuredInboundUrl(state, msg.to) ?? opts.inboundWebhookUrl,
          // Some bytes of the declared type: enough for a download to be checked end to end.
          storeMedia: (path, contentType) =>
            state.media.set(path, { contentType, bytes: Buffer.from(`emulated ${contentType} `.repeat(64)) }),
        },
        msg,
      );
    },
    pushStatus: async (sid, status, errorCode) => {
      const message = state.messages.get(sid);
      if (!message) throw new Error(`no message ${sid}`);
      await sendStatus(messageOpts, message, status, errorCode);
    },
    failNextSend: (f) =>
      state.failures.push({
        to: f.to,
        code: f.code,
        message: f.message ?? `Twilio error ${f.code}`,
        status: f.status ?? 400,
        remaining: f.times ?? 1,
      }),
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
    addNumber: (phoneNumber, o) => addNumber(state, phoneNumber, { ...o, accountSid: o?.accountSid ?? main.sid }),
    takeNumber: (phoneNumber) => {
      state.taken.add(phoneNumber);
    },
    releasedNumbers: () => [...state.released],
    senders: () => {
      settleSenders(state, senderStepMs);
      return [...state.senders.values()].map(senderView);
    },
    planSender: (phoneNumber, outcome) => planSender(state, phoneNumber, outcome),
    setSenderStatus: (sid, status, reason) => setSenderStatus(state, sid, status, reason),
    accessRequests: () => [...state.accessRequests.values()].map((a) => ({ ...a })),
    reset: () => {
      state.messages.clear();
      state.failures.length = 0;
      for (const s of state.senders.values()) {
        s.deleted = true;
        syncNumber(state, s);
      }
      state.senders.clear();
      state.senderPlans.clear();
      for (const n of state.numbers.values()) if (n.purchased) state.numbers.delete(n.phoneNumber);
      state.taken.clear();
      state.released.length = 0;
      state.accessRequests.clear();
    },
  };
  return emulator;
}
