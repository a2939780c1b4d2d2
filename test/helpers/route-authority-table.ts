import { inboundForm } from './fixtures';
import { accessRequestForm, uniqueBusinessManagerId } from './onboarding-fixtures';
import { refused, type Row } from './route-authority';

/**
 * Every route the API mounts and who may call it, in the order `createApp` mounts them. A route added
 * without its row here fails `test/route-authority.test.ts`. Bodies are plausible, so a refusal is about
 * the credential: where a path names the first organisation's row, another organisation's admin sends
 * its own brand and department in the body; where no path does, the body names the first organisation's.
 */
export const ROUTE_AUTHORITY: Row[] = [
  { route: 'GET /healthz', who: 'public' },
  { route: 'GET /readyz', who: 'public' },
  { route: 'GET /metrics', who: 'metrics token' },
  {
    route: 'POST /webhooks/twilio/messages',
    who: 'Twilio signature',
    body: (a) => inboundForm(a),
    // Signed by its own subaccount, for the first organisation's number.
    otherOrg: refused(404, 'unknown_number'),
  },
  {
    route: 'POST /webhooks/twilio/status',
    who: 'Twilio signature',
    body: (a) => ({ MessageSid: a.replySid, AccountSid: a.twilioAccount.sid, MessageStatus: 'read' }),
    otherOrg: refused(400, 'account_mismatch'),
  },
  // The API's reference: its OpenAPI document and the page that browses it.
  { route: 'GET /v1/openapi.json', who: 'public' },
  { route: 'GET /v1/docs', who: 'public' },
  { route: 'POST /v1/orgs', who: 'bootstrap token', body: () => ({ name: 'Umbrella' }) },
  {
    route: 'POST /v1/business-accounts',
    who: "any product's integration key",
    body: () => ({ businessManagerId: uniqueBusinessManagerId(), verified: true }),
  },
  {
    route: 'POST /v1/business-accounts/link-requests/:id/approve',
    who: 'integration key of the product that linked it',
    id: 'requestId',
    // What the approving product sends: the WhatsApp Business Account it linked.
    body: () => ({ wabaId: '102290129340398' }),
  },
  {
    route: 'POST /v1/visitor-sessions/:id/messages',
    who: 'visitor token of that session',
    id: 'visitorSessionId',
    body: () => ({ body: 'Do you ship to Norway?' }),
  },
  { route: 'GET /v1/visitor-sessions/:id/messages', who: 'visitor token of that session', id: 'visitorSessionId' },
  {
    route: 'POST /v1/provider/access-requests/:id/decision',
    who: 'provider secret',
    id: 'requestId',
    body: () => ({ decision: 'rejected', reason: 'Not a real business' }),
  },
  {
    route: 'POST /v1/visitor-sessions',
    who: 'admin',
    body: (a) => ({ channel: 'web', brandId: a.brandId, departmentId: a.departmentId }),
    otherOrg: refused(404, 'brand_not_found'),
  },
  { route: 'DELETE /v1/visitor-sessions/:id', who: 'admin', id: 'visitorSessionId' },
  {
    route: 'POST /v1/whatsapp/channel',
    who: 'admin',
    body: () => ({ acceptIntermediaryTerms: true, termsVersion: '2026-11' }),
  },
  { route: 'GET /v1/whatsapp/channel', who: 'admin' },
  // The other organisation's own link is approved already: the first's account is never looked at.
  {
    route: 'POST /v1/whatsapp/channel/link-existing',
    who: 'admin',
    body: (a) => ({ businessManagerId: a.businessManagerId }),
    otherOrg: refused(409, 'already_approved'),
  },
  {
    route: 'POST /v1/whatsapp/channel/access-request',
    who: 'admin',
    body: (a) => accessRequestForm({ businessManagerId: a.businessManagerId }),
    otherOrg: refused(409, 'already_approved'),
  },
  { route: 'GET /v1/whatsapp/numbers/available', who: 'admin', query: () => 'country=US&type=toll_free' },
  {
    route: 'POST /v1/whatsapp/numbers',
    who: 'admin',
    body: (a) => ({
      phoneNumber: '+18335550100',
      country: 'US',
      type: 'toll_free',
      brandId: a.brandId,
      departmentId: a.departmentId,
    }),
    otherOrg: refused(404, 'brand_not_found'),
  },
  { route: 'DELETE /v1/whatsapp/numbers/:id', who: 'admin', id: 'numberId' },
  // Adopting the first organisation's number: it is no sender of the caller's own subaccount.
  {
    route: 'POST /v1/whatsapp/numbers/existing',
    who: 'admin',
    body: (a, caller) => ({ phoneNumber: a.number.e164, ...caller }),
    otherOrg: refused(404, 'sender_not_found'),
  },
  {
    route: 'PATCH /v1/whatsapp/numbers/:id/limits',
    who: 'admin',
    id: 'numberId',
    body: () => ({ chatCloseLimitSeconds: 3600 }),
  },
  {
    route: 'PUT /v1/whatsapp/numbers/:id/association',
    who: 'admin',
    id: 'numberId',
    body: (_, caller) => ({ ...caller }),
  },
  {
    route: 'PATCH /v1/whatsapp/numbers/:id/brands/:brandId',
    who: 'admin',
    id: 'numberId',
    body: () => ({ enabled: false }),
  },
  { route: 'GET /v1/whatsapp/numbers', who: 'admin' },
  { route: 'GET /v1/business-accounts', who: 'admin' },
  { route: 'POST /v1/business-accounts/integration-keys', who: 'admin', body: () => ({ product: 'helpdesk' }) },
  { route: 'GET /v1/business-accounts/integration-keys', who: 'admin' },
  { route: 'DELETE /v1/business-accounts/integration-keys/:id', who: 'admin', id: 'integrationKeyId' },
  { route: 'GET /v1/api-keys', who: 'admin' },
  {
    route: 'POST /v1/api-keys',
    who: 'admin',
    body: (a) => ({ role: 'operator', operatorId: a.operatorId }),
    otherOrg: refused(404, 'not_found'),
  },
  { route: 'DELETE /v1/api-keys/:id', who: 'admin', id: 'apiKeyId' },
  { route: 'POST /v1/api-keys/:id/rotate', who: 'admin', id: 'apiKeyId' },
  { route: 'GET /v1/whatsapp/settings', who: 'admin' },
  { route: 'PUT /v1/whatsapp/settings', who: 'admin', body: () => ({ unavailableReply: 'We are closed today' }) },
  // Operators read the templates they may send.
  { route: 'GET /v1/whatsapp/templates', who: 'admin or operator' },
  { route: 'PUT /v1/billing/payment-method', who: 'admin', body: () => ({ token: 'tok_sandbox_visa' }) },
  { route: 'GET /v1/billing/payment-method', who: 'admin' },
  { route: 'GET /v1/wallet', who: 'admin' },
  {
    route: 'POST /v1/wallet/purchases',
    who: 'admin',
    body: () => ({ points: 1 }),
    headers: { 'idempotency-key': 'authority-matrix-purchase' },
  },
  {
    route: 'PUT /v1/wallet/auto-refill',
    who: 'admin',
    body: () => ({ enabled: false, thresholdPoints: 0, refillPoints: 1 }),
  },
  // Filtered to the first organisation's department: the filter must not widen what the caller sees.
  {
    route: 'GET /v1/conversations',
    who: 'admin or operator of its department',
    query: (a) => `departmentId=${a.departmentId}`,
  },
  { route: 'GET /v1/conversations/:id/messages', who: 'admin or operator of its department', id: 'conversationId' },
  { route: 'POST /v1/webhook-endpoints', who: 'admin', body: () => ({ url: 'https://hooks.example/in' }) },
  { route: 'GET /v1/webhook-endpoints', who: 'admin' },
  { route: 'GET /v1/webhook-endpoints/:id', who: 'admin', id: 'webhookEndpointId' },
  {
    route: 'PATCH /v1/webhook-endpoints/:id',
    who: 'admin',
    id: 'webhookEndpointId',
    body: () => ({ url: 'https://hooks.example/taken-over' }),
  },
  { route: 'DELETE /v1/webhook-endpoints/:id', who: 'admin', id: 'webhookEndpointId' },
  { route: 'POST /v1/webhook-endpoints/:id/rotate-secret', who: 'admin', id: 'webhookEndpointId' },
  { route: 'POST /v1/webhook-endpoints/:id/enable', who: 'admin', id: 'webhookEndpointId' },
  {
    route: 'POST /v1/webhook-endpoints/:id/replay',
    who: 'admin',
    id: 'webhookEndpointId',
    body: (a) => ({ fromEventId: a.eventId }),
  },
  { route: 'GET /v1/webhook-endpoints/:id/deliveries', who: 'admin', id: 'webhookEndpointId' },
  // Replayed from the start of the log: another organisation's admin, or an operator of another department,
  // must find none of the first department's events.
  { route: 'GET /v1/events', who: 'admin or operator of its department', query: () => 'after=0.0', stream: true },
  { route: 'GET /v1/conversations/:id', who: 'admin or operator of its department', id: 'conversationId' },
  {
    route: 'GET /v1/conversations/:id/messages/:messageId/attachments/:index',
    who: 'admin or operator of its department',
    id: 'conversationId',
  },
  {
    route: 'POST /v1/conversations/:id/messages',
    who: 'admin or operator of its department',
    id: 'conversationId',
    body: () => ({ body: 'Your parcel ships today' }),
  },
  { route: 'POST /v1/conversations/:id/close', who: 'admin or operator of its department', id: 'conversationId' },
  {
    route: 'POST /v1/conversations/:id/transfer',
    who: 'admin or operator of its department',
    id: 'conversationId',
    body: (_, caller) => ({ departmentId: caller.departmentId }),
  },
  { route: 'POST /v1/brands', who: 'admin', body: () => ({ name: 'Umbrella Boots' }) },
  { route: 'GET /v1/brands', who: 'admin' },
  {
    route: 'POST /v1/departments',
    who: 'admin',
    body: (a) => ({ name: 'Billing', brandIds: [a.brandId] }),
    otherOrg: refused(404, 'brand_not_found'),
  },
  { route: 'GET /v1/departments', who: 'admin' },
  {
    route: 'POST /v1/operators',
    who: 'admin',
    body: (a) => ({ name: 'Mallory', email: 'mallory@umbrella.test', departmentIds: [a.departmentId] }),
    otherOrg: refused(404, 'department_not_found'),
  },
  { route: 'GET /v1/operators', who: 'admin' },
  {
    route: 'PUT /v1/operators/:id/presence',
    who: 'the operator themself or admin',
    id: 'operatorId',
    body: () => ({ status: 'available' }),
  },
];
