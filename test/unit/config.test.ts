import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSettings } from '../../src/config';

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

  it('lists what a standalone process is missing', () => {
    expect(() => requireSettings(loadConfig({}), ['DATABASE_URL', 'TEMPORAL_ADDRESS'])).toThrow(
      'Missing configuration: DATABASE_URL, TEMPORAL_ADDRESS',
    );
  });
});
