// The contract's plain values, with no zod: main-side code that needs only these (the CLI's start, the HTTP client,
// the file checkers) imports them from here, so a command does not load and build every schema it never uses
// (about 50 ms of a CLI start). The per-domain modules re-export them, so the index still offers every name.

export const AUTH_MODES = ['basic', 'token', 'apikey'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Header names that carry a claims token; the server's actual choice is undocumented, so both are sent. */
export const DEFAULT_TOKEN_HEADERS = ['X-VoltMX-Authorization', 'X-Kony-Authorization'] as const;
/** Header names that carry an App API key. */
export const DEFAULT_API_KEY_HEADERS = ['X-VoltMX-App-API-Key', 'X-Kony-App-API-Key'] as const;

/**
 * The longest password, API key or certificate passphrase accepted, in characters. Generated passwords and API keys
 * are 16 to 128 characters; 4,096 leaves room for any of them and still fits, Base64-encoded, in the 16 KB header
 * limit of common servers, so a longer secret is refused when it is saved instead of failing as a dropped connection.
 */
export const MAX_SECRET_LENGTH = 4096;

export const MAX_BATCH_RECIPIENTS = 100_000;
export const MAX_BATCH_DRAFTS = 10_000;

export const PASS_STYLES = ['boardingPass', 'coupon', 'eventTicket', 'generic', 'storeCard'] as const;
export type PassStyle = (typeof PASS_STYLES)[number];

export const NOTIFICATION_CHANNELS = ['SMS', 'EMAIL'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** How many unreadable lines a history query lists one by one; the count covers the rest. */
export const MAX_LISTED_HISTORY_PROBLEMS = 20;

/** A channel status the docs list; anything else is kept as `other` with the server's word. */
export const CHANNEL_STATUSES = ['initial', 'queued', 'submitted', 'delivered', 'undelivered', 'cancelled', 'opened', 'not attempted', 'rejected'] as const;
export const PASS_CHANNELS = ['EMAIL', 'SMS'] as const;
export const FINAL_CHANNEL_STATUSES: readonly string[] = ['delivered', 'undelivered', 'cancelled', 'opened', 'not attempted', 'rejected'];
