import type { Config } from '../config';
import type { PaymentGateway } from './gateway';
import { SandboxGateway } from './sandbox-gateway';

export type { ChargeRequest, ChargeResult, PaymentGateway } from './gateway';
export { GatewayUnavailableError } from './gateway';

export function createPaymentGateway(config: Pick<Config, 'PAYMENT_GATEWAY'>): PaymentGateway {
  switch (config.PAYMENT_GATEWAY) {
    case 'sandbox':
      return new SandboxGateway();
  }
}
