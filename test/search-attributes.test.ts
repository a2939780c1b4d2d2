import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALL_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { ensureSearchAttributes } from '../worker/search-attribute-setup';
import { eventually } from './helpers/fixtures';

// A fresh namespace, as an external Temporal cluster gives one: none of our search attributes yet.
let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(() => connection?.close());

async function freshNamespace(): Promise<string> {
  const namespace = `fresh-${randomUUID().slice(0, 8)}`;
  const retention = msToTs('1 day');
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention });
  await eventually(
    () =>
      connection.workflowService.describeNamespace({ namespace }).then(
        () => true,
        () => false,
      ),
    'the namespace to be served',
  );
  return namespace;
}

describe("the worker's start on a namespace", () => {
  it('adds every missing search attribute, and finds nothing to add the second time', async () => {
    const namespace = await freshNamespace();
    const names = ALL_SEARCH_ATTRIBUTES.map((a) => a.name);
    expect((await ensureSearchAttributes(connection, namespace)).sort()).toEqual([...names].sort());
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(names));
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
  });

  it('stops with the command that adds them when it cannot check or add them', async () => {
    const refused = await ensureSearchAttributes(connection, 'no-such-namespace').catch((err: Error) => err);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(
      'temporal operator search-attribute create --namespace no-such-namespace',
    );
    expect((refused as Error).message).toContain('--name ConversationStatus --type Keyword');
  });
});
