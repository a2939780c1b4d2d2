import express, { Router } from 'express';
import { dirname } from 'node:path';
import { apiDocument } from '../openapi/openapi-document';

/** Swagger UI's own files, from its npm package: the page works offline, with no CDN. */
const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/** The page names its files by absolute path under PUBLIC_BASE_URL's path: a proxy's prefix stays in front. */
function docsPage(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Switchboard API</title>
  <link rel="stylesheet" href="${base}/v1/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="${base}/v1/docs/assets/swagger-ui-bundle.js"></script>
  <script>SwaggerUIBundle({ url: '${base}/v1/openapi.json', dom_id: '#docs' });</script>
</body>
</html>
`;
}

/** `GET /v1/openapi.json` and its browsable page `GET /v1/docs`: public, like any API's reference. */
export function docsRouter(publicBaseUrl: string): Router {
  // Made on first request: the app starts without waiting for it.
  let document: string | undefined;
  const page = docsPage(new URL(publicBaseUrl).pathname.replace(/\/+$/, ''));
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(apiDocument(publicBaseUrl));
    res.type('application/json').send(document);
  });
  r.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  // Only the two files the page loads: the package's others (its demo page, source maps) are not ours to serve,
  // so any other path goes on through the API like an unknown route.
  r.use('/docs/assets', (req, _res, next) => next(ASSETS.has(req.path.slice(1)) ? undefined : 'router'));
  r.use('/docs/assets', express.static(SWAGGER_UI, { index: false, maxAge: '1d' }));
  return r;
}
