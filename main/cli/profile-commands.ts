import type { Command } from 'commander';
import type { ProfileView } from '../../preload/contract';
import { AUTH_MODES, type AuthMode } from '../../preload/contract/constants';
import { exitCodeFor, fail } from '../core/errors';
import type { CliContext } from './context';
import { commandAction, inert, jsonLine, printErr, succeed } from './output';
import { readSecret } from './secret-input';

/** A profile as a listing shows it: 'unknown' storage when the keychain could not be asked (locked, unavailable). */
type ListedProfile = Omit<ProfileView, 'secretStorage' | 'hasSecret'> &
  ({ secretStorage: ProfileView['secretStorage']; hasSecret: boolean } | { secretStorage: 'unknown'; hasSecret: null });

/** "no secret stored" only when the keychain said so: a keychain it could not ask may well hold one. */
function listed(view: ProfileView, keychainProblem: string | undefined): ListedProfile {
  return view.secretStorage === 'none' && keychainProblem !== undefined ? { ...view, secretStorage: 'unknown', hasSecret: null } : view;
}

function describeProfile(p: ListedProfile, keychainProblem?: string): string {
  const secret =
    p.secretStorage === 'unknown'
      ? /is locked/.test(keychainProblem ?? '')
        ? 'keychain locked'
        : 'keychain unavailable'
      : p.secretStorage === 'keychain'
      ? 'secret in keychain'
      : p.secretStorage === 'session'
        ? 'secret for this run only'
        : p.secretStorage === 'built-in'
          ? 'built-in credentials'
          : 'no secret stored';
  const user = p.username ? ` as ${inert(p.username)}` : '';
  const warn = p.insecureTransport ? '  (warning: plain http)' : '';
  const login = p.loginUrlInUse ? `  login ${inert(p.loginUrlInUse)}` : '';
  return `${inert(p.name).padEnd(20)} ${p.authMode.padEnd(6)} ${inert(p.baseUrl)}${user}  [${secret}]  ${p.serverKindLabel}${login}${warn}`;
}

/** A profile as --json prints it: `loginUrl` is the login URL a token profile uses, configured or the default
 * for its kind of server (`loginUrlConfigured` says which). */
function profileJson<T extends Pick<ProfileView, 'loginUrlInUse' | 'loginUrl' | 'authMode'>>(p: T): Record<string, unknown> {
  const { loginUrlInUse, loginUrl, ...rest } = p;
  if (p.authMode !== 'token') return { ...rest, ...(loginUrl ? { loginUrl } : {}) };
  return { ...rest, loginUrl: loginUrlInUse, loginUrlConfigured: loginUrl !== undefined };
}

/** `profile show`: one setting per line. */
function showProfile(p: ProfileView): string[] {
  const lines = [
    `Name:        ${inert(p.name)}`,
    `Server:      ${inert(p.baseUrl)}`,
    `Kind:        ${p.serverKindLabel}`,
    `Sign-in:     ${p.authMode}${p.username ? ` as ${inert(p.username)}` : ''}`,
  ];
  if (p.loginUrlInUse) lines.push(`Login URL:   ${inert(p.loginUrlInUse)}${p.loginUrl ? '' : ' (default for this kind of server)'}`);
  if (p.authMode !== 'basic') lines.push(`Headers:     ${p.tokenHeaders.map(inert).join(', ')}`);
  lines.push(`Secret:      ${p.secretStorage}`);
  if (p.insecureTransport) lines.push(`Warning:     plain http${p.allowHttp ? ' (allowed with --allow-http)' : ''}: credentials cross the network unencrypted.`);
  return lines;
}

