import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newDraft } from '../../../../../../main/core/drafts';
import type { CertUploadDraft } from '../../../../../../preload/contract';
import { ADMIN_ENDPOINT_LABELS } from '../../../../../../main/server/admin-endpoints';
import { ENDPOINT_LABELS } from '../../../../../../main/core/server-url';
import { exportFileName, historyKindLabel, sameContent, sendKindLabel, stableJson, withAutomaticName } from '../../../../../../renderer/src/features/drafts/draft-text';

const cert = (appId: string, name?: string): CertUploadDraft => {
  const draft = newDraft({ id: 'd1', kind: 'cert-upload', ...(name ? { name } : {}) }, '2025-01-01T00:00:00.000Z') as CertUploadDraft;
  return { ...draft, payload: { ...draft.payload, appId } };
};

describe('draft names', () => {
  test('an unnamed draft follows its app ID; a name the user chose is kept', () => {
    assert.equal(withAutomaticName(cert(''), cert('App1')).name, 'Certificate upload for App1');
    const named = cert('App1', 'Production');
    assert.equal(withAutomaticName(named, { ...named, payload: { ...named.payload, appId: 'App2' } }).name, 'Production');
  });
  test('export file names lose characters no file system accepts', () => {
    assert.equal(exportFileName('a/b:c*?'), 'a-b-c-.engdraft'.replace('-.', '.'));
    assert.equal(exportFileName('  '), 'draft.engdraft');
  });
});

describe('conflict comparison', () => {
  test('key order and renames do not count as a content change; a payload change does', () => {
    assert.equal(stableJson({ b: 1, a: { d: 2, c: 3 } }), stableJson({ a: { c: 3, d: 2 }, b: 1 }));
    const a = cert('App1');
    assert.equal(sameContent(a, { ...a, name: 'Renamed', revision: 7 }), true);
    assert.equal(sameContent(a, cert('App2')), false);
  });
});

describe('kinds as the user reads them', () => {
  test('a new pass issued is told apart from an update, in an outbox entry and in a history line (by its endpoint)', () => {
    assert.equal(sendKindLabel('pass-update', true), 'New pass (issue)');
    assert.equal(sendKindLabel('pass-update', undefined), 'Pass update');
    assert.equal(historyKindLabel({ kind: 'pass-update', endpoint: ADMIN_ENDPOINT_LABELS['pass-issue'] }), 'New pass (issue)');
    assert.equal(historyKindLabel({ kind: 'pass-update', endpoint: ENDPOINT_LABELS['pass-update'] }), 'Pass update');
  });
  test('the administrator\'s sends have their own names', () => {
    assert.equal(historyKindLabel({ kind: 'wns-credentials', endpoint: ADMIN_ENDPOINT_LABELS['wns-set'] }), 'WNS credentials');
    assert.equal(historyKindLabel({ kind: 'cert-remove', endpoint: ADMIN_ENDPOINT_LABELS['cert-remove'] }), 'Certificate removal');
  });
});
