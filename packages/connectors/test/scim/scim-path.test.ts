import { describe, expect, it } from 'vitest';
import { equalityFilter, parseScimPath, readScimPath, type ScimPath, writeScimPath } from '../../src/scim/scim-path.ts';

const path = (text: string): ScimPath => {
  const parsed = parseScimPath(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM attribute paths', () => {
  it('parses plain, sub-attribute, filtered and extension paths', () => {
    expect(path('userName')).toMatchObject({ schema: null, attribute: 'userName', filter: [], subAttribute: null });
    expect(path('name.familyName')).toMatchObject({ attribute: 'name', subAttribute: 'familyName' });
    expect(path('emails[type eq "work" and primary eq true].value')).toMatchObject({
      attribute: 'emails',
      filter: [
        { attribute: 'type', value: 'work' },
        { attribute: 'primary', value: true },
      ],
      subAttribute: 'value',
    });
    expect(path(`${enterprise}:manager.value`)).toMatchObject({
      schema: enterprise,
      attribute: 'manager',
      subAttribute: 'value',
    });
    expect(path('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toMatchObject({
      schema: null,
      attribute: 'userName',
    });
    expect(path('emails[value eq "a:b and c"].type').filter).toEqual([{ attribute: 'value', value: 'a:b and c' }]);
  });

  it('refuses what does not map to one scalar', () => {
    expect(parseScimPath('emails[type gt "a"].value')).toMatch(/only "sub eq value"/);
    expect(parseScimPath('name..givenName')).toMatch(/is not a SCIM attribute path/);
    expect(parseScimPath('a.b.c')).toMatch(/is not a SCIM attribute path/);
  });

  it('reads values case-insensitively, selecting elements by filter or primary', () => {
    const user = {
      UserName: 'ada',
      name: { givenName: 'Ada' },
      emails: [
        { value: 'home@example.org', type: 'home' },
        { value: 'work@example.org', type: 'Work', primary: true },
      ],
      [enterprise]: { employeeNumber: '42', manager: { value: 'm1' } },
      groups: [{ value: 'g1' }],
    };
    expect(readScimPath(user, path('userName'))).toBe('ada');
    expect(readScimPath(user, path('name.givenName'))).toBe('Ada');
    expect(readScimPath(user, path('name.familyName'))).toBeNull();
    expect(readScimPath(user, path('emails[type eq "work"].value'))).toBe('work@example.org');
    expect(readScimPath(user, path('emails[primary eq true].value'))).toBe('work@example.org');
    expect(readScimPath(user, path('emails[type eq "other"].value'))).toBeNull();
    expect(readScimPath(user, path('emails.value'))).toBe('work@example.org');
    expect(readScimPath(user, path(`${enterprise}:employeeNumber`))).toBe('42');
    expect(readScimPath(user, path(`${enterprise}:manager.value`))).toBe('m1');
    expect(readScimPath(user, path('name'))).toEqual({ notScalar: true });
  });

  it('builds creation bodies, adding the extension schema and filtered elements', () => {
    const body: Record<string, unknown> = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] };
    writeScimPath(body, path('name.givenName'), 'Ada');
    writeScimPath(body, path('emails[primary eq true].value'), 'ada@example.org', { type: 'work' });
    writeScimPath(body, path('emails[type eq "home"].value'), 'home@example.org');
    writeScimPath(body, path(`${enterprise}:employeeNumber`), '42');
    writeScimPath(body, path('active'), false);
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
      name: { givenName: 'Ada' },
      emails: [
        { type: 'work', primary: true, value: 'ada@example.org' },
        { type: 'home', value: 'home@example.org' },
      ],
      [enterprise]: { employeeNumber: '42' },
      active: false,
    });
  });

  it('quotes filter values as JSON strings, escaping quotes and backslashes', () => {
    expect(equalityFilter('userName', 'o"brien\\x-名前')).toBe('userName eq "o\\"brien\\\\x-名前"');
  });
});
