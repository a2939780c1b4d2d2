import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { apiDocument } from '../../src/api/openapi/openapi-document';

interface DocumentedResponse {
  content?: Record<string, { schema?: unknown }>;
}
interface DocumentedOperation {
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, DocumentedResponse>;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

const DOCUMENT_ID = 'switchboard-api';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The API's own document, compiled once per process: answers are checked against what /v1/openapi.json serves. */
function documented() {
  const document = apiDocument();
  // OpenAPI 3.1's schemas are JSON Schema 2020-12; its own keywords around them are not schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(document, DOCUMENT_ID);
  const operations = new Map<string, DocumentedOperation[]>();
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(
      item as Record<string, { responses: DocumentedOperation['responses'] }>,
    )) {
      const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
      const params = template.split('{').length - 1;
      const list = operations.get(method.toUpperCase()) ?? [];
      list.push({ template, pattern, params, responses: operation.responses });
      // A literal segment wins over a parameter (`/numbers/available` over `/numbers/{id}`), as the router's order does.
      operations.set(
        method.toUpperCase(),
        list.sort((a, b) => a.params - b.params),
      );
    }
  }
  const validators = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let validate = validators.get(ref);
    if (!validate) validators.set(ref, (validate = ajv.getSchema(`${DOCUMENT_ID}#/${ref}`)!));
    return validate;
  };
  return { operations, validator, ajv };
}

let compiled: ReturnType<typeof documented> | undefined;

/**
 * Throws unless the API's document lists this answer: its route, its status, its content type and, for JSON,
 * a body its schema accepts. A path no route matches is answered by the API's fallback, an error body.
 * Streams (text/event-stream) and other non-JSON answers are checked by status and content type only.
 */
export function checkDocumented(method: string, path: string, answer: Answer): void {
  compiled ??= documented();
  const pathname = path.split('?')[0]!;
  const operation = compiled.operations.get(method)?.find((o) => o.pattern.test(pathname));
  const seen = () => `${JSON.stringify(answer.body)?.slice(0, 600)}`;
  const where = `${method} ${path}${operation ? ` (${operation.template})` : ''} answered ${answer.status}`;
  const fail = (why: string) => {
    throw new Error(`${where}, which the OpenAPI document does not describe: ${why}. The body: ${seen()}`);
  };
  if (!operation) {
    const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (answer.status < 400 || typeof code !== 'string') fail('no documented route matches, and it is no error');
    return;
  }
  const response = operation.responses[String(answer.status)];
  if (!response) return fail(`that status is not among ${Object.keys(operation.responses).join(', ')}`);
  const type = answer.headers.get('content-type')?.split(';')[0]?.trim();
  const types = Object.keys(response.content ?? {});
  if (types.length === 0) {
    if (answer.body !== '') fail('the document says it has no body');
    return;
  }
  const documentedType = types.find((t) => t === type || t === '*/*');
  if (!type || !documentedType) return fail(`its content type ${type} is not among ${types.join(', ')}`);
  if (documentedType !== 'application/json') return;
  const ref = pointer('paths', operation.template, method.toLowerCase(), 'responses', String(answer.status));
  const validate = compiled.validator(`${ref}/content/application~1json/schema`);
  if (!validate(answer.body)) fail(compiled.ajv.errorsText(validate.errors, { dataVar: 'body' }));
}
