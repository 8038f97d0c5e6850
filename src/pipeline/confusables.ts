/**
 * Folds Cyrillic and Greek letters that look like Latin ones onto Latin, so "Ignоrе" (with Cyrillic о, е)
 * matches "Ignore". Runs after NFKC, which already folds fullwidth and mathematical alphanumerics.
 * The table is the small set of visually identical letters (Unicode confusables, single-script subset);
 * folding genuine Russian or Greek text yields Latin-looking noise that no English pattern matches.
 */

const PAIRS =
  'аaбbвBгrеeёeкkмMнHоoрpсcтTуyхxіiїiјjѕsԁdһhԛqԝwѵvАAВBЕEЁEЗ3ІIЈJКKМMНHОOРPСCТTУYХXЅSԌG' +
  'αaβBγyεeιiκkνvοoρpτtυuχxϲcϳjΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXϹC';

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  const chars = [...PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) table.set(chars[i] ?? '', chars[i + 1] ?? '');
  return table;
}

const TABLE: ReadonlyMap<string, string> = buildTable();
const CONFUSABLE = new RegExp(`[${[...TABLE.keys()].join('')}]`, 'gu');

export function foldConfusables(text: string): string {
  return text.replace(CONFUSABLE, (ch) => TABLE.get(ch) ?? ch);
}

const LETTER = /\p{L}/u;
const GREEK_OR_CYRILLIC = /[\u0370-\u052F]/g;
const LATIN = /[A-Za-z]/;
const MAX_WORD = 40;

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && LETTER.test(ch);
}

/**
 * Words that mix Latin letters with Cyrillic/Greek look-alikes: the signature of a homoglyph attack. A word
 * is a run of letters (at most 40 are looked at on each side); only the words around a look-alike letter are
 * examined, so genuine Latin text costs one scan for look-alikes (issue 12, Speed: walking every word of a
 * 1 MiB text cost ~10 ms).
 */
export function countMixedScriptWords(raw: string): number {
  let count = 0;
  let wordEnd = -1;
  // Every look-alike is a BMP Greek or Cyrillic letter: a plain (non-unicode) class finds them fastest.
  for (const m of raw.matchAll(GREEK_OR_CYRILLIC)) {
    if (m.index < wordEnd || !TABLE.has(m[0])) continue;
    let start = m.index;
    while (start > 0 && m.index - start < MAX_WORD && isLetter(raw[start - 1])) start--;
    let end = m.index + 1;
    while (end < raw.length && end - m.index < MAX_WORD && isLetter(raw[end])) end++;
    wordEnd = end;
    if (end - start >= 2 && LATIN.test(raw.slice(start, end))) count++;
  }
  return count;
}
