/**
 * "did you mean" for unknown keys. The known keys come from the schema itself (walking zod's object
 * shapes along the YAML path), so the suggestion can never drift from what the schema accepts.
 */
import { z } from 'zod';

type AnySchema = z.core.$ZodType;

/** Unwraps default/optional/nullable/readonly wrappers and collects object shapes along `path`. */
function schemasAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodReadonly) {
    return schemasAt(schema.unwrap() as AnySchema, path);
  }
  if (schema instanceof z.ZodUnion) return (schema.options as AnySchema[]).flatMap((option) => schemasAt(option, path));
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  if (schema instanceof z.ZodArray && typeof head === 'number') return schemasAt(schema.element as AnySchema, rest);
  if (schema instanceof z.ZodRecord) return schemasAt(schema.valueType as AnySchema, rest);
  if (schema instanceof z.ZodObject && typeof head === 'string') {
    const field = (schema.shape as Record<string, AnySchema>)[head];
    return field ? schemasAt(field, rest) : [];
  }
  return [];
}

/** The keys an object at `path` may have. */
export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  const keys = schemasAt(schema, path).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []));
  return [...new Set(keys)];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/** The closest known key within two edits (case-insensitive), if any. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (distance <= 2 && distance < unknown.length && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}
