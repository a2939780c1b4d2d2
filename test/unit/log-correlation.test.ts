import { describe, expect, it } from 'vitest';
import { withCorrelation } from '../../src/correlation';
import { createLogger } from '../../src/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', 'test', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('log lines', () => {
  it('carry the ids of the work they were written for, and only those', async () => {
    const { logger, lines } = capture();
    logger.info('outside');
    await withCorrelation({ requestId: 'r-1' }, async () => {
      logger.info({ messageSid: 'SM1' }, 'first');
      await new Promise((resolve) => setTimeout(resolve, 1));
      withCorrelation({ workflowId: 'conversation:1', activity: 'sendWhatsApp' }, () => logger.info('nested'));
      logger.info('second');
    });
    expect(
      lines.map(({ msg, requestId, workflowId, activity, messageSid }) => ({
        msg,
        requestId,
        workflowId,
        activity,
        messageSid,
      })),
    ).toEqual([
      { msg: 'outside' },
      { msg: 'first', requestId: 'r-1', messageSid: 'SM1' },
      { msg: 'nested', requestId: 'r-1', workflowId: 'conversation:1', activity: 'sendWhatsApp' },
      // One line's own fields never leak onto the next.
      { msg: 'second', requestId: 'r-1' },
    ]);
  });
});
