/**
 * Detector `instruction-blocks`: a block wrapped in a tag that addresses the model — `<IMPORTANT>…</IMPORTANT>`,
 * `<system_prompt>`, `<note_to_ai>` — found in the raw text with the span a `strip` action removes (issue 12,
 * SMAC-5). It runs right after hidden-content and before model-instructions, so in a result the default
 * policy strips the block and the detectors after it read what is left; in a listing the finding is high
 * and the item is withheld, as the tag-wrapper rule of model-instructions already did.
 *
 * Tags that data also uses (`<system>`, `<instructions>` in a recipe, `<priority>` in a sitemap, `<admin>`)
 * only count when the block's text reads as instructions to an agent (hidden-signals.ts); the tags that
 * only a prompt uses count when the block holds three words or more. Blocks are bounded (20 000 characters
 * to the closing tag; an unclosed tag runs to the end of its paragraph, at most 4 000), so matching stays
 * linear on 1 MiB results.
 */
import type { Field, LocalDetector, RawFinding, Span } from '../pipeline/types.js';
import { normalise } from '../pipeline/normalise.js';
import { scoreHidden } from './hidden/hidden-signals.js';

const QUALIFIED = '(?:system|assistant|ai|agent|llm|model)[_ -]?(?:prompt|message|instructions?|note|override|directive)';
const STRONG_NAMES = `important|${QUALIFIED}|note[_ -]to[_ -](?:ai|assistant|model|agent|llm|claude|gpt)|directive|mandatory|override|(?:hidden|secret|critical|admin)[_ -]?(?:instructions?|override|note)`;
const WEAK_NAMES = 'system|instructions?|information|admin|critical|priority|secret|hidden|urgent|assistant|note';
const OPENING = new RegExp(`<\\s{0,3}(${STRONG_NAMES}|${WEAK_NAMES})(?:\\s[^<>]{0,200})?\\s{0,3}>`, 'gi');
const STRONG = new RegExp(`^(?:${STRONG_NAMES})$`, 'i');
const CLOSE_WITHIN = 20_000;
const PARAGRAPH_WITHIN = 4_000;
const MAX_FINDINGS = 50;

interface Block extends Span {
  name: string;
}

function closingEnd(raw: string, name: string, from: number): number | undefined {
  const closer = new RegExp(`<\\s{0,3}\\/\\s{0,3}${name.replace(/[^\w -]/g, '')}\\s{0,3}>`, 'i');
  const window = raw.slice(from, from + CLOSE_WITHIN);
  const m = closer.exec(window);
  return m ? from + m.index + m[0].length : undefined;
}

function paragraphEnd(raw: string, from: number): number {
  const window = raw.slice(from, from + PARAGRAPH_WITHIN);
  const blank = /\n[ \t]*\n/.exec(window);
  return from + (blank ? blank.index : window.length);
}

function addressesModel(name: string, body: string): boolean {
  const words = body.match(/\p{L}{2,}/gu)?.length ?? 0;
  if (words < 3) return false;
  if (STRONG.test(name)) return true;
  const { text, hidden } = normalise(body);
  return scoreHidden([text, ...hidden].join('\n')).signals.includes('instructions');
}

/** Instruction blocks of one raw string, in text order. */
export function instructionBlocks(raw: string): Block[] {
  const out: Block[] = [];
  if (!raw.includes('<')) return out;
  OPENING.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = OPENING.exec(raw)) !== null) {
    const name = m[1] ?? '';
    const openEnd = m.index + m[0].length;
    const closed = closingEnd(raw, name, openEnd);
    const end = closed ?? paragraphEnd(raw, openEnd);
    const body = raw.slice(openEnd, closed === undefined ? end : raw.lastIndexOf('<', end - 1));
    if (addressesModel(name, body)) {
      out.push({ start: m.index, end, name });
      OPENING.lastIndex = end;
    }
  }
  OPENING.lastIndex = 0;
  return out;
}

function finding(field: Field, blocks: readonly Block[]): RawFinding {
  const first = blocks[0] as Block;
  const what = blocks.length > 1 ? `${blocks.length} instruction blocks` : `<${first.name}> block`;
  return {
    rule: 'instruction-blocks/tag-block',
    severity: 'high',
    path: field.path,
    reason: `${what} addressing the model`,
    // The whole stripped text: the audit log keeps its salted hash with the time (SMAC-4).
    match: blocks.map((b) => field.raw.slice(b.start, b.end)).join(''),
    strip: { family: 'instructionBlocks', spans: blocks.map(({ start, end }) => ({ start, end })), marker: 'inline' },
  };
}

export const instructionBlocksDetector: LocalDetector = {
  id: 'instruction-blocks',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  capabilities: { strip: ['instruction-blocks/tag-block'], complete: 'strip' },
  inspect(ctx) {
    const out: RawFinding[] = [];
    for (const field of ctx.fields) {
      if (field.role !== 'prose') continue;
      const blocks = instructionBlocks(field.raw);
      out.push(...blocks.slice(0, MAX_FINDINGS).map((b) => finding(field, [b])));
      if (blocks.length > MAX_FINDINGS) out.push(finding(field, blocks.slice(MAX_FINDINGS)));
    }
    return out;
  },
};
