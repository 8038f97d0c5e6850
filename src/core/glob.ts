/**
 * Glob matching for policy keys (rule ids like `secrets/*`, tool names like `shell__*`): `*` matches any
 * run of characters, `?` one character, everything else is literal. Linear: compiled to an anchored
 * regular expression without nested quantifiers.
 */

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function globMatches(glob: string, value: string): boolean {
  return glob === value || (/[*?]/.test(glob) && globToRegExp(glob).test(value));
}
