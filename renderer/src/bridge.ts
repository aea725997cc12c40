// THE one module that reaches the preload bridge (style.md 12). Everything in the renderer imports `api` from
// here, which is also the seam the browser tests use: they install an object of the same type on window.
import type { AppError, Result } from '../../preload/contract';
import { API_GLOBAL, type EngagementApi } from '../../preload/api';

const BRIDGE_MISSING: AppError = {
  code: 'internal',
  message: 'The desktop bridge is not available: open Engagement Desk from the application, not in a web browser.',
  retryable: false,
};

/** Stands in for the bridge when the page runs without one, so every call fails as data instead of throwing. */
function missingBridge(): EngagementApi {
  const failed = async (): Promise<Result<never>> => ({ ok: false, error: BRIDGE_MISSING });
  return new Proxy({} as EngagementApi, {
    get(_target, key) {
      if (key === 'onProgress' || key === 'onOutbox' || key === 'onBatch' || key === 'onMenu') return () => () => undefined;
      if (key === 'pathForFile') return () => '';
      return failed;
    },
  });
}

const found = (window as unknown as Record<string, unknown>)[API_GLOBAL] as EngagementApi | undefined;

export const bridgeAvailable = found !== undefined;
export const api: EngagementApi = found ?? missingBridge();
