/**
 * Nesting limit for client messages at the front doors (issue 7, item 12). JSON.parse accepts any
 * depth, but later steps (the SDK's classification and serialisation, JSON.stringify in logs and the
 * event store) recurse and overflow the stack somewhere above ~4,000 levels, which answered HTTP 500.
 * A message nested deeper than MAX_JSON_DEPTH is an invalid request (HTTP 400 / -32600; -32600 on
 * stdio) before any of that runs. The limit is far above any real MCP message and above the field
 * walker's inspection depth (pipeline MAX_DEPTH, 32): messages between the two are inspected and, where
 * the walker has to stop, blocked as `inspection/too-deep`.
 * The walk is iterative, so the check itself cannot overflow.
 */

/** Deepest nesting of arrays and objects accepted from a client (the message itself is level 1). */
export const MAX_JSON_DEPTH = 512;

export const TOO_DEEP_MESSAGE = `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`;

/** Whether `value` nests arrays/objects more than `limit` levels deep. */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop() as number;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child === null || typeof child !== 'object') continue;
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}
