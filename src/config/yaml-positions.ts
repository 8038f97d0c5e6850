/**
 * Maps a JS path (as zod reports it) back to a place in the YAML source. The parsed `Document` keeps
 * every node's source range; a `LineCounter` turns offsets into 1-based line/column. When a path
 * points at something absent from the file (a missing required key), the nearest node that exists is
 * used, so every problem still gets a line.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/** Turns a source offset into a 1-based position (yaml reports line 0 before the first newline). */
export function offsetToPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(line, 1), column: Math.max(col, 1) };
}

function resolve(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) ?? undefined;
  return (node ?? undefined) as Node | undefined;
}

function pairFor(node: Node, key: PropertyKey): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key)) as Pair | undefined;
}

function child(doc: Document, node: Node, key: PropertyKey): Node | undefined {
  if (isSeq(node) && typeof key === 'number') return resolve(doc, node.items[key]);
  const pair = pairFor(node, key);
  return pair ? resolve(doc, pair.value) : undefined;
}

/** The deepest node along `path` that exists in the document. */
function deepestNode(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  let node = resolve(doc, doc.contents);
  for (const key of path) {
    if (!node) break;
    const next = child(doc, node, key);
    if (!next) break;
    node = next;
  }
  return node;
}

function startOf(node: Node | undefined): number {
  return node?.range?.[0] ?? 0;
}

/** Where the value at `path` (or its nearest existing ancestor) starts. */
export function positionOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): Position {
  return offsetToPosition(lineCounter, startOf(deepestNode(doc, path)));
}

/**
 * Where the key `key` of the mapping at `mapPath` is written; used for unknown keys, so the line points
 * at the misspelt key rather than at its value.
 */
export function positionOfKey(doc: Document, lineCounter: LineCounter, mapPath: readonly PropertyKey[], key: string): Position {
  const map = deepestNode(doc, mapPath);
  const pair = map ? pairFor(map, key) : undefined;
  const keyNode = pair && isScalar(pair.key) ? pair.key : map;
  return offsetToPosition(lineCounter, startOf(keyNode));
}
