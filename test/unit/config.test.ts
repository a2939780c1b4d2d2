import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadApiConfig,
  loadConfig,
  loadWorkerConfig,
  requireSettings,
  warnIfPaymentSandbox,
} from '../../src/config';

describe('configuration', () => {
  it('applies defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      WORKER_HEALTH_PORT: 3001,
      TEMPORAL_NAMESPACE: 'default',
      SWITCHBOARD_DATA_DIR: './.data',
    });
  });

  it('names every bad value in one message', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', TWILIO_ACCOUNT_SID: 'XX123', PUBLIC_BASE_URL: 'ftp://x' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /PORT[\s\S]*TWILIO_ACCOUNT_SID: expected AC followed by 32 hex digits[\s\S]*PUBLIC_BASE_URL/,
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  const service = {
    DATABASE_URL: 'postgres://db/x',
    TEMPORAL_ADDRESS: 'temporal:7233',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'a-twilio-auth-token',
    PUBLIC_BASE_URL: 'https://switchboard.example',
    SWITCHBOARD_SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
  };

  it('refuses to start the api or a worker until the payment gateway is named: the sandbox charges nothing', () => {
    for (const load of [loadApiConfig, loadWorkerConfig]) {
      expect(() => load(service)).toThrow('Missing configuration: PAYMENT_GATEWAY');
      expect(load({ ...service, PAYMENT_GATEWAY: 'sandbox' }).PAYMENT_GATEWAY).toBe('sandbox');
    }
  });

  it("needs a 32-byte secrets key to seal tenants' Twilio credentials, and the main account only on the worker", () => {
    const { SWITCHBOARD_SECRETS_KEY: _, TWILIO_ACCOUNT_SID: __, TWILIO_AUTH_TOKEN: ___, ...rest } = service;
    const api = { ...rest, PAYMENT_GATEWAY: 'stripe' };
    expect(() => loadApiConfig(api)).toThrow('Missing configuration: SWITCHBOARD_SECRETS_KEY');
    expect(() => loadApiConfig({ ...api, SWITCHBOARD_SECRETS_KEY: 'c2hvcnQ=' })).toThrow(
      /SWITCHBOARD_SECRETS_KEY: expected 32 bytes/,
    );
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(loadApiConfig({ ...api, SWITCHBOARD_SECRETS_KEY: key }).SWITCHBOARD_SECRETS_KEY).toHaveLength(32);
    expect(() => loadWorkerConfig({ ...api, SWITCHBOARD_SECRETS_KEY: key })).toThrow(
      'Missing configuration: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN',
    );
  });

  it("sends the provider desk its own token, never the Twilio account's: a desk URL without one stops the worker", () => {
    const worker = {
      ...service,
      PAYMENT_GATEWAY: 'stripe',
      ONBOARDING_DESK_URL: 'https://desk.example/v1/AccessRequests',
    };
    expect(() => loadWorkerConfig(worker)).toThrow('Missing configuration: ONBOARDING_DESK_TOKEN');
    const token = 'a-desk-token-of-its-own';
    expect(loadWorkerConfig({ ...worker, ONBOARDING_DESK_TOKEN: token }).onboardingDesk).toEqual({
      url: worker.ONBOARDING_DESK_URL,
      token,
    });
  });

  it('warns at start that the sandbox gateway charges nothing, and says nothing of Stripe', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    warnIfPaymentSandbox({ PAYMENT_GATEWAY: 'sandbox' }, logger);
    warnIfPaymentSandbox({ PAYMENT_GATEWAY: 'stripe' }, logger);
    expect(lines.map((l) => JSON.parse(l) as { level: number; msg: string })).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('nothing is charged') }),
    ]);
  });

  it("takes TRUST_PROXY as a hop count or the proxies' addresses, and refuses true, which lets clients pick their address", () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY;
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(trust('1')).toBe(1);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => trust('true')).toThrow(/TRUST_PROXY: true lets any client name its own address/);
    expect(() => trust('10.0.0.0/33,proxy.example')).toThrow(/TRUST_PROXY: .*not 10\.0\.0\.0\/33, proxy\.example/);
  });

  it('takes the per-address visitor limit as a positive count', () => {
    expect(loadConfig({ VISITOR_ADDRESS_REQUESTS_PER_MINUTE: '1200' }).VISITOR_ADDRESS_REQUESTS_PER_MINUTE).toBe(1200);
    expect(() => loadConfig({ VISITOR_ADDRESS_REQUESTS_PER_MINUTE: '0' })).toThrow(
      /VISITOR_ADDRESS_REQUESTS_PER_MINUTE/,
    );
  });

  it('lists what a standalone process is missing', () => {
    expect(() => requireSettings(loadConfig({}), ['DATABASE_URL', 'TEMPORAL_ADDRESS'])).toThrow(
      'Missing configuration: DATABASE_URL, TEMPORAL_ADDRESS',
    );
  });
});
