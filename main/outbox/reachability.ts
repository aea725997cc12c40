// Is a profile's server reachable? The outbox's automatic sending asks before it sends anything to a server.
import { connect } from 'node:net';
import type { Profile } from '../../preload/contract';

/** Is the profile's server reachable right now? Cheap: no credentials, no request. */
export type ReachabilityProbe = (profileId: string, signal: AbortSignal) => Promise<boolean>;

/** A TCP connect to the profile's host and port; the built-in Sandbox is always reachable (it runs in-process). */
export function createTcpProbe(
  findProfile: (id: string) => Profile | undefined,
  timeoutMs = 5000,
): ReachabilityProbe {
  return async (profileId, signal) => {
    const profile = findProfile(profileId);
    if (!profile) return false;
    if (profile.builtIn) return true;
    let url: URL;
    try {
      url = new URL(profile.baseUrl);
    } catch {
      return false;
    }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(ok);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  };
}
