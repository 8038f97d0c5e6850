/**
 * The maximal runs of at least `min` characters of one ASCII class in a text (issue 9, "Fast"): the
 * base64 runs an argument's decoding looks at and the token runs opaque ids are looked for in. Prose has
 * neither, so the scan skips: a run of `min` must cover the character `min - 1` ahead, which is read
 * first, and the scan goes back from it only while the characters belong; the first that does not moves
 * the window past it. A 4 KB argument of prose costs about one read in four characters instead of a read
 * of each.
 */

/** Per ASCII code, 1 for a member of the class; anything outside ASCII never is. */
export type AsciiClass = Uint8Array;

export function asciiClass(member: (c: number) => boolean): AsciiClass {
  return Uint8Array.from({ length: 128 }, (_, c) => (member(c) ? 1 : 0));
}

function inClass(text: string, i: number, members: AsciiClass): boolean {
  const c = text.charCodeAt(i);
  return c < 0x80 && members[c] === 1;
}

/** Calls `visit(start, end)` for each maximal run of members of `min` characters or more, in order. */
export function forEachLongRun(text: string, min: number, members: AsciiClass, visit: (start: number, end: number) => void): void {
  const n = text.length;
  // Invariant: `start` is 0 or follows a character that is not a member.
  let start = 0;
  while (start + min <= n) {
    let j = start + min - 1;
    while (j >= start && inClass(text, j, members)) j--;
    if (j >= start) {
      start = j + 1;
      continue;
    }
    let end = start + min;
    while (end < n && inClass(text, end, members)) end++;
    visit(start, end);
    start = end + 1;
  }
}
