/**
 * One way to write a path into a JSON value or a config document (issue 8 item 10): `upstreams[1].name`
 * from `['upstreams', 1, 'name']`. Identifier keys are dotted, numbers are indexes, any other key is
 * quoted (`tools[0]["x-y"]`), so a path never reads ambiguously. The pipeline names fields with it, the
 * config loader names mistakes with it.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
