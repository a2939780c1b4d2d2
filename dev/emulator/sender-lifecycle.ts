import type {
  EmulatedNumber,
  EmulatorState,
  SenderOutcome,
  SenderReason,
  SenderRecord,
  SenderStatus,
  EmulatedSender,
} from './emulator-state';
import { newSid } from './twilio-wire';

/** Meta's review as Twilio reports it, one step per `stepMs`, before the outcome. */
const STEPS: SenderStatus[] = ['CREATING', 'TWILIO_REVIEW', 'PENDING_VERIFICATION', 'VERIFYING'];

/** Only an online sender's number may send WhatsApp messages; called after any change to `s`. */
export function syncNumber(state: EmulatorState, s: SenderRecord): void {
  const number = state.numbers.get(s.phoneNumber);
  if (!number) return;
  const online = !s.deleted && (s.status === 'ONLINE' || s.status === 'ONLINE:UPDATING');
  if (online && !number.whatsappSender) {
    number.whatsappSender = true;
    s.enabledNumber = true;
  } else if (!online && s.enabledNumber) {
    number.whatsappSender = false;
    s.enabledNumber = false;
  }
}

export function applyStatus(state: EmulatorState, s: SenderRecord, outcome: SenderOutcome): void {
  s.status = outcome.status;
  s.offlineReasons = outcome.reason ? [outcome.reason] : null;
  syncNumber(state, s);
}

/** Brings every sender to where the clock says it is: statuses advance lazily, without timers. */
export function settleSenders(state: EmulatorState, stepMs: number, now = Date.now()): void {
  for (const s of state.senders.values()) {
    if (s.frozen || s.deleted) continue;
    const step = stepMs > 0 ? Math.floor((now - s.createdAt) / stepMs) : STEPS.length;
    applyStatus(state, s, step < STEPS.length ? { status: STEPS[step]! } : s.outcome);
  }
}

export function senderView(s: SenderRecord): EmulatedSender {
  const { sid, senderId, wabaId, status, offlineReasons, profileName, callbackUrl, deleted } = s;
  return { sid, senderId, wabaId, status, offlineReasons, profileName, callbackUrl, deleted };
}

/** The next sender created for `phoneNumber` (with or without `whatsapp:`) ends this way instead of ONLINE. */
export function planSender(state: EmulatorState, phoneNumber: string, outcome: SenderOutcome): void {
  state.senderPlans.set(phoneNumber.replace(/^whatsapp:/, ''), outcome);
}

export function setSenderStatus(state: EmulatorState, sid: string, status: SenderStatus, reason?: SenderReason): void {
  const s = state.senders.get(sid);
  if (!s) throw new Error(`no sender ${sid}`);
  s.frozen = true;
  applyStatus(state, s, { status, reason });
}

/** The ONLINE sender of a number registered before (an existing integration's): the clock never moves it. */
export function onlineSender(state: EmulatorState, number: EmulatedNumber): SenderRecord {
  const senderId = `whatsapp:${number.phoneNumber}`;
  const found = [...state.senders.values()].find((s) => s.senderId === senderId && !s.deleted);
  if (found) return found;
  const sender: SenderRecord = {
    sid: newSid('XE'),
    accountSid: number.accountSid,
    senderId,
    wabaId: null,
    phoneNumber: number.phoneNumber,
    status: 'ONLINE',
    offlineReasons: null,
    profileName: null,
    callbackUrl: null,
    deleted: false,
    createdAt: Date.now(),
    outcome: { status: 'ONLINE' },
    frozen: true,
    enabledNumber: false,
    configuration: { waba_id: null },
    webhook: { callback_url: null, callback_method: null, status_callback_url: null },
    profile: { name: null },
  };
  state.senders.set(sender.sid, sender);
  syncNumber(state, sender);
  return sender;
}
