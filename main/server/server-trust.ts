// Which certificate authorities a server's certificate may chain to. Node (and so undici) trusts its own bundled
// list plus NODE_EXTRA_CA_CERTS, not the operating system's store, and the packaged app's fuses turn
// NODE_EXTRA_CA_CERTS off. An on-premises Foundry server usually has a certificate from the company's own
// authority, which IT installs in the OS store: so where Node can read that store (tls.getCACertificates, Node
// 22.15 and later, which the Electron app embeds) it is trusted too, and one secure context serves every
// connection of a client.
//
// Reading the OS store and building that context costs about 100 to 250 ms of CPU (loading node:tls, parsing some
// 600 certificates, the context itself): trustingConnector does it at a client's first https: connection, so that a
// one-shot CLI command against an http:// server (the Sandbox, a server on the local network) never pays for it.
import type * as Tls from 'node:tls';
import type { buildConnector as BuildConnector } from 'undici';
import { buildConnector } from './undici-parts';

/** node:tls, loaded when first needed (see above). */
const nodeTls = (): typeof Tls => process.getBuiltinModule('node:tls');

type CaSource = 'default' | 'system';

/** The part of node:tls this needs, replaceable in tests. */
export interface TlsTrustApi {
  getCACertificates?: (type: CaSource) => string[];
  createSecureContext(options: Tls.SecureContextOptions): Tls.SecureContext;
}

export interface ServerTrust {
  /** undefined: Node's defaults are all there is to trust. */
  secureContext?: Tls.SecureContext;
  /** Where trust comes from, for the connection test and error messages. */
  sources: Array<'bundled' | 'system' | 'extra'>;
}

export function serverTrust(extraCa?: string, api: TlsTrustApi = nodeTls() as unknown as TlsTrustApi): ServerTrust {
  const system = systemAuthorities(api);
  // Nothing beyond Node's own list: no secure context of our own, Node's default one serves.
  if (!system.length && extraCa === undefined) return { sources: ['bundled'] };
  // Node 20 cannot list its defaults: its bundled roots stand in for them.
  const defaults = api.getCACertificates ? api.getCACertificates('default') : [...nodeTls().rootCertificates];
  const authorities = [...new Set([...defaults, ...system, ...(extraCa !== undefined ? [extraCa] : [])])];
  return {
    secureContext: api.createSecureContext({ ca: authorities }),
    sources: ['bundled', ...(system.length ? (['system'] as const) : []), ...(extraCa !== undefined ? (['extra'] as const) : [])],
  };
}

/** The OS store's authorities, where Node can read them; none otherwise (Node 20, or a store that cannot be read). */
function systemAuthorities(api: TlsTrustApi): string[] {
  try {
    return api.getCACertificates?.('system') ?? [];
  } catch {
    return [];
  }
}

/**
 * undici's connector (its `connect` option) with serverTrust(extraCa) as the trust of every https: connection,
 * built at the first one; plain http: connections are made as undici's own connector makes them. `trust` is
 * replaceable in tests.
 */
export function trustingConnector(
  options: { timeout: number; extraCa?: string },
  trust: (extraCa?: string) => ServerTrust = serverTrust,
): BuildConnector.connector {
  const plain = buildConnector({ timeout: options.timeout });
  let secure: BuildConnector.connector | undefined;
  return (connectOptions, callback) => {
    if (connectOptions.protocol !== 'https:') return plain(connectOptions, callback);
    if (!secure) {
      const { secureContext } = trust(options.extraCa);
      secure = buildConnector({ timeout: options.timeout, ...(secureContext ? { secureContext } : {}) });
    }
    return secure(connectOptions, callback);
  };
}
