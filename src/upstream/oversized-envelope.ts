/**
 * What can be recovered cheaply from the two ends of an oversized JSON-RPC line (issue 7, item 2): its
 * top-level `id` and `method`, so the one request it answers can be failed at once instead of waiting
 * for its timeout.
 * Serializers put the envelope members either first (`{"jsonrpc":"2.0","id":7,"result":…}`: Python,
 * Rust, Go) or last (`{"result":…,"jsonrpc":"2.0","id":7}`: the TypeScript SDK), so the head is read
 * forwards and the tail backwards, each only through top-level scalar members, stopping at the first
 * nested value. That never mistakes an `"id"` inside the result for the envelope's.
 */

export interface Envelope {
  id?: string | number;
  method?: string;
}

type Scalar = string | number | boolean | null;

export function recoverEnvelope(head: string, tail: string): Envelope {
  const members = new Map<string, Scalar>([...backwardMembers(tail), ...forwardMembers(head)]);
  const id = members.get('id');
  const method = members.get('method');
  return {
    ...((typeof id === 'number' || typeof id === 'string') && { id }),
    ...(typeof method === 'string' && { method }),
  };
}

const WS = /\s/;
const SCALAR_CHAR = /[-+.0-9a-zA-Z]/;

/** Top-level `"key": scalar` members from the start of an object, up to the first nested value. */
export function forwardMembers(text: string): Array<[string, Scalar]> {
  const out: Array<[string, Scalar]> = [];
  let i = skip(text, 0);
  if (text[i] !== '{') return out;
  for (i = skip(text, i + 1); text[i] === '"'; i = skip(text, i + 1)) {
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) return out;
    const key = decode(text.slice(i, keyEnd + 1));
    i = skip(text, keyEnd + 1);
    if (text[i] !== ':') return out;
    i = skip(text, i + 1);
    let end: number;
    if (text[i] === '"') end = stringEnd(text, i);
    else for (end = i; end < text.length && SCALAR_CHAR.test(text[end] as string); end++);
    if (end === -1 || end === i || end >= text.length) return out; // cut inside the value: it may be incomplete
    const valueEnd = text[i] === '"' ? end + 1 : end;
    const value = decode(text.slice(i, valueEnd));
    if (typeof key !== 'string' || value === undefined) return out;
    out.push([key, value]);
    i = skip(text, valueEnd);
    if (text[i] !== ',') return out;
  }
  return out;
}

/** Top-level `"key": scalar` members from the end of an object, back to the last nested value. */
export function backwardMembers(text: string): Array<[string, Scalar]> {
  const out: Array<[string, Scalar]> = [];
  let i = skipBack(text, text.length - 1);
  if (text[i] !== '}') return out;
  for (i = skipBack(text, i - 1); i >= 0; ) {
    let start: number;
    if (text[i] === '"') start = stringStart(text, i);
    else for (start = i; start >= 0 && SCALAR_CHAR.test(text[start] as string); start--);
    const valueStart = text[i] === '"' ? start : start + 1;
    if (start === -1 || valueStart > i) return out;
    const value = decode(text.slice(valueStart, i + 1));
    i = skipBack(text, valueStart - 1);
    if (text[i] !== ':') return out;
    i = skipBack(text, i - 1);
    if (text[i] !== '"') return out;
    const keyStart = stringStart(text, i);
    if (keyStart === -1) return out;
    const key = decode(text.slice(keyStart, i + 1));
    if (typeof key !== 'string' || value === undefined) return out;
    out.push([key, value]);
    i = skipBack(text, keyStart - 1);
    if (text[i] !== ',') return out;
    i = skipBack(text, i - 1);
  }
  return out;
}

function skip(text: string, i: number): number {
  while (i < text.length && WS.test(text[i] as string)) i++;
  return i;
}

function skipBack(text: string, i: number): number {
  while (i >= 0 && WS.test(text[i] as string)) i--;
  return i;
}

/** Index of the closing quote of the string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Index of the opening quote of the string closing at `close` (a quote after an even run of backslashes), or -1. */
function stringStart(text: string, close: number): number {
  for (let i = close - 1; i >= 0; i--) {
    if (text[i] !== '"') continue;
    let slashes = 0;
    while (i - 1 - slashes >= 0 && text[i - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) return i;
  }
  return -1;
}

function decode(json: string): Scalar | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? (value as Scalar) : undefined;
  } catch {
    return undefined;
  }
}
