import type { TwilioEmulator } from '../dev/emulator/twilio-emulator';
import type { Database } from '../src/db/database';
import type { Customers } from './customers';
import type { Operators, Outcome } from './operators';
import { section, tally, type Row } from './report';

export interface Evidence {
  database: Database;
  emulator: TwilioEmulator;
  customers: Customers;
  operators: Operators;
  tag: string;
}

/** A client's final answer as a label: `409 conversation_closed`, `201 (after retries)`, `503 (gave up)`. */
export const answered = (o: Outcome) =>
  `${o.status}${o.code ? ` ${o.code}` : ''}${o.gaveUp ? ' (client gave up)' : o.retries ? ' (after retries)' : ''}`;

/**
 * DESIGN.md §8 "Nothing lost": a message Twilio was told we have (a final 2xx) is stored once, on a chat
 * that was live when it arrived. A message closed over — stored on a chat whose close was stamped before
 * it arrived — is stranded: nobody would ever see it. (A message and a close take one lock, and the close
 * is stamped after it has the lock, so a message stored first always has the earlier time.)
 */
export async function inboundRows({ database, customers, tag }: Evidence): Promise<Row[]> {
  const stored = await database.sql<{ id: string; sid: string; stranded: boolean }[]>`
    select m.id::text, m.provider_sid as sid, (c.status = 'closed' and m.created_at >= c.closed_at) as stranded
    from messages m join conversations c on c.id = m.conversation_id
    where m.direction = 'inbound' and m.body like ${`fault ${tag} customer message %`}`;
  const bySid = new Map<string, number>();
  for (const m of stored) bySid.set(m.sid, (bySid.get(m.sid) ?? 0) + 1);
  const { deliveries, acknowledged: acked } = customers;
  const gaveUp = deliveries.filter((d) => !acked.includes(d));
  const s = section('Customer messages (signed webhooks through the emulator; Twilio retries as #rp=all asks)');
  s.add('webhooks delivered', deliveries.length);
  s.add('not sent: too many deliveries in flight', customers.skipped);
  s.add('deliveries Twilio had to retry', deliveries.filter((d) => d.attempts > 1).length);
  s.add('acknowledged (final 2xx)', acked.length);
  s.add('not acknowledged: Twilio gave up after its retries', gaveUp.length);
  for (const [phase, n] of tally(gaveUp, (d) => d.phase, true)) s.add(`… during ${phase}`, n);
  s.add('… of which stored all the same (no loss)', gaveUp.filter((d) => bySid.has(d.sid)).length);
  s.add('acknowledged and stored exactly once (by MessageSid)', acked.filter((d) => bySid.get(d.sid) === 1).length);
  s.add('stored on a live chat, or on one closed after it arrived', stored.filter((m) => !m.stranded).length);
  s.zero(
    'acknowledged but not stored (lost)',
    acked.filter((d) => !bySid.has(d.sid)),
    (d) => `${d.sid} "${d.body}" (${d.phase})`,
  );
  s.zero(
    'stored more than once',
    [...bySid].filter(([, n]) => n > 1),
    ([sid, n]) => `${sid} ×${n}`,
  );
  s.zero(
    'stranded on a chat closed before it arrived',
    stored.filter((m) => m.stranded),
    (m) => `message ${m.id} ${m.sid}`,
  );
  return s.rows;
}

type Outbound = { id: string; body: string; status: string; sid: string | null; debits: number; refunds: number };

/**
 * §8 "Nothing charged twice" and "Never charged for what never left": each reply is sent to Twilio once
 * (by its unique body), debited once, and one that never got a provider SID ends failed and refunded.
 */
export async function replyRows({ database, emulator, operators, tag }: Evidence): Promise<Row[]> {
  const rows = await database.sql<Outbound[]>`
    select m.id::text, m.body, m.status, m.provider_sid as sid,
      (select count(*)::int from ledger_entries l where l.kind = 'message_debit' and l.reference = m.id::text) as debits,
      (select count(*)::int from ledger_entries l where l.kind = 'refund' and l.reference = m.id::text) as refunds
    from messages m where m.direction = 'outbound'`;
  const twilio = emulator.sentMessages();
  const ours = twilio.filter((m) => m.body.startsWith(`fault ${tag} reply `));
  const sends = tally(ours, (m) => m.body);
  const recorded = new Set(rows.map((r) => r.sid));
  const issued = new Set(twilio.map((m) => m.sid));
  const messageIds = new Set(rows.map((r) => r.id));
  const accepted = operators.replies.filter((r) => r.status === 201);
  const where = (f: (r: Outbound) => boolean) => rows.filter(f);
  const show = (r: Outbound) => `${r.id} ${r.status} ${r.sid ?? '-'} "${r.body}"`;

  const s = section(
    'Operator replies (POST /v1/conversations/:id/messages with an Idempotency-Key; Retry-After honoured)',
  );
  s.add('replies requested', operators.replies.length);
  for (const [answer, n] of tally(operators.replies, answered)) s.add(`answered ${answer}`, n);
  s.add('accepted (201)', accepted.length);
  s.add('… pending when answered (Twilio not answering)', accepted.filter((r) => r.pending).length);
  for (const [phase, n] of tally(accepted, (r) => r.phase, true)) {
    s.add(`… during ${phase} (pending)`, `${n} (${accepted.filter((r) => r.phase === phase && r.pending).length})`);
  }
  s.add('sent to Twilio exactly once', sends.filter(([, n]) => n === 1).length);
  s.add('charged (one message_debit)', where((r) => r.debits === 1).length);
  s.add('failed without a provider SID, refunded', where((r) => r.sid === null && r.refunds > 0).length);
  s.add('closes requested (each answered chat, a while later)', operators.closes.length);
  for (const [answer, n] of tally(operators.closes, answered)) s.add(`close answered ${answer}`, n);
  s.zero(
    'accepted but no message row',
    accepted.filter((r) => !r.messageId || !messageIds.has(r.messageId)),
    (r) => r.body,
  );
  s.zero(
    'still pending after the drain',
    where((r) => r.status === 'pending'),
    show,
  );
  s.zero(
    'sent to Twilio more than once',
    sends.filter(([, n]) => n > 1),
    ([body, n]) => `${n}× "${body}"`,
  );
  s.zero(
    'sent to Twilio, its SID recorded on no message',
    ours.filter((m) => !recorded.has(m.sid)),
    (m) => `${m.sid} "${m.body}"`,
  );
  s.zero(
    'SID recorded that Twilio never issued',
    where((r) => r.sid !== null && !issued.has(r.sid)),
    show,
  );
  s.zero(
    'charged more than once',
    where((r) => r.debits > 1),
    show,
  );
  s.zero(
    'charged, never sent, not refunded',
    where((r) => r.debits > 0 && !r.sid && !r.refunds && r.status !== 'pending'),
    show,
  );
  s.zero(
    'refunded although sent',
    where((r) => r.refunds > 0 && r.sid !== null),
    show,
  );
  s.zero(
    'refunded more than once',
    where((r) => r.refunds > 1),
    show,
  );
  return s.rows;
}
