import { ConfigError, type Config } from '../../config';
import type { PaymentGateway } from './payment-gateway';
import { SandboxGateway } from './sandbox-gateway';
import { StripeGateway } from './stripe-gateway';

type GatewayConfig = Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE_URL'> & {
  PAYMENT_GATEWAY: NonNullable<Config['PAYMENT_GATEWAY']>;
};

export function createPaymentGateway(config: GatewayConfig): PaymentGateway {
  switch (config.PAYMENT_GATEWAY) {
    case 'sandbox':
      return new SandboxGateway();
    case 'stripe':
      if (!config.STRIPE_SECRET_KEY) throw new ConfigError('PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY');
      return new StripeGateway({ secretKey: config.STRIPE_SECRET_KEY, apiBaseUrl: config.STRIPE_API_BASE_URL });
  }
}
