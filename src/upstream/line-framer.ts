/**
 * Newline-delimited framing of an upstream's stdout, with a per-line size limit (issue 7, item 2).
 * Contract:
 * - `push` takes raw chunks; every complete line (without its `\n` or a trailing `\r`) goes to
 *   `sink.line`; empty lines are skipped.
 * - A line longer than `maxBytes` is never assembled: once it passes the limit the framer keeps only its
 *   first and last `EDGE_BYTES` and discards everything else up to its newline, then reports it once to
 *   `sink.oversized` with its total size. Nothing after the newline is affected, so the tail of an
 *   oversized line can never be read as a message of its own (issue 7, item 13 on the downstream side).
 * Why not the SDK's ReadBuffer: it throws from `append` once its buffer passes 10 MiB, and that throw
 * escaped the stdout `data` listener and killed the whole gateway.
 * The sink is called after the framer's state is reset, so a throwing sink cannot corrupt framing.
 */

/** How much of each end of an oversized line is kept to recover its `id` (see oversized-envelope.ts). */
export const EDGE_BYTES = 4096;

export interface OversizedLine {
  /** Total size of the line in bytes, without the newline. */
  bytes: number;
  /** The first and last EDGE_BYTES of the line, decoded as UTF-8 (a cut character becomes U+FFFD). */
  head: string;
  tail: string;
}

export interface LineSink {
  line(text: string): void;
  oversized(line: OversizedLine): void;
}

interface Discarding {
  bytes: number;
  head: Buffer;
  tail: Buffer;
}

export class LineFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding?: Discarding;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      if (end > start) this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  }

  /** End of stream: a last line without its newline is delivered too (a dying server's stderr often has one). */
  flush(): void {
    this.endLine();
  }

  private take(piece: Buffer): void {
    if (this.discarding) {
      const { head } = this.discarding;
      if (head.length < EDGE_BYTES) this.discarding.head = Buffer.concat([head, piece.subarray(0, EDGE_BYTES - head.length)]);
      this.discarding.bytes += piece.length;
      this.discarding.tail = lastBytes(this.discarding.tail, piece);
      return;
    }
    if (this.size + piece.length <= this.maxBytes) {
      this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    const all = [...this.parts, piece];
    const head: Buffer[] = [];
    let headSize = 0;
    for (const part of all) {
      if (headSize >= EDGE_BYTES) break;
      head.push(part.subarray(0, EDGE_BYTES - headSize));
      headSize += Math.min(part.length, EDGE_BYTES - headSize);
    }
    const tailParts: Buffer[] = [];
    let tailSize = 0;
    for (let i = all.length - 1; i >= 0 && tailSize < EDGE_BYTES; i--) {
      tailParts.unshift(all[i] as Buffer);
      tailSize += (all[i] as Buffer).length;
    }
    const tail = lastBytes(Buffer.alloc(0), Buffer.concat(tailParts));
    this.discarding = { bytes: this.size + piece.length, head: Buffer.concat(head), tail };
    this.parts = [];
    this.size = 0;
  }

  private endLine(): void {
    const discarded = this.discarding;
    if (discarded) {
      this.discarding = undefined;
      this.sink.oversized({ bytes: discarded.bytes, head: discarded.head.toString('utf8'), tail: discarded.tail.toString('utf8') });
      return;
    }
    if (this.size === 0) return;
    const parts = this.parts;
    const size = this.size;
    this.parts = [];
    this.size = 0;
    const text = (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size)).toString('utf8');
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() !== '') this.sink.line(line);
  }
}

/** The last EDGE_BYTES of `kept` followed by `piece`, copying at most EDGE_BYTES. */
function lastBytes(kept: Buffer, piece: Buffer): Buffer {
  if (piece.length >= EDGE_BYTES) return Buffer.from(piece.subarray(piece.length - EDGE_BYTES));
  const need = EDGE_BYTES - piece.length;
  return Buffer.concat([kept.subarray(Math.max(0, kept.length - need)), piece]);
}