export function registerProfileCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const profile = program.command('profile').description('Manage server profiles (secrets go to the OS keychain)');

  profile
    .command('add')
    .description('Add a server profile, or replace one with --replace')
    .argument('<name>', 'profile name')
    .requiredOption('--url <url>', 'server base URL including any context root, e.g. https://host:8443/vpns')
    .requiredOption('--auth <mode>', `authentication: ${AUTH_MODES.join('|')}`)
    .option('--user <user>', 'user name (basic and token)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--api-key-stdin', 'read the App API key from standard input')
    .option(
      '--login-url <url>',
      'claims-token login URL (default: https://accounts.auth.voltmxcloud.com/login for *.messaging.voltmxcloud.com, https://accounts.auth.konycloud.com/login for *.messaging.konycloud.com, else <origin>/authService/accounts/login)',
    )
    .option('--allow-http', 'confirm a plain http server or login URL off this machine (credentials travel unencrypted)')
    .option('--token-header <name...>', 'header name(s) that carry the claims token')
    .option('--replace', 'replace an existing profile of the same name')
    .option('--session-secret', 'when the OS keychain is unavailable, keep the secret for this run only instead of failing')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (name: string, opts: Record<string, unknown>) => {
        const json = opts.json === true;
        const auth = String(opts.auth) as AuthMode;
        if (!AUTH_MODES.includes(auth)) fail('validation', `--auth must be one of ${AUTH_MODES.join(', ')} (got "${String(opts.auth)}").`);
        if (opts.passwordStdin && auth === 'apikey') fail('validation', 'Use --api-key-stdin with --auth apikey.');
        if (opts.apiKeyStdin && auth !== 'apikey') fail('validation', '--api-key-stdin goes with --auth apikey.');
        const sessionSecret = opts.sessionSecret === true;
        const services = await ctx.openServices({ sessionSecrets: sessionSecret });
        const existing = services.profiles.find(name);
        if (existing && !opts.replace) fail('validation', `A profile named "${name}" already exists. Use --replace to change it.`);
        const secret = await readSecret(ctx, {
          fromStdin: opts.passwordStdin === true || opts.apiKeyStdin === true,
          prompt: auth === 'apikey' ? 'App API key: ' : 'Password: ',
          flag: auth === 'apikey' ? '--api-key-stdin' : '--password-stdin',
          required: false,
        });
        const view = await services.profiles.save(
          {
            ...(existing ? { id: existing.id } : {}),
            name,
            baseUrl: String(opts.url),
            authMode: auth,
            ...(typeof opts.user === 'string' ? { username: opts.user } : {}),
            ...(typeof opts.loginUrl === 'string' ? { loginUrl: opts.loginUrl } : {}),
            ...(Array.isArray(opts.tokenHeader) ? { tokenHeaders: opts.tokenHeader as string[] } : {}),
            ...(opts.allowHttp === true ? { allowHttp: true } : {}),
          },
          secret,
          {
            howToGiveSecret: (what) =>
              `Run profile add again with --replace and ${auth === 'apikey' ? '--api-key-stdin' : '--password-stdin'} (or on a terminal) to give the ${what}`,
          },
        );
        const lines = [`Saved profile ${describeProfile(view)}`];
        if (view.secretStorage === 'session') {
          lines.push(
            `Warning: ${services.secrets.lastProblem() ?? 'The OS keychain is not available.'} Later commands can take it from ENGAGEMENT_DESK_SECRET.`,
          );
        }
        if (view.secretStorage === 'none') lines.push('No secret stored yet: run profile add again with --replace and the -stdin flag.');
        if (view.insecureTransport) lines.push('Warning: credentials will travel over plain http. Prefer an https URL.');
        setExit(succeed(ctx, json, { profile: profileJson(view) }, lines));
      }),
    );

  profile
    .command('list')
    .description('List profiles')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { json?: boolean }) => {
        const services = await ctx.openServices();
        const views = await services.profiles.list();
        const problem = services.secrets.lastProblem();
        const profiles = views.map((view) => listed(view, problem));
        // On stderr, like every warning: stdout keeps one line per profile.
        if (problem && opts.json !== true && profiles.some((p) => p.secretStorage === 'unknown')) printErr(ctx, `Warning: ${problem}`);
        setExit(succeed(ctx, opts.json === true, { profiles: profiles.map(profileJson), ...(problem ? { keychainProblem: problem } : {}) }, profiles.map((p) => describeProfile(p, problem))));
      }),
    );

  profile
    .command('show')
    .description('Show one profile: server, kind, sign-in and the login URL it uses')
    .argument('<name>', 'profile name')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (name: string, opts: { json?: boolean }) => {
        const services = await ctx.openServices();
        const found = services.profiles.require(name);
        const view = (await services.profiles.list()).find((p) => p.id === found.id);
        if (!view) fail('not-found', `There is no profile "${name}".`);
        setExit(succeed(ctx, opts.json === true, { profile: profileJson(view) }, showProfile(view)));
      }),
    );

  profile
    .command('remove')
    .description('Remove a profile and its keychain entry')
    .argument('<name>', 'profile name')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (name: string, opts: { json?: boolean }) => {
        const services = await ctx.openServices();
        const removed = await services.profiles.remove(name);
        if (!removed) fail('not-found', `There is no profile "${name}".`);
        setExit(succeed(ctx, opts.json === true, { removed: name }, `Removed profile ${inert(name)} and its keychain entry.`));
      }),
    );

  profile
    .command('test')
    .description("Check the server URL and the profile's credentials")
    .argument('<name>', 'profile name')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (name: string, opts: { json?: boolean }) => {
        // ENGAGEMENT_DESK_SECRET, when set, is the secret tested (as every command that uses one profile takes it).
        const services = await ctx.openServicesFor(name);
        const result = await services.profiles.testConnection(name);
        if (result.suggestedBaseUrl !== undefined) {
          // Not connected: the profile's context root is wrong, and the one that answers is offered (exit 4, as a 404).
          const error = { code: 'client-error', message: result.message, httpStatus: 404 };
          if (opts.json === true) ctx.stdout(jsonLine({ ok: false, error, suggestedBaseUrl: result.suggestedBaseUrl }));
          else {
            printErr(ctx, `Error: ${inert(result.message)}`);
            printErr(ctx, `Fix it with: profile add ${inert(name)} --replace --url ${inert(result.suggestedBaseUrl)} (and the profile's other options)`);
          }
          setExit(exitCodeFor('client-error'));
          return;
        }
        setExit(succeed(ctx, opts.json === true, { ...result }, `${inert(result.message)} (${result.latencyMs} ms)`));
      }),
    );
}
