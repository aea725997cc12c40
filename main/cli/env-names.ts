// The environment variables the CLI reads credentials from, and the secret one's value. Kept apart from
// env-credentials.ts (which builds services from them) so that every command can know them at start-up without
// loading the profiles, the history or the contract schemas.

export const ENV = {
  url: 'ENGAGEMENT_DESK_URL',
  auth: 'ENGAGEMENT_DESK_AUTH',
  user: 'ENGAGEMENT_DESK_USER',
  secret: 'ENGAGEMENT_DESK_SECRET',
  loginUrl: 'ENGAGEMENT_DESK_LOGIN_URL',
} as const;

/** The secret given in the environment for this run, if any (an empty variable gives none). */
export function environmentSecret(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[ENV.secret];
  return value === undefined || value === '' ? undefined : value;
}
