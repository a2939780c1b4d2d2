import type { TwilioEmulator } from '../dev/emulator/twilio-emulator';
import type { Desk } from './desks';

/** One customer message as Twilio delivered it: its final answer after Twilio's own retries. */
export interface Delivery {
  sid: string;
  desk: number;
  from: string;
  body: string;
  /** The fault (or warm-up) under way when the customer wrote. */
  phase: string;
  /** The last attempt's status; 0 when Twilio could not connect (or gave up waiting). */
  status: number;
  attempts: number;
}

/**
 * Customers writing to the desks' numbers at a steady rate, each message with its own body, delivered by
 * the emulator exactly as Twilio would: signed, to the URL the number was given, and retried as that URL's
 * connection overrides say. A customer writes again and again, so closed chats reopen as the next one.
 */
export class Customers {
  readonly deliveries: Delivery[] = [];
  /** Ticks with too many deliveries still in flight: not sent, so the rate stays a real user's. */
  skipped = 0;
  /** Set by the suite as each fault begins, so a delivery Twilio gave up on is put down to its fault. */
  phase = 'warm-up';
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;

  constructor(
    private readonly emulator: TwilioEmulator,
    private readonly desks: Desk[],
    private readonly opts: { rate: number; customersPerDesk: number; tag: string; maxInFlight: number },
  ) {}

  /** A run's customers have their own addresses, so two runs on one database never share a chat. */
  private address(desk: number, i: number): string {
    const base = Number.parseInt(this.opts.tag.slice(0, 4), 36) % 900;
    return `+1555${String(base).padStart(3, '0')}${String(desk * this.opts.customersPerDesk + i).padStart(4, '0')}`;
  }

  start(): void {
    const startedAt = Date.now();
    // Catches up to rate × elapsed on each tick, so timer jitter on a busy machine does not lower the rate.
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - startedAt) / 1000) * this.opts.rate);
      while (this.sent < due) {
        this.sent++;
        if (this.inFlight.size >= this.opts.maxInFlight) {
          this.skipped++;
          continue;
        }
        this.deliver(this.sent);
      }
    }, 50);
  }

  private deliver(n: number): void {
    const desk = Math.floor(Math.random() * this.desks.length);
    const from = this.address(desk, Math.floor(Math.random() * this.opts.customersPerDesk));
    const body = `fault ${this.opts.tag} customer message ${n}`;
    const to = this.desks[desk]!.e164;
    const phase = this.phase;
    const delivery = this.emulator.playInbound({ from, to, body, profileName: `Customer ${from.slice(-4)}` }).then(
      (r) => {
        this.deliveries.push({ sid: r.messageSid, desk, from, body, phase, status: r.status, attempts: r.attempts });
      },
      (err: Error) => {
        this.deliveries.push({ sid: '', desk, from, body, phase, status: 0, attempts: 0 });
        console.error(`[faults] delivering ${body} threw: ${err.message}`);
      },
    );
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** No new messages; resolves once Twilio has finished (or given up) every delivery in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  get acknowledged(): Delivery[] {
    return this.deliveries.filter((d) => d.status >= 200 && d.status < 300);
  }
}
