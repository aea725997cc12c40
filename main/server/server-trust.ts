// Which certificate authorities a server's certificate may chain to. Node (and so undici) trusts its own bundled
// list plus NODE_EXTRA_CA_CERTS, not the operating system's store, and the packaged app's fuses turn
// NODE_EXTRA_CA_CERTS off. An on-premises Foundry server usually has a certificate from the company's own
// authority, which IT installs in the OS store: so where Node can read that store (tls.getCACertificates, Node
// 22.15 and later, which the Electron app embeds) it is trusted too, and one secure context serves every
// connection of a client.
import * as tls from 'node:tls';

type CaSource = 'default' | 'system';

/** The part of node:tls this needs, replaceable in tests. */
export interface TlsTrustApi {
  getCACertificates?: (type: CaSource) => string[];
  createSecureContext(options: tls.SecureContextOptions): tls.SecureContext;
}

export interface ServerTrust {
  /** undefined: Node's defaults are all there is to trust. */
  secureContext?: tls.SecureContext;
  /** Where trust comes from, for the connection test and error messages. */
  sources: Array<'bundled' | 'system' | 'extra'>;
}

export function serverTrust(extraCa?: string, api: TlsTrustApi = tls as unknown as TlsTrustApi): ServerTrust {
  const system = systemAuthorities(api);
  // Nothing beyond Node's own list: no secure context of our own, Node's default one serves.
  if (!system.length && extraCa === undefined) return { sources: ['bundled'] };
  // Node 20 cannot list its defaults: its bundled roots stand in for them.
  const defaults = api.getCACertificates ? api.getCACertificates('default') : [...tls.rootCertificates];
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
