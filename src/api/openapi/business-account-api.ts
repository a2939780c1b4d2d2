import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { pageQuery } from '../page-query';
import { idParam } from '../request-schemas';
import { accountBody, keyBody, linkApprovalBody } from '../routes/business-account-routes';
import { withRequest } from './channel-api';
import { answer, id, nextCursor, shownOnce, timestamp } from './common-schemas';
import { describeOperation } from './describe-operation';

const businessAccount = answer({
  id,
  businessManagerId: z.string(),
  product: z.string(),
  verified: z.boolean(),
  createdAt: timestamp,
}).meta({ id: 'BusinessAccount' });
const integrationKey = answer({
  id,
  product: z.string(),
  prefix: z.string(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
}).meta({
  id: 'IntegrationKey',
});

/** F6: the organisation's other products, each with its integration key, and the keys admins issue them. */
export function describeBusinessAccounts(registry: OpenAPIRegistry): void {
  const products = 'Business accounts';
  describeOperation(registry, {
    method: 'post',
    path: '/v1/business-accounts',
    tag: products,
    summary: 'Record a Business Manager account the product linked (F6)',
    who: 'integration key',
    body: accountBody,
    answers: { 201: { description: 'The account', schema: answer({ businessAccount }) } },
    errors: { 409: ['already_exists'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/business-accounts/link-requests/:id/approve',
    tag: products,
    summary: "Approve reusing the product's account for WhatsApp, naming the WhatsApp Business Account (F6)",
    description: 'Only the product that linked the Business Manager account may approve.',
    who: 'integration key',
    params: idParam,
    body: linkApprovalBody,
    answers: { 200: { description: 'The approved request', schema: withRequest } },
    errors: { 404: ['not_found'], 409: ['request_not_pending'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/business-accounts',
    tag: products,
    summary: "The accounts the organisation's products linked, oldest first",
    who: 'admin',
    query: pageQuery,
    answers: {
      200: {
        description: 'A page of accounts',
        schema: answer({ businessAccounts: z.array(businessAccount), nextCursor }),
      },
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/business-accounts/integration-keys',
    tag: products,
    summary: "Issue a product's integration key",
    who: 'admin',
    body: keyBody,
    answers: {
      201: {
        description: 'The key, shown once',
        schema: answer({ integrationKey: integrationKey.extend({ key: shownOnce('sb_int_') }) }),
      },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/business-accounts/integration-keys',
    tag: products,
    summary: 'List integration keys, oldest first',
    who: 'admin',
    query: pageQuery,
    answers: {
      200: { description: 'A page of keys', schema: answer({ integrationKeys: z.array(integrationKey), nextCursor }) },
    },
  });
  describeOperation(registry, {
    method: 'delete',
    path: '/v1/business-accounts/integration-keys/:id',
    tag: products,
    summary: 'Revoke an integration key',
    who: 'admin',
    params: idParam,
    answers: { 204: { description: 'Revoked' } },
    errors: { 404: ['not_found'] },
  });
}
