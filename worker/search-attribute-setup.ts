import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { ConfigError } from '../src/config';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * The workflows set these custom search attributes from their first step, and a namespace without them
 * refuses every start (so every webhook would answer 503). A fresh namespace has none: add what is
 * missing, or stop with the command that adds them. Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const command = (names: string[]) =>
    `temporal operator search-attribute create --namespace ${namespace} ${names.map((n) => `--name ${n} --type Keyword`).join(' ')}`;
  const all = ALL_SEARCH_ATTRIBUTES.map((a) => a.name);
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = ALL_SEARCH_ATTRIBUTES.filter((a) => !(a.name in (customAttributes ?? {})));
    if (missing.length === 0) return [];
    if (missing.some((a) => a.type !== SearchAttributeType.KEYWORD))
      throw new Error('only Keyword attributes are set up here');
    const searchAttributes = Object.fromEntries(missing.map((a) => [a.name, KEYWORD]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    return missing.map((a) => a.name);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `The Temporal namespace "${namespace}" needs the search attributes ${all.join(', ')}, and they could not be checked or added (${why}).\nAdd them with: ${command(all)}`,
    );
  }
}
