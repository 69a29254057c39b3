import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeDnValue } from '../../src/ldap/escape-dn-value.ts';
import { escapeFilterValue } from '../../src/ldap/escape-filter-value.ts';
import { formatDn, isWithin, normalizeDn, parentDn, parseDn } from '../../src/ldap/parse-dn.ts';

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['plain', 'plain'],
    ["O'Brien, Jr+x", "O'Brien\\2C Jr\\2Bx"],
    ['a"b<c>d;e=f\\g', 'a\\22b\\3Cc\\3Ed\\3Be\\3Df\\5Cg'],
    [' leading and trailing ', '\\20leading and trailing\\20'],
    ['#hash', '\\23hash'],
    ['in#side', 'in#side'],
    ['nul\0', 'nul\\00'],
    ['Émile', 'Émile'],
    ['日本', '日本'],
    ['', ''],
    [' ', '\\20'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('round-trips any value through parseDn', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const parsed = parseDn(`cn=${escapeDnValue(value)},dc=example`);
        expect(parsed?.[0]).toEqual([{ type: 'cn', value }]);
      }),
    );
  });
});

describe('escapeFilterValue (RFC 4515)', () => {
  it.each([
    ['plain', 'plain'],
    ['star*', 'star\\2a'],
    ['(paren)', '\\28paren\\29'],
    ['back\\slash', 'back\\5cslash'],
    ['nul\0', 'nul\\00'],
    ['Émile', 'Émile'],
    ["uid=O'Brien\\2C Jr,dc=x", "uid=O'Brien\\5c2C Jr,dc=x"],
  ])('%j → %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });
});

describe('parseDn', () => {
  it('splits RDNs and multi-valued RDNs and unescapes values', () => {
    expect(parseDn("cn=O'Brien\\, Jr\\2Bx+sn=Smith,ou=people,dc=example")).toEqual([
      [
        { type: 'cn', value: "O'Brien, Jr+x" },
        { type: 'sn', value: 'Smith' },
      ],
      [{ type: 'ou', value: 'people' }],
      [{ type: 'dc', value: 'example' }],
    ]);
  });

  it('decodes UTF-8 hex escapes and keeps raw UTF-8', () => {
    expect(parseDn('uid=\\C3\\89mile,dc=x')?.[0]).toEqual([{ type: 'uid', value: 'Émile' }]);
    expect(parseDn('uid=Émile,dc=x')?.[0]).toEqual([{ type: 'uid', value: 'Émile' }]);
  });

  it('accepts spaces around separators and drops unescaped trailing spaces', () => {
    expect(formatDn(parseDn('cn = a b , ou=x ;dc=y')!)).toBe('cn=a b,ou=x,dc=y');
    expect(parseDn('cn=a\\20,dc=y')?.[0]).toEqual([{ type: 'cn', value: 'a ' }]);
  });

  it('keeps #hex (BER) values as they are', () => {
    expect(parseDn('1.3.6.1.4.1.1466.0=#04024869,dc=x')?.[0]).toEqual([
      { type: '1.3.6.1.4.1.1466.0', value: '#04024869', ber: true },
    ]);
    expect(formatDn(parseDn('1.3.6.1.4.1.1466.0=#04024869,dc=x')!)).toBe('1.3.6.1.4.1.1466.0=#04024869,dc=x');
  });

  it('returns [] for the root DN and null for text that is not a DN', () => {
    expect(parseDn('')).toEqual([]);
    for (const bad of ['jdoe', 'cn=a,', '=a', 'cn=a"b', 'cn=a\\zz', 'cn=a,,dc=x', 'cn=a+']) {
      expect(parseDn(bad), bad).toBeNull();
    }
  });
});

describe('normalizeDn and friends', () => {
  it('compares DNs the way directories do', () => {
    expect(normalizeDn('UID=Bob ,OU=People, dc=Example')).toBe(normalizeDn('uid=bob,ou=people,dc=example'));
    expect(normalizeDn('cn=a\\,b,dc=x')).toBe(normalizeDn('cn=a\\2Cb,dc=x'));
    expect(normalizeDn('sn=x+cn=y,dc=x')).toBe(normalizeDn('cn=y+sn=x,dc=x'));
    expect(normalizeDn('cn=a,dc=x')).not.toBe(normalizeDn('cn=b,dc=x'));
  });

  it('finds parents and containment', () => {
    expect(parentDn('uid=bob,ou=people,dc=example')).toBe('ou=people,dc=example');
    expect(isWithin('uid=bob,OU=People,dc=example', 'ou=people,dc=example')).toBe(true);
    expect(isWithin('uid=bob,ou=people2,dc=example', 'ou=people,dc=example')).toBe(false);
    expect(isWithin('ou=people,dc=example', 'ou=people,dc=example')).toBe(true);
  });
});
