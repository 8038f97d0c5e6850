/**
 * The key of a verdict in the judge's cache (issue 15): a SHA-256 of the model, the surface and the
 * text, so the same text on the same surface asked of the same model is one judgement, and the cache
 * (the `VerdictStore` port: SQLite in the gateway, memory in scan and eval) never holds the text.
 */
import { createHash } from 'node:crypto';
import type { ClassifierInput } from '../core/index.js';

export function verdictKey(model: string, input: Pick<ClassifierInput, 'surface' | 'text'>): string {
  return createHash('sha256').update(model).update('\0').update(input.surface).update('\0').update(input.text).digest('hex');
}
