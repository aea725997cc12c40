import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR_CODES, type Draft, type DraftFile, type HistoryRecord } from '../../../../preload/contract';
import { toAppError } from '../../../../main/core/errors';
import {
  bundleProblems,
  classifySendFailure,
  csvCell,
  draftReadiness,
  draftSecret,
  draftSummary,
  historyToCsv,
  matchesDraftQuery,
  matchesHistoryFilter,
  newDraft,
  normalizeDraft,
  parseDraftJson,
  redactSecrets,
  type BundleManifest,
} from '../../../../main/core/drafts';
import { defaultPassContent } from '../../../../main/core/pass-content';

const NOW = '2025-03-01T10:00:00.000Z';

function file(name: string, fill = 'a'): DraftFile {
  return { sha256: fill.repeat(64), size: 10, name, originalPath: `/tmp/${name}`, originalMtimeMs: 1, addedAt: NOW };
}

function validPassDraft(): Draft {
  const content = defaultPassContent();
  content.recipients.recipient = [{ id: 'user-1' }];
  return {
    ...newDraft({ id: 'p1', kind: 'pass-update', profileId: 'prof' }, NOW),
    kind: 'pass-update',
    payload: { pkPass: file('boarding.pkpass', 'b'), images: [{ fieldName: 'logo', file: file('logo.png', 'c') }], passContent: content },
  } as Draft;
}

describe('draftReadiness', () => {
  test('a new certificate draft lists everything missing', () => {
    const draft = newDraft({ id: 'c1', kind: 'cert-upload' }, NOW);
    const readiness = draftReadiness(draft, { hasPassphrase: false });
    assert.equal(readiness.ready, false);
    assert.equal(readiness.problems.length, 3);
    assert.match(readiness.problems.join(' '), /profile/);
    assert.match(readiness.problems.join(' '), /application ID/);
    assert.match(readiness.problems.join(' '), /certificate/);
    // Not remembering the passphrase is not a problem: it is asked at send time.
    assert.equal(readiness.needsPassphrase, true);
  });

  test('a complete certificate draft is ready; a remembered passphrase missing from the keychain is a problem', () => {
    const base = newDraft({ id: 'c2', kind: 'cert-upload', profileId: 'prof', appId: 'App1' }, NOW);
    assert.equal(base.kind, 'cert-upload');
    const complete = { ...base, payload: { appId: 'App1', cert: file('push.p12'), rememberPassphrase: true } } as Draft;
    assert.deepEqual(draftReadiness(complete, { hasPassphrase: true }), { ready: true, problems: [], needsPassphrase: false });
    const lost = draftReadiness(complete, { hasPassphrase: false });
    assert.equal(lost.ready, false);
    assert.match(lost.problems[0] ?? '', /keychain/);
    assert.equal(draftReadiness(complete, { hasPassphrase: true, profileExists: false }).ready, false);
  });

  test('pass drafts use the passContent checks and image field-name rules', () => {
    assert.deepEqual(draftReadiness(validPassDraft(), { hasPassphrase: false }).problems, []);
    const bad = validPassDraft();
    assert.equal(bad.kind, 'pass-update');
    if (bad.kind !== 'pass-update') return;
    bad.payload.images.push({ fieldName: 'logo', file: file('logo2.png', 'd') }, { fieldName: 'bad name!', file: file('x.png', 'e') });
    bad.payload.passContent = { recipients: { recipient: [] } };
    const problems = draftReadiness(bad, { hasPassphrase: false }).problems;
    assert.ok(problems.some((p) => /used twice/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /Image 3/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /passContent/.test(p)), problems.join('\n'));
  });
});

describe('WNS credentials and removal drafts (issue #17)', () => {
  const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
  test('a WNS draft checks the app ID and the Package SID; its client secret is asked like a passphrase, never held', () => {
    const draft = newDraft({ id: 'w1', kind: 'wns-credentials', profileId: 'p1', appId: 'App1' }, '2025-01-01T00:00:00.000Z');
    assert.equal(draft.name, 'WNS credentials for App1');
    assert.deepEqual(draft.payload, { appId: 'App1', packageSid: '', rememberSecret: false });
    assert.deepEqual(draftSecret(draft), { what: 'client secret', remembered: false });
    let readiness = draftReadiness(draft, { hasPassphrase: false });
    assert.equal(readiness.needsPassphrase, true);
    assert.deepEqual(readiness.problems, ["Enter the Package SID (ms-app://s-1-15-2-…) from the app's page in Microsoft Partner Center."]);
    const ready = { ...draft, payload: { appId: 'App1', packageSid: SID, rememberSecret: true } } as Draft;
    assert.equal(draftReadiness(ready, { hasPassphrase: true }).ready, true);
    readiness = draftReadiness(ready, { hasPassphrase: false });
    assert.deepEqual(readiness.problems, ['The remembered client secret is not in the keychain any more: enter it again.']);
    const badApp = { ...ready, payload: { appId: 'a/b', packageSid: SID, rememberSecret: false } } as Draft;
    assert.ok(draftReadiness(badApp, { hasPassphrase: true }).problems.some((p) => /application ID "a\/b"/.test(p)));
  });
  test('a removal draft backs up by default, needs no secret, holds no files, and keeps its app ID in the list', () => {
    const draft = newDraft({ id: 'r1', kind: 'cert-remove', profileId: 'p1', appId: 'App1' }, '2025-01-01T00:00:00.000Z');
    assert.deepEqual(draft.payload, { appId: 'App1', backup: true });
    assert.equal(draftSecret(draft), undefined);
    assert.deepEqual(draftReadiness(draft, { hasPassphrase: false }), { ready: true, problems: [], needsPassphrase: false });
    const moved = normalizeDraft({ ...draft, payload: { appId: ' App2 ', backup: false } } as Draft);
    assert.equal(moved.appId, 'App2');
    assert.deepEqual(draftSummary(draft).fileNames, []);
    assert.equal(parseDraftJson(JSON.stringify(draft)).kind, 'cert-remove');
  });
});

