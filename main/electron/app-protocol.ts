// The app:// protocol that serves the built renderer (out/renderer) instead of file://, so the page gets a real
// origin for CSP 'self' and cannot read the disk. Electron modules come in as arguments (type-only import), which
// keeps the URL-to-file decision and the response building testable in plain Node.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl } from '../window-policy';

/** standard: relative URLs and an origin; secure: counts as a secure context; supportFetchAPI: fetch() of assets. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/** Must run before the app's 'ready' event (Electron refuses it afterwards). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

const DOT_SEGMENT = /(?:\/|\\|%2f|%5c)(?:\.|%2e){1,2}(?:\/|\\|%2f|%5c|[?#]|$)/i;

/**
 * The file under rootDir that an app:// URL names, or undefined when the URL is not ours or would leave rootDir
 * (../, %2e%2e, %2f-encoded slashes, backslashes, NUL). "/" means index.html. Does not touch the disk.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): string | undefined {
  if (!isAppUrl(requestUrl)) return undefined;
  // Chromium normalises dot segments before the handler sees a URL, so one still present (plain or encoded) is
  // an attempt at the file system: refuse it outright rather than rely on normalisation.
  if (DOT_SEGMENT.test(requestUrl)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return undefined;
  }
  // Built assets never contain these; on Windows a backslash would be a separator that URL parsing ignored.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const root = resolve(rootDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : undefined;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers for a served asset; the CSP goes on every response, so every HTML document is covered. */
export function assetHeaders(filePath: string): Record<string, string> {
  return {
    'Content-Type': mimeTypeFor(filePath),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    // Scripts load only with a script MIME type, never a sniffed one.
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}

/** The protocol handler's whole behaviour, on plain web Request/Response so it runs in Node tests. */
export async function serveAppAsset(rootDir: string, request: { url: string; method?: string }): Promise<Response> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed');
  const file = resolveAppAsset(rootDir, request.url);
  if (!file) return plain(404, 'Not found');
  let body: Buffer;
  try {
    // Electron's fs reads through app.asar transparently.
    body = await readFile(file);
  } catch {
    return plain(404, 'Not found');
  }
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: assetHeaders(file) });
}

/** Serves app://engagement-desk/* from rootDir (out/renderer). Call after 'ready'. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppAsset(rootDir, request));
}
