import { call, type Answer } from './api-client';
import { freshNumber, type Desk } from './desks';

/** What a client was finally told, after retrying as it is told to (see api-client's `call`). */
export interface Outcome {
  desk: number;
  status: number;
  code?: string;
  retries: number;
  gaveUp: boolean;
}
export interface Reply extends Outcome {
  body: string;
  conversationId: string;
  messageId?: string;
  /** 201 while Twilio was not answering: the reply is sent later, or ends failed and refunded. */
  pending: boolean;
  /** The fault (or warm-up) under way when the operator sent it. */
  phase: string;
}
export interface Close extends Outcome {
  conversationId: string;
}
export interface PointsPurchase extends Outcome {
  orgId: string;
  key: string;
}
export interface NumberPurchase extends Outcome {
  orgId: string;
  e164: string;
}

type ErrorBody = { error?: { code?: string } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outcome = (desk: number, a: Answer<unknown>): Outcome => ({
  desk,
  status: a.status,
  code: (a.body as ErrorBody | undefined)?.error?.code,
  retries: a.retries,
  gaveUp: a.gaveUp,
});

/**
 * The desks' people: each desk's operator watches their open chats, answers each new one once (with an
 * Idempotency-Key, so a retried reply is the same reply) and closes it a while later — so customers, who
 * keep writing, open new chats all through the run and replies keep coming; a chat the customer wrote to as
 * it closed (409 customer_wrote_again) is answered and closed again. The admin buys points and a number
 * now and then. Every call retries as a client is told to.
 */
export class Operators {
  readonly replies: Reply[] = [];
  readonly closes: Close[] = [];
  readonly purchases: PointsPurchase[] = [];
  readonly numbers: NumberPurchase[] = [];
  private readonly answered = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly replying = new Map<number, number>();
  private loops: Promise<void>[] = [];
  private stopped = false;
  private wake = () => {};
  /** Resolves on stop(): a chat waiting to be closed is then left open rather than waited for. */
  private readonly stopping = new Promise<void>((resolve) => (this.wake = resolve));
  private count = 0;
  /** Set by the suite as each fault begins. */
  phase = 'warm-up';

  constructor(
    private readonly apiUrl: string,
    private readonly desks: Desk[],
    private readonly opts: {
      tag: string;
      pollMs: number;
      /** An answered chat is closed after a random time in this range. */
      closeAfterMs: [number, number];
      retryForMs: number;
    },
    /** Numbers already tried (the desks' own included), so each purchase picks one nobody holds. */
    private readonly taken: Set<string>,
  ) {}

  start(): void {
    this.loops = this.desks.map((_, d) => this.watch(d));
  }

  private track<T>(p: Promise<T>): void {
    this.work.add(p);
    void p.finally(() => this.work.delete(p));
  }

  private async watch(d: number): Promise<void> {
    const desk = this.desks[d]!;
    while (!this.stopped) {
      const list = await call<{ conversations?: { id: string }[] }>(
        this.apiUrl,
        'GET',
        '/v1/conversations?status=open&limit=200',
        { key: desk.operatorKey, retryForMs: 0 },
      );
      for (const c of list.body?.conversations ?? []) {
        // A few replies in flight per operator, as a person types them: the rest wait for the next look.
        if (this.answered.has(c.id) || (this.replying.get(d) ?? 0) >= 8) continue;
        this.answered.add(c.id);
        this.track(this.answer(d, c.id));
      }
      await sleep(this.opts.pollMs);
    }
  }

  private async answer(d: number, conversationId: string): Promise<void> {
    const desk = this.desks[d]!;
    const n = ++this.count;
    const body = `fault ${this.opts.tag} reply ${n}`;
    const phase = this.phase;
    this.replying.set(d, (this.replying.get(d) ?? 0) + 1);
    const a = await call<{ message?: { id: string; status: string } }>(
      this.apiUrl,
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      {
        key: desk.operatorKey,
        body: { body },
        headers: { 'idempotency-key': `fault-${this.opts.tag}-reply-${n}` },
        retryForMs: this.opts.retryForMs,
      },
    ).finally(() => this.replying.set(d, this.replying.get(d)! - 1));
    const message = a.status === 201 ? a.body.message : undefined;
    this.replies.push({
      ...outcome(d, a),
      body,
      conversationId,
      messageId: message?.id,
      pending: message?.status === 'pending',
      phase,
    });
    const [least, most] = this.opts.closeAfterMs;
    if (a.status !== 201) return;
    await Promise.race([sleep(least + Math.random() * (most - least)), this.stopping]);
    if (this.stopped) return;
    const closed = await call(this.apiUrl, 'POST', `/v1/conversations/${conversationId}/close`, {
      key: desk.operatorKey,
      retryForMs: this.opts.retryForMs,
    });
    this.closes.push({ ...outcome(d, closed), conversationId });
    if (this.closes.at(-1)!.code === 'customer_wrote_again') this.answered.delete(conversationId);
  }

  /** An admin buys a point, with an Idempotency-Key a retry repeats (so it is charged once). */
  buyPoints(d: number, phase: string): void {
    const desk = this.desks[d % this.desks.length]!;
    const key = `fault-${this.opts.tag}-points-${phase}`;
    const purchase = call(this.apiUrl, 'POST', '/v1/wallet/purchases', {
      key: desk.adminKey,
      body: { points: 1 },
      headers: { 'idempotency-key': key },
      retryForMs: this.opts.retryForMs,
    }).then((a) => this.purchases.push({ ...outcome(d, a), orgId: desk.orgId, key }));
    this.track(purchase);
  }

  /** An admin buys a number from Twilio's list; the purchase then runs as its workflow (README, F9/F13). */
  buyNumber(d: number): void {
    const desk = this.desks[d % this.desks.length]!;
    const purchase = (async () => {
      const e164 = await freshNumber(this.apiUrl, desk.adminKey, this.taken);
      if (!e164) return;
      const a = await call(this.apiUrl, 'POST', '/v1/whatsapp/numbers', {
        key: desk.adminKey,
        body: { phoneNumber: e164, country: 'US', type: 'local' },
        retryForMs: this.opts.retryForMs,
      });
      this.numbers.push({ ...outcome(d, a), orgId: desk.orgId, e164 });
    })();
    this.track(purchase);
  }

  /** No new work; resolves once every call in flight has its final answer. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.all(this.loops);
    while (this.work.size) await Promise.all([...this.work]);
  }
}
