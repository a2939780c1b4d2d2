import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayUnavailableError } from '../src/providers/payments/payment-gateway';
import { StripeGateway } from '../src/providers/payments/stripe-gateway';
import { findGoTool, STRIPE_MOCK } from '../dev/go-tools';
import { freePort } from '../dev/free-port';

let mock: ChildProcess;
let baseUrl: string;
let requests = '';

beforeAll(async () => {
  const path = findGoTool(STRIPE_MOCK);
  if (!path) throw new Error('stripe-mock is missing: run `npm run tools` (CI does)');
  const port = await freePort();
  mock = spawn(path, ['-http-port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = (chunk: Buffer) => {
    requests += chunk.toString();
  };
  mock.stdout?.on('data', output);
  mock.stderr?.on('data', output);
  baseUrl = `http://127.0.0.1:${port}`;
  // Ready when it answers, not when it says so.
  for (let i = 0; ; i++) {
    if (mock.exitCode !== null) throw new Error(`stripe-mock exited: ${requests}`);
    const up = await fetch(`${baseUrl}/v1/charges`, { headers: { authorization: 'Bearer sk_test_123' } }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (i > 150) throw new Error(`stripe-mock did not start: ${requests}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(() => {
  mock?.kill();
});

describe('the Stripe gateway (against stripe-mock)', () => {
  it("sends an off-session, confirmed PaymentIntent that Stripe's API accepts", async () => {
    const gateway = new StripeGateway({ secretKey: 'sk_test_123', apiBaseUrl: baseUrl });
    const result = await gateway.charge({
      idempotencyKey: 'refill:org-1:0:1',
      amountCents: 400,
      paymentMethodToken: 'pm_card_visa',
      description: '2 points',
    });
    // stripe-mock answers with a canned PaymentIntent that still requires a payment method: an unfinished payment is not money.
    expect(result).toEqual({
      status: 'declined',
      code: 'requires_payment_method',
      reason: 'The payment was not completed (requires payment method)',
    });
    // stripe-mock logs each request as it answers it; the line may land just after our response.
    for (let i = 0; i < 50 && !/amount:400/.test(requests); i++) await new Promise((r) => setTimeout(r, 20));
    expect(requests).toMatch(/POST \/v1\/payment_intents/);
    expect(requests).toMatch(/amount:400.*confirm:true.*currency:usd.*off_session:true.*payment_method:pm_card_visa/);
  });

  it('reports an unreachable Stripe as retryable, not as a decline', async () => {
    const gateway = new StripeGateway({ secretKey: 'sk_test_123', apiBaseUrl: 'http://127.0.0.1:1' });
    await expect(
      gateway.charge({
        idempotencyKey: 'k-1',
        amountCents: 200,
        paymentMethodToken: 'pm_card_visa',
        description: '1 point',
      }),
    ).rejects.toBeInstanceOf(GatewayUnavailableError);
  });
});
