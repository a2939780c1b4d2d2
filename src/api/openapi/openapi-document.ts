import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { describeBusinessAccounts } from './business-account-api';
import { describeChannel } from './channel-api';
import { describeConversations } from './conversation-api';
import { describeDirectory } from './directory-api';
import { describeNumbers } from './number-api';
import { describeSystem } from './system-api';
import { describeVisitors } from './visitor-api';
import { describeWallet } from './wallet-api';
import { describeWebhookEndpoints } from './webhook-endpoint-api';

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const bearer = (description: string) => ({ type: 'http' as const, scheme: 'bearer', description });

/** The credentials `CALLERS` (describe-operation.ts) names, one scheme each. */
function registerSecuritySchemes(registry: OpenAPIRegistry) {
  const schemes = {
    apiKey: bearer("An organisation's API key: `sb_adm_…` (admin) or `sb_op_…` (operator)"),
    bootstrapToken: bearer('SWITCHBOARD_BOOTSTRAP_TOKEN'),
    providerSecret: bearer("SWITCHBOARD_PROVIDER_SECRET, the provider's onboarding team's"),
    integrationKey: bearer("A product's integration key, `sb_int_…`, which an admin issues"),
    visitorToken: bearer("A visitor session's token, `sb_vis_…`"),
    metricsToken: bearer("METRICS_TOKEN, a Prometheus scraper's"),
  };
  for (const [name, scheme] of Object.entries(schemes)) registry.registerComponent('securitySchemes', name, scheme);
  registry.registerComponent('securitySchemes', 'twilioSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description:
      "Twilio's signature, made with the auth token of the organisation's subaccount the form's AccountSid names",
  });
}

const DESCRIPTION = `WhatsApp customer support over Twilio. Generated from the zod schemas the routes validate
requests with, so it cannot drift from what they accept. Every error is JSON \`{"error": {"code", "message", …,
"requestId"}}\`; lists answer a page at a time (\`limit\`, \`cursor\`, \`nextCursor\`).`;

/**
 * The API's OpenAPI 3.1 document: every route `createApp` mounts (a test holds it to that), each with who may
 * call it, the request schemas its route parses, and its answers. `serverUrl`: PUBLIC_BASE_URL, for "Try it out".
 */
export function apiDocument(serverUrl?: string): Document {
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);
  for (const describe of [
    describeSystem,
    describeDirectory,
    describeChannel,
    describeBusinessAccounts,
    describeNumbers,
    describeWallet,
    describeConversations,
    describeVisitors,
    describeWebhookEndpoints,
  ]) {
    describe(registry);
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Switchboard API', version: '1', description: DESCRIPTION },
    servers: serverUrl ? [{ url: serverUrl }] : undefined,
  });
  return withPathParametersRequired(document);
}

/**
 * A path parameter is always required. The generator judges `required` by whether the schema accepts null,
 * which a coerced number (`z.coerce.number()`: null is 0) does.
 */
function withPathParametersRequired(document: Document): Document {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item) as { parameters?: { in?: string; required?: boolean }[] }[]) {
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'path') parameter.required = true;
    }
  }
  return document;
}