describe('draft (de)serialisation and summaries', () => {
  test('parseDraftJson round-trips and refuses damage with a reason', () => {
    const draft = validPassDraft();
    assert.deepEqual(parseDraftJson(JSON.stringify(draft)), draft);
    assert.throws(() => parseDraftJson('{"id":'), /Not valid JSON/);
    assert.throws(() => parseDraftJson(JSON.stringify({ ...draft, kind: 'other' })), /Not a valid draft/);
    assert.throws(() => parseDraftJson(JSON.stringify({ ...draft, id: '../escape' })), /Not a valid draft/);
  });

  test('normalizeDraft keeps the list-level app id in step with the certificate payload', () => {
    const draft = { ...newDraft({ id: 'c3', kind: 'cert-upload', appId: 'Old' }, NOW), payload: { appId: ' New ', rememberPassphrase: false } } as Draft;
    assert.equal(normalizeDraft(draft).appId, 'New');
    const cleared = { ...draft, payload: { appId: '', rememberPassphrase: false } } as Draft;
    assert.equal('appId' in normalizeDraft(cleared), false);
  });

  test('summary and search cover name, app, profile name and file names', () => {
    const summary = draftSummary(validPassDraft());
    assert.deepEqual(summary.fileNames, ['boarding.pkpass', 'logo.png']);
    assert.equal(summary.ready, true);
    const names = new Map([['prof', 'Production EU']]);
    assert.equal(matchesDraftQuery(summary, 'production', names), true);
    assert.equal(matchesDraftQuery(summary, 'BOARDING', names), true);
    assert.equal(matchesDraftQuery(summary, 'nothing-like-it', names), false);
    assert.equal(matchesDraftQuery(summary, '  ', names), true);
  });
});

describe('history', () => {
  const record: HistoryRecord = {
    id: 'h1',
    at: '2025-03-01T10:00:00.000Z',
    kind: 'pass-update',
    source: 'app',
    profileId: 'prof',
    profileName: 'Prod',
    endpoint: 'POST /api/v1/message/pass/import/update',
    files: [
      { role: 'pkPass', name: '=HYPERLINK("x")', sha256: 'b'.repeat(64), size: 5 },
      { role: 'image:logo', name: 'logo, "big".png', sha256: 'c'.repeat(64), size: 7 },
    ],
    status: 'sent',
    serverMessage: '+cmd|calc\nsecond line',
    requestId: '2318508739642895844',
    durationMs: 42,
  };

  test('CSV quotes per RFC 4180 and defuses formula-looking cells', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('-2'), "'-2");
    assert.equal(csvCell(-2), '-2', 'numbers we wrote ourselves stay numbers');
    const csv = historyToCsv([record]);
    const lines = csv.split('\r\n');
    assert.match(lines[0] ?? '', /^time,status,kind,profile,endpoint/);
    assert.ok(csv.includes(`"'=HYPERLINK(""x""); logo, ""big"".png"`), csv);
    assert.ok(csv.includes(`"'+cmd|calc\nsecond line"`), csv);
    assert.ok(csv.includes(',2318508739642895844,'), 'the 64-bit id stays a string, digit for digit');
    assert.ok(csv.endsWith('\r\n'));
  });

  test('filters by profile name or id, status, text and date range', () => {
    assert.equal(matchesHistoryFilter(record, { profile: 'prod' }), true);
    assert.equal(matchesHistoryFilter(record, { profile: 'PROF' }), true);
    assert.equal(matchesHistoryFilter(record, { profile: 'other' }), false);
    assert.equal(matchesHistoryFilter(record, { status: 'failed' }), false);
    assert.equal(matchesHistoryFilter(record, { text: '231850873964' }), true);
    assert.equal(matchesHistoryFilter(record, { from: '2025-03-01', to: '2025-03-01' }), true);
    assert.equal(matchesHistoryFilter(record, { from: '2025-03-02' }), false);
    assert.equal(matchesHistoryFilter(record, { kind: 'cert-upload' }), false);
  });

  test('redaction replaces any value under a secret-looking key, however deep', () => {
    const redacted = redactSecrets({ a: 1, passphrase: 'x', nested: [{ apiKey: 'k', Authorization: 'Basic y', fine: 'ok' }], mpnsCertPassPhrase: 'p' });
    assert.deepEqual(redacted, { a: 1, passphrase: '[redacted]', nested: [{ apiKey: '[redacted]', Authorization: '[redacted]', fine: 'ok' }], mpnsCertPassPhrase: '[redacted]' });
  });
});

