import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  duplicateFieldNames,
  fieldNameFromFileName,
  fieldNameProblem,
  roleOfFieldName,
} from '../../../../../../renderer/src/features/pass/image-fields';

describe('image field names', () => {
  test('default to the role found in the file name, keeping a retina suffix', () => {
    assert.equal(fieldNameFromFileName('logo.png'), 'logo');
    assert.equal(fieldNameFromFileName('logo@2x.png'), 'logo@2x');
    assert.equal(fieldNameFromFileName('Company Strip.PNG'), 'strip');
    assert.equal(fieldNameFromFileName('my-thumbnail_v2.png'), 'thumbnail');
    // "iconic" is not the icon role
    assert.equal(fieldNameFromFileName('iconic.png'), 'iconic');
    assert.equal(fieldNameFromFileName('summer banner (1).png'), 'summer_banner_1');
    assert.equal(fieldNameFromFileName('###.png'), 'image');
  });

  test('know the role behind a field name', () => {
    assert.equal(roleOfFieldName('Footer@3x'), 'footer');
    assert.equal(roleOfFieldName('banner'), undefined);
  });

  test('refuse empty, invalid and reserved names', () => {
    assert.equal(fieldNameProblem('logo'), undefined);
    assert.match(fieldNameProblem(' ') ?? '', /field name/);
    assert.match(fieldNameProblem('my logo') ?? '', /letters, digits/);
    assert.match(fieldNameProblem('pkPass') ?? '', /taken/);
  });

  test('find duplicates after trimming', () => {
    assert.deepEqual([...duplicateFieldNames(['logo', 'icon', ' logo ', '', ''])], ['logo']);
    assert.equal(duplicateFieldNames(['logo', 'Logo']).size, 0);
  });
});
