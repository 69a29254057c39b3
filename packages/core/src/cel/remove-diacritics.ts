/**
 * Letters that Unicode decomposition (NFD) does not split into base letter + accent, mapped to
 * their usual Latin transliteration, so `Straße` → `Strasse` and `Øystein` → `Oystein`.
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};

const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const COMBINING_MARKS = /\p{M}/gu;

/** Removes accents and transliterates special Latin letters: `Éloïse Straße` → `Eloise Strasse`. */
export function removeDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL_PATTERN, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/**
 * Usercube's "Simplified" form: no diacritics, lower case, only letters and digits.
 * `Jean-Éric O'Brien` → `jeanericobrien`.
 */
export function simplify(text: string): string {
  let simple = simplified.get(text);
  if (simple === undefined) {
    simple = removeDiacritics(text).toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
    if (simplified.size >= SIMPLIFIED_MAX) simplified.clear();
    simplified.set(text, simple);
  }
  return simple;
}

/*
 * The same names are simplified many times (the login and the mail of each account of a person,
 * and common first names across people); Unicode normalization is the costly part. Bounded, so
 * that a long run does not keep every name ever seen.
 */
const SIMPLIFIED_MAX = 4096;
const simplified = new Map<string, string>();