describe('classifySendFailure (the resend rule)', () => {
  /** What the client throws for an OS or undici error code, as toAppError maps it (the reason comes from there). */
  const thrown = (code: string) => toAppError(Object.assign(new Error(`failed with ${code}`), { code }), { host: 'engage.example.com' });

  test('errors before any connection are "not sent" and retryable', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']) {
      const error = thrown(code);
      assert.equal(error.reason, 'connect-failed', code);
      assert.equal(classifySendFailure(error, false), 'not-sent', code);
    }
    assert.equal(classifySendFailure(thrown('UND_ERR_CONNECT_TIMEOUT'), false), 'not-sent');
    assert.equal(classifySendFailure(thrown('UND_ERR_CONNECT_TIMEOUT'), true), 'not-sent');
    assert.equal(classifySendFailure(thrown('ETIMEDOUT'), false), 'not-sent');
  });

  test('a drop or timeout after the request went out is "outcome unknown"', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNABORTED']) {
      const error = thrown(code);
      assert.equal(error.code, 'network', code);
      assert.equal(error.reason, undefined, code);
      assert.equal(classifySendFailure(error, true), 'outcome-unknown', code);
    }
    assert.equal(classifySendFailure({ code: 'network' }, true), 'outcome-unknown');
    assert.equal(classifySendFailure({ code: 'network', reason: 'interrupted' }, false), 'outcome-unknown');
    assert.equal(classifySendFailure(thrown('UND_ERR_HEADERS_TIMEOUT'), true), 'outcome-unknown');
    assert.equal(classifySendFailure(thrown('UND_ERR_BODY_TIMEOUT'), true), 'outcome-unknown');
    assert.equal(classifySendFailure(thrown('ETIMEDOUT'), true), 'outcome-unknown');
    assert.equal(classifySendFailure({ code: 'cancelled' }, true), 'outcome-unknown');
    assert.equal(classifySendFailure({ code: 'unexpected-response' }, true), 'outcome-unknown');
  });

  test('answers from the server and local problems are plain failures', () => {
    for (const code of ['auth-missing', 'auth-rejected', 'bad-request', 'client-error', 'server-error', 'tls', 'validation', 'file', 'keychain-unavailable', 'not-found', 'internal'] as const) {
      assert.equal(classifySendFailure({ code }, true), 'failed', code);
    }
    assert.equal(classifySendFailure({ code: 'validation', reason: 'passphrase-needed' }, false), 'failed');
    assert.equal(classifySendFailure({ code: 'cancelled' }, false), 'failed');
  });

  test('every error code has a verdict (a code outside the type is a bug, not a silent failure)', () => {
    for (const code of ERROR_CODES) assert.ok(['not-sent', 'outcome-unknown', 'failed'].includes(classifySendFailure({ code }, true)), code);
    assert.throws(() => classifySendFailure({ code: 'gone' as never }, true), /Unexpected error code: "gone"/);
  });
});

describe('bundleProblems', () => {
  test('every draft file must be listed with its size, and paths must match hashes', () => {
    const draft = validPassDraft();
    const manifest: BundleManifest = {
      format: 'engagement-desk-draft',
      version: 1,
      exportedAt: NOW,
      draft: { path: 'draft.json', sha256: 'f'.repeat(64), size: 1 },
      blobs: [
        { path: `blobs/${'b'.repeat(64)}`, sha256: 'b'.repeat(64), size: 10 },
        { path: `blobs/${'d'.repeat(64)}`, sha256: 'c'.repeat(64), size: 10 },
      ],
    };
    const problems = bundleProblems(draft, manifest);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /does not match its hash/);
    manifest.blobs[1] = { path: `blobs/${'c'.repeat(64)}`, sha256: 'c'.repeat(64), size: 11 };
    assert.match(bundleProblems(draft, manifest)[0] ?? '', /wrong size/);
    manifest.blobs.pop();
    assert.match(bundleProblems(draft, manifest)[0] ?? '', /missing/);
  });
});
