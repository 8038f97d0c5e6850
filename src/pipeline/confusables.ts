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

/** Words that mix Latin letters with Cyrillic/Greek look-alikes: the signature of a homoglyph attack. */
export function countMixedScriptWords(raw: string): number {
  let count = 0;
  for (const m of raw.matchAll(/[\p{L}]{2,40}/gu)) {
    const word = m[0];
    if (/[A-Za-z]/.test(word) && CONFUSABLE.test(word)) count++;
    CONFUSABLE.lastIndex = 0;
  }
  return count;
}
