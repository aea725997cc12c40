// How the client proves who it is, by the profile's auth mode: HTTP Basic, an App API key, or a claims token from
// the login service, kept until shortly before it expires and renewed by one login that concurrent calls share.
// Nothing here puts a secret into an error or a log.
import type { Agent, Dispatcher } from 'undici';
import { request } from './undici-parts';
import type { Profile } from '../../preload/contract';
import { DEFAULT_TOKEN_HEADERS } from '../../preload/contract/constants';
import { apiKeyHeaders, basicAuthorization, parseLoginResponse, tokenHeaders, tokenIsFresh, type ClaimsToken } from '../core/auth';
import { appError, EngagementError, fail, httpStatusError, serverMessageFromBody, toAppError } from '../core/errors';
import { loginUrlFor } from '../core/server-url';
import { headerValue, MAX_JSON_BODY, readLimited } from './http-answers';

/** The profile's secret (password or API key), undefined when none is stored; `fresh` asks the keychain again
 * instead of a copy kept for the session. */
export type SecretReader = (fresh?: boolean) => Promise<string | undefined>;

export class ProfileCredentials {
  private token: ClaimsToken | undefined;
  private tokenRequest: Promise<ClaimsToken> | undefined;
  /** The Basic or App API key headers of the last secret read: worked out again only when the secret changes. */
  private secretHeaders: { secret: string; headers: Record<string, string> } | undefined;

  constructor(
    private readonly profile: Profile,
    private readonly readSecret: SecretReader,
    private readonly agent: Agent,
    private readonly now: () => number,
  ) {}

  /** Forgets the claims token and the headers made from the secret (a removed profile leaves no credential in memory). */
  forget(): void {
    this.token = undefined;
    this.secretHeaders = undefined;
    this.tokenRequest = undefined;
  }

  /**
   * After a 401: whether sending once more can help. A claims token is dropped, so the next headers log in again;
   * a password or API key is read again from the keychain, and helps if it changed there (the CLI, or another copy
   * of the app, saved a new one).
   */
  async worthRetryingAfter401(usedToken?: string): Promise<boolean> {
    if (this.profile.authMode === 'token') {
      // Only the refused token is dropped: when concurrent sends are refused together, the first renews it and the
      // others use that renewal instead of logging in once each.
      if (usedToken === undefined || this.token?.value === usedToken) this.token = undefined;
      return true;
    }
    const used = this.secretHeaders?.secret;
    const stored = await this.readSecret(true);
    return !(stored === undefined || stored === '' || stored === used);
  }

  /** The headers that prove who the client is, and the claims token among them (token profiles). */
  async headers(signal?: AbortSignal): Promise<{ headers: Record<string, string>; token?: string }> {
    const mode = this.profile.authMode;
    const secret = await this.readSecret();
    if (secret === undefined || secret === '') {
      const what = mode === 'apikey' ? 'App API key' : 'password';
      fail('auth-missing', `No ${what} is stored for the profile "${this.profile.name}". Open the profile and enter it.`);
    }
    if (mode !== 'token' && this.secretHeaders?.secret === secret) return { headers: this.secretHeaders.headers };
    switch (mode) {
      case 'basic': {
        if (!this.profile.username) fail('auth-missing', `The profile "${this.profile.name}" has no user name. Open the profile and enter it.`);
        this.secretHeaders = { secret, headers: { authorization: basicAuthorization(this.profile.username, secret) } };
        return { headers: this.secretHeaders.headers };
      }
      case 'apikey':
        this.secretHeaders = { secret, headers: apiKeyHeaders(secret) };
        return { headers: this.secretHeaders.headers };
      case 'token': {
        const token = await this.claimsToken(secret, signal);
        const names = this.profile.tokenHeaders.length > 0 ? this.profile.tokenHeaders : [...DEFAULT_TOKEN_HEADERS];
        return { headers: tokenHeaders(names, token.value), token: token.value };
      }
    }
  }

  /** A fresh claims token: the cached one for most of its life (see tokenIsFresh), else one login shared by
   * concurrent calls. */
  private async claimsToken(password: string, signal?: AbortSignal): Promise<ClaimsToken> {
    if (tokenIsFresh(this.token, this.now())) return this.token;
    this.tokenRequest ??= this.login(password, signal).finally(() => {
      this.tokenRequest = undefined;
    });
    this.token = await this.tokenRequest;
    return this.token;
  }

  private async login(password: string, signal?: AbortSignal): Promise<ClaimsToken> {
    const username = this.profile.username;
    if (!username) fail('auth-missing', `The profile "${this.profile.name}" has no user name. Open the profile and enter it.`);
    const url = loginUrlFor(this.profile.baseUrl, this.profile.loginUrl);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ userid: username, password }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new EngagementError(appError('cancelled', 'Cancelled.'));
      throw new EngagementError(toAppError(error, { host: new URL(url).host }), { cause: error });
    }
    const text = await readLimited(response.body, MAX_JSON_BODY);
    if (response.statusCode === 401 || response.statusCode === 403) {
      const said = serverMessageFromBody(text, headerValue(response.headers['content-type']));
      fail('auth-rejected', `Login to ${new URL(url).host} was refused${said ? `: ${said}` : ''}. Check the user name and password in the profile.`, {
        httpStatus: response.statusCode,
        ...(said ? { detail: said } : {}),
      });
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const error = httpStatusError(response.statusCode, '', serverMessageFromBody(text, headerValue(response.headers['content-type'])));
      throw new EngagementError({ ...error, message: `Login failed: ${error.message}` });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const token = parseLoginResponse(parsed, this.now());
    if (!token) fail('unexpected-response', `The login service at ${url} answered without a claims token. Check the login URL in the profile.`);
    return token;
  }
}
