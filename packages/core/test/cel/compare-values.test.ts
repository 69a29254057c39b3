import { describe, expect, it } from 'vitest';
import { approximateKey, valuesEqual } from '../../src/cel/compare-values.ts';

describe('valuesEqual', () => {
  it('case_sensitive', () => {
    expect(valuesEqual('Dupont', 'Dupont', 'case_sensitive')).toBe(true);
    expect(valuesEqual('Dupont', 'dupont', 'case_sensitive')).toBe(false);
  });

  it('ignore_case', () => {
    expect(valuesEqual('Dupont', 'DUPONT', 'ignore_case')).toBe(true);
    expect(valuesEqual('Dupont', 'Dupond', 'ignore_case')).toBe(false);
    expect(valuesEqual('Élodie', 'élodie', 'ignore_case')).toBe(true);
  });

  it('ignore_diacritics keeps case', () => {
    expect(valuesEqual('Élodie', 'Elodie', 'ignore_diacritics')).toBe(true);
    expect(valuesEqual('Élodie', 'elodie', 'ignore_diacritics')).toBe(false);
  });

  it('simplified ignores diacritics, case and non-letters', () => {
    expect(valuesEqual("Jean-Éric O'Brien", 'jeanericobrien', 'simplified')).toBe(true);
    expect(valuesEqual('Jean-Eric', 'Jean-Erik', 'simplified')).toBe(false);
  });

  it('approximate applies the phonetic equivalences', () => {
    expect(valuesEqual('Zoe', 'Soe', 'approximate')).toBe(true); // Z/S
    expect(valuesEqual('Yvan', 'Ivan', 'approximate')).toBe(true); // Y/I
    expect(valuesEqual('Walter', 'Valter', 'approximate')).toBe(true); // W/V
    expect(valuesEqual('Karl', 'Carl', 'approximate')).toBe(true); // K/C
    expect(valuesEqual('Grosse', 'Groce', 'approximate')).toBe(true); // SS/C
    expect(valuesEqual('Thomas', 'Tomas', 'approximate')).toBe(true); // optional H
    expect(valuesEqual('Dupont', 'Dupon', 'approximate')).toBe(true); // optional trailing T
    expect(valuesEqual('Bernard', 'Bernar', 'approximate')).toBe(true); // optional trailing D
    expect(valuesEqual('Anne', 'Ane', 'approximate')).toBe(true); // doubled letters
    expect(valuesEqual('Dupont', 'Durand', 'approximate')).toBe(false);
    expect(valuesEqual('Martin', 'Marten', 'approximate')).toBe(false);
  });

  it('keeps SS distinct from a single S', () => {
    expect(approximateKey('Rossi')).not.toBe(approximateKey('Rosi'));
  });

  it('compares non-strings strictly', () => {
    expect(valuesEqual(1, 1, 'simplified')).toBe(true);
    expect(valuesEqual(1, '1', 'simplified')).toBe(false);
    expect(valuesEqual(null, '', 'approximate')).toBe(false);
    expect(valuesEqual(null, null, 'case_sensitive')).toBe(true);
  });
});
