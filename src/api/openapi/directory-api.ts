import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { idParam } from '../request-schemas';
import { pageQuery } from '../page-query';
import { keyBody } from '../routes/api-key-routes';
import { brandBody, departmentBody, operatorBody, presenceBody } from '../routes/directory-routes';
import { orgBody } from '../routes/org-routes';
import { answer, id, nextCursor, shownOnce, timestamp } from './common-schemas';
import { describeOperation } from './describe-operation';

const named = { id, orgId: id, name: z.string(), createdAt: timestamp };
const brand = answer(named).meta({ id: 'Brand' });
const department = answer(named).meta({ id: 'Department' });
const operator = answer({
  ...named,
  email: z.string(),
  presence: z.enum(['available', 'away', 'offline']),
  maxConcurrentChats: z.int(),
  lastAssignedAt: timestamp.nullable(),
}).meta({ id: 'Operator' });
const apiKey = answer({
  id,
  role: z.enum(['admin', 'operator']),
  operatorId: id.nullable(),
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable().meta({ description: 'To the minute' }),
  revokedAt: timestamp.nullable(),
}).meta({ id: 'ApiKey' });
const issuedKey = apiKey.extend({ key: shownOnce('sb_') });

/** Organisations, brands, departments, operators and their presence, and the organisation's API keys. */
export function describeDirectory(registry: OpenAPIRegistry): void {
  const tag = 'Directory';
  describeOperation(registry, {
    method: 'post',
    path: '/v1/orgs',
    tag,
    summary: 'Create an organisation and its first admin key',
    who: 'bootstrap token',
    body: orgBody,
    answers: {
      201: {
        description: 'The organisation, and its admin key',
        schema: answer({
          org: answer({ id, name: z.string() }),
          apiKey: answer({ key: shownOnce('sb_adm_'), role: z.literal('admin') }),
        }),
      },
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/brands',
    tag,
    summary: 'Add a brand',
    who: 'admin',
    body: brandBody,
    answers: { 201: { description: 'The brand', schema: answer({ brand }) } },
    errors: { 409: ['already_exists'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/brands',
    tag,
    summary: 'List brands, oldest first',
    who: 'admin',
    query: pageQuery,
    answers: { 200: { description: 'A page of brands', schema: answer({ brands: z.array(brand), nextCursor }) } },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/departments',
    tag,
    summary: 'Add a department serving brands',
    who: 'admin',
    body: departmentBody,
    answers: {
      201: {
        description: 'The department',
        schema: answer({ department: department.extend({ brandIds: z.array(id) }) }),
      },
    },
    errors: { 404: ['brand_not_found'], 409: ['already_exists'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/departments',
    tag,
    summary: 'List departments, oldest first',
    who: 'admin',
    query: pageQuery,
    answers: {
      200: { description: 'A page of departments', schema: answer({ departments: z.array(department), nextCursor }) },
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/operators',
    tag,
    summary: 'Add an operator, with their API key',
    who: 'admin',
    body: operatorBody,
    answers: {
      201: {
        description: 'The operator and their key',
        schema: answer({
          operator: operator.extend({ departmentIds: z.array(id) }),
          apiKey: answer({ key: shownOnce('sb_op_'), role: z.literal('operator') }),
        }),
      },
    },
    errors: { 404: ['department_not_found'], 409: ['already_exists'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/operators',
    tag,
    summary: 'List operators, oldest first',
    who: 'admin',
    query: pageQuery,
    answers: {
      200: { description: 'A page of operators', schema: answer({ operators: z.array(operator), nextCursor }) },
    },
  });
  describeOperation(registry, {
    method: 'put',
    path: '/v1/operators/:id/presence',
    tag,
    summary: "Set an operator's presence",
    description: 'Going `offline` hands their unanswered chats back to the queue; `available` wakes their queues.',
    who: 'the operator themself or admin',
    params: idParam,
    body: presenceBody,
    answers: { 200: { description: 'The operator', schema: answer({ operator }) } },
    errors: { 404: ['not_found'] },
  });

  const keys = 'API keys';
  describeOperation(registry, {
    method: 'get',
    path: '/v1/api-keys',
    tag: keys,
    summary: "List the organisation's API keys, oldest first",
    who: 'admin',
    query: pageQuery,
    answers: { 200: { description: 'A page of keys', schema: answer({ apiKeys: z.array(apiKey), nextCursor }) } },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/api-keys',
    tag: keys,
    summary: 'Issue an admin or operator key',
    who: 'admin',
    body: keyBody,
    answers: { 201: { description: 'The key, shown once', schema: answer({ apiKey: issuedKey }) } },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'delete',
    path: '/v1/api-keys/:id',
    tag: keys,
    summary: 'Revoke a key at once',
    who: 'admin',
    params: idParam,
    answers: { 204: { description: 'Revoked' } },
    errors: { 404: ['not_found'], 409: ['last_admin_key'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/api-keys/:id/rotate',
    tag: keys,
    summary: 'Issue a successor for the same holder and revoke the key',
    who: 'admin',
    params: idParam,
    answers: {
      201: { description: 'The successor, shown once', schema: answer({ apiKey: issuedKey, replaces: id }) },
    },
    errors: { 404: ['not_found'], 409: ['last_admin_key'] },
  });
}
