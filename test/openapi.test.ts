import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { checkDocumented } from '../dev/harness/documented-answers';
import { harnessRoutes } from './helpers/mounted-routes';
import { useHarness } from './helpers/use-harness';

// The API reference (README: "HTTP API reference"): generated from the routes' own zod schemas.
const h = useHarness();

type Paths = Record<string, Record<string, unknown>>;

describe('GET /v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without a key', async () => {
    const res = await h.request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers).toEqual([{ url: h.apiUrl }]);
    const result = await validate(structuredClone(res.body));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('describes every route the app mounts, and nothing else', async () => {
    const mounted = harnessRoutes(h);
    const paths = (await h.request<{ paths: Paths }>('GET', '/v1/openapi.json')).body.paths;
    const described = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect({
      undescribed: mounted.filter((route) => !described.includes(route)),
      notMounted: described.filter((route) => !mounted.includes(route)),
    }).toEqual({ undescribed: [], notMounted: [] });
  });

  it('says who may call each operation, and what every refusal answers', async () => {
    const paths = (await h.request<{ paths: Paths }>('GET', '/v1/openapi.json')).body.paths;
    const brands = paths['/v1/brands']!.post as { security: unknown; responses: Record<string, unknown> };
    expect(brands.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(brands.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '503']);
    const webhook = paths['/webhooks/twilio/messages']!.post as { security: unknown; requestBody: { content: object } };
    expect(webhook.security).toEqual([{ twilioSignature: [] }]);
    expect(Object.keys(webhook.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
  });
});

describe('GET /v1/docs', () => {
  it('is a page that loads the document and Swagger UI from this API alone', async () => {
    const res = await h.request<string>('GET', '/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const urls = [...res.body.matchAll(/(?:src|href)="([^"]+)"|url: '([^']+)'/g)].map((m) => m[1] ?? m[2]!);
    expect(urls.sort()).toEqual([
      '/v1/docs/assets/swagger-ui-bundle.js',
      '/v1/docs/assets/swagger-ui.css',
      '/v1/openapi.json',
    ]);
    for (const url of urls) {
      const asset = await fetch(`${h.apiUrl}${url}`);
      expect([url, asset.status]).toEqual([url, 200]);
      expect((await asset.text()).length).toBeGreaterThan(1000);
    }
    // The package's other files are not served.
    expect((await fetch(`${h.apiUrl}/v1/docs/assets/index.html`)).status).toBe(401);
  });
});

describe("the harness's check of every answer against the document", () => {
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  const brand = {
    id: crypto.randomUUID(),
    orgId: crypto.randomUUID(),
    name: 'Acme',
    createdAt: new Date().toISOString(),
  };

  it('passes an answer the document describes', () => {
    expect(() => checkDocumented('POST', '/v1/brands', { status: 201, body: { brand }, headers })).not.toThrow();
  });

  it('fails a status the route does not document, naming the route and the status', () => {
    expect(() => checkDocumented('POST', '/v1/brands', { status: 202, body: { brand }, headers })).toThrow(
      /POST \/v1\/brands \(\/v1\/brands\) answered 202.*not among 201/,
    );
  });

  it('fails a body its schema does not accept, naming the violation', () => {
    const { name: _, ...nameless } = brand;
    expect(() => checkDocumented('POST', '/v1/brands', { status: 201, body: { brand: nameless }, headers })).toThrow(
      /body\/brand must have required property 'name'/,
    );
    const leaked = { brand: { ...brand, keyHash: 'x' } };
    expect(() => checkDocumented('POST', '/v1/brands', { status: 201, body: leaked, headers })).toThrow(
      /must NOT have additional properties/,
    );
  });

  it('fails an error code the route does not document for that status', () => {
    const body = { error: { code: 'not_found', message: 'x', requestId: 'r' } };
    expect(() => checkDocumented('POST', '/v1/brands', { status: 409, body, headers })).toThrow(
      /must be equal to one of the allowed values/,
    );
  });

  it('takes the literal route over a parameter, and checks a path parameter route', () => {
    const body = { error: { code: 'not_found', message: 'x', requestId: 'r' } };
    expect(() => checkDocumented('DELETE', `/v1/api-keys/${brand.id}`, { status: 404, body, headers })).not.toThrow();
    expect(() =>
      checkDocumented('GET', '/v1/whatsapp/numbers/available?country=US', {
        status: 200,
        body: { numbers: [] },
        headers,
      }),
    ).not.toThrow();
  });
});
