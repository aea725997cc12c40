// The one error surface of the UI (GitHub Desktop's postError -> app-error.tsx): feature code calls
// reportError(error, retry?) and never draws its own alert. Auth failures route to the profile's credentials.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppError } from '../../../preload/contract';
import { inertLines } from '../../../main/core/inert';
import './app-error.css';

export interface ReportedError {
  id: number;
  error: AppError;
  retry?: () => void;
  /** The profile the failed call used, so "Open profile" knows where to go. */
  profileId?: string;
}

export interface ErrorContextValue {
  errors: ReportedError[];
  reportError(error: AppError, retry?: () => void, context?: { profileId?: string }): void;
  dismissError(id: number): void;
  clearErrors(): void;
}

const ErrorContext = createContext<ErrorContextValue | null>(null);

/** Keeps the newest few: an administrator retrying the same call should not see a growing pile of banners. */
const MAX_ERRORS = 3;

export function ErrorProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<ReportedError[]>([]);
  const nextId = useRef(1);

  const reportError = useCallback<ErrorContextValue['reportError']>((error, retry, context) => {
    const entry: ReportedError = { id: nextId.current++, error };
    if (retry) entry.retry = retry;
    if (context?.profileId) entry.profileId = context.profileId;
    setErrors((current) => {
      // The same failure again replaces the old banner instead of stacking a copy.
      const others = current.filter((e) => e.error.code !== error.code || e.error.message !== error.message);
      return [...others, entry].slice(-MAX_ERRORS);
    });
  }, []);
  const dismissError = useCallback((id: number) => setErrors((current) => current.filter((e) => e.id !== id)), []);
  const clearErrors = useCallback(() => setErrors([]), []);

  const value = useMemo(
    () => ({ errors, reportError, dismissError, clearErrors }),
    [errors, reportError, dismissError, clearErrors],
  );
  return <ErrorContext.Provider value={value}>{children}</ErrorContext.Provider>;
}

export function useErrors(): ErrorContextValue {
  const value = useContext(ErrorContext);
  if (!value) throw new Error('useErrors() needs an <ErrorProvider> above it.');
  return value;
}

/** Shorthand for feature code, which only ever reports. */
export function useReportError(): ErrorContextValue['reportError'] {
  return useErrors().reportError;
}

const TITLES: Record<AppError['code'], string> = {
  'auth-missing': 'No credentials stored',
  'auth-rejected': 'Credentials refused',
  'bad-request': 'Request rejected',
  'client-error': 'Request failed',
  'server-error': 'Server error',
  network: 'Connection problem',
  tls: 'Secure connection failed',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  'unexpected-response': 'Unexpected answer',
  validation: 'Check the input',
  file: 'File problem',
  'keychain-unavailable': 'Keychain unavailable',
  'not-found': 'Not found',
  internal: 'Something went wrong',
};

export function AppErrorRegion({ onOpenProfile }: { onOpenProfile: (profileId: string | undefined) => void }) {
  const { errors, dismissError } = useErrors();
  return (
    <div className="app-errors" role="alert" aria-live="assertive" data-testid="app-errors">
      {errors.map((entry) => {
        const { error } = entry;
        const authProblem = error.code === 'auth-missing' || error.code === 'auth-rejected';
        return (
          <section key={entry.id} className="app-error" data-code={error.code} aria-label={TITLES[error.code]}>
            <div className="app-error-text">
              <strong className="app-error-title">
                {TITLES[error.code]}
                {error.httpStatus !== undefined ? <span className="app-error-status"> · HTTP {error.httpStatus}</span> : null}
              </strong>
              {/* A server's words are inside: controls and bidi characters shown escaped, the text isolated (issue #18). */}
              <p className="app-error-message">
                <bdi>{inertLines(error.message)}</bdi>
              </p>
              {error.detail && !error.message.includes(error.detail) ? (
                <p className="app-error-detail">
                  <bdi>{inertLines(error.detail)}</bdi>
                </p>
              ) : null}
            </div>
            <div className="app-error-actions">
              {authProblem ? (
                <button
                  type="button"
                  className="button primary"
                  onClick={() => {
                    dismissError(entry.id);
                    onOpenProfile(entry.profileId);
                  }}
                >
                  Open profile
                </button>
              ) : null}
              {error.retryable && entry.retry ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    dismissError(entry.id);
                    entry.retry?.();
                  }}
                >
                  Retry
                </button>
              ) : null}
              <button type="button" className="button ghost" onClick={() => dismissError(entry.id)}>
                Dismiss
              </button>
            </div>
          </section>
        );
      })}
    </div>
  );
}
