/**
 * The local scorer's model file (issue 15): `WDGS`, a little-endian u32 header length, a JSON header,
 * zero padding to a multiple of 4, then one `Int8Array` of `2^bits` weights per head, in header order.
 * Weights are quantised to int8 with a per-head `scale` (weight = int8 × scale), which keeps the file at
 * a few hundred KB; the training script writes it, the scorer reads it once at start-up. A file that does
 * not parse is an error, never an empty model.
 */

import type { ScorerHead, ScorerThresholds } from '../core/index.js';

export type HeadName = ScorerHead;
export const HEAD_NAMES: readonly HeadName[] = ['description', 'response', 'capability'];

export interface HeadHeader {
  name: HeadName;
  bias: number;
  scale: number;
  thresholds: ScorerThresholds;
  /** Whether each line or sentence is also scored on its own (`windowsOf` with `segments`); default false. */
  segments?: boolean;
}

export interface ModelHeader {
  version: 1;
  bits: number;
  windowChars: number;
  heads: HeadHeader[];
  /** What the weights were trained on, for `watchdog` to show; free text. */
  trainedOn?: string;
}

export interface ScorerModel {
  header: ModelHeader;
  weights: ReadonlyMap<HeadName, Int8Array>;
}

const MAGIC = 'WDGS';

export function encodeModel(header: ModelHeader, weights: ReadonlyMap<HeadName, Int8Array>): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil((8 + json.length) / 4) * 4;
  const size = 1 << header.bits;
  const out = Buffer.alloc(padded + size * header.heads.length);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  header.heads.forEach((h, i) => {
    const w = weights.get(h.name);
    if (!w || w.length !== size) throw new Error(`head ${h.name}: expected ${size} weights`);
    Buffer.from(w.buffer, w.byteOffset, w.byteLength).copy(out, padded + i * size);
  });
  return out;
}

function checkHeader(raw: unknown): ModelHeader {
  const h = raw as Partial<ModelHeader> | null;
  if (!h || h.version !== 1) throw new Error('unsupported model version');
  if (!Number.isInteger(h.bits) || (h.bits as number) < 8 || (h.bits as number) > 24) throw new Error('bad bucket bits');
  if (!Number.isInteger(h.windowChars) || (h.windowChars as number) < 16) throw new Error('bad window size');
  if (!Array.isArray(h.heads) || h.heads.length === 0) throw new Error('no heads');
  for (const head of h.heads) {
    if (!HEAD_NAMES.includes(head.name)) throw new Error(`unknown head ${String(head.name)}`);
    const numbers = [head.bias, head.scale, head.thresholds?.flag, head.thresholds?.unsure];
    if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new Error(`head ${head.name}: bad numbers`);
    if (head.segments !== undefined && typeof head.segments !== 'boolean') throw new Error(`head ${head.name}: bad segments flag`);
  }
  return h as ModelHeader;
}

export function decodeModel(buf: Buffer): ScorerModel {
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== MAGIC) throw new Error('not a scorer model (bad magic)');
  const length = buf.readUInt32LE(4);
  if (8 + length > buf.length) throw new Error('truncated header');
  const header = checkHeader(JSON.parse(buf.toString('utf8', 8, 8 + length)));
  const padded = Math.ceil((8 + length) / 4) * 4;
  const size = 1 << header.bits;
  if (buf.length !== padded + size * header.heads.length) throw new Error('weights have the wrong size');
  const weights = new Map<HeadName, Int8Array>();
  header.heads.forEach((h, i) => {
    const copy = new Int8Array(size);
    copy.set(new Int8Array(buf.buffer, buf.byteOffset + padded + i * size, size));
    weights.set(h.name, copy);
  });
  return { header, weights };
}
