/**
 * A line diff for people (issue 10, `watchdog pins diff`: "the diff is shown readably"): the longest
 * common subsequence of the two texts' lines, printed as unchanged (`  `), removed (`- `) and added
 * (`+ `) lines. Definitions are small; texts past 2000 lines are shown whole, removed then added.
 */
const MAX_LINES = 2000;

export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_LINES || b.length > MAX_LINES) return [...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)];
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as Uint16Array;
      row[j] = a[i] === b[j] ? (lcs[i + 1] as Uint16Array)[j + 1]! + 1 : Math.max((lcs[i + 1] as Uint16Array)[j]!, row[j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if ((lcs[i + 1] as Uint16Array)[j]! >= (lcs[i] as Uint16Array)[j + 1]!) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  while (i < a.length) out.push(`- ${a[i++]}`);
  while (j < b.length) out.push(`+ ${b[j++]}`);
  return out;
}
