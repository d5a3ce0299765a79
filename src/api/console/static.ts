import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { App } from '../app.ts';

/**
 * The console's page policy: scripts, styles and fonts only from the console's own files (no inline script, no
 * CDN), data only from this origin, never framed. Device-controlled strings are rendered as text by the UI; this
 * is the second wall if one ever were not.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built console (Vite's output: `index.html` and hashed files under `assets/`) at `/`, without an API
 * key: the page itself holds nothing; every datum comes from `/api/v1` behind a login. Any other path that is not
 * the API's is the single-page app's own route, answered with `index.html`. Without a build, `/` says how to make
 * one.
 */
export function serveConsole(app: App, dir: string): void {
  const root = resolve(dir);
  const config = { public: true } as const;
  const schema = { hide: true };
  const headers = {
    'content-security-policy': CONSOLE_CSP,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };

  const sendIndex = async (reply: import('fastify').FastifyReply) => {
    let html: Buffer;
    try {
      html = await readFile(join(root, 'index.html'));
    } catch {
      return reply
        .code(503)
        .headers(headers)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build`, then restart `corral serve`.\n');
    }
    // Always asked again: a new build's index.html names new hashed assets.
    return reply
      .headers(headers)
      .header('cache-control', 'no-cache')
      .type(TYPES['.html'] as string)
      .send(html);
  };

  app.get('/', { config, schema }, async (_request, reply) => sendIndex(reply));
  app.get('/*', { config, schema }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (path.startsWith('api/')) {
      return reply.code(404).send({ error: { code: 'not-found', message: 'no such route' } });
    }
    const file = resolve(root, decodeURIComponentSafe(path));
    const inside = file.startsWith(root + sep);
    const info = inside ? await stat(file).catch(() => null) : null;
    if (info?.isFile()) {
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      // Vite names assets by content hash: they never change under a name.
      if (path.startsWith('assets/'))
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply
        .headers(headers)
        .type(type)
        .header('content-length', String(info.size))
        .send(createReadStream(file));
    }
    // A missing asset, or a file at the top (favicon.ico), is a 404; any other path is the app's own route —
    // with a dot in it too, as device ids often have (/devices/02C0A1-HGW-SN.1).
    const topFile = !path.includes('/') && Object.hasOwn(TYPES, extname(path));
    if (path.startsWith('assets/') || topFile) {
      return reply.code(404).headers(headers).type('text/plain; charset=utf-8').send('not found\n');
    }
    return sendIndex(reply);
  });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
