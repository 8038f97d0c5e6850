/**
 * The status document is "documented": every field of the schema (config/status-schema.ts), and every
 * field of an upstream entry, is named in the README's "Status document" section, so the two cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { StatusDocumentSchema, StatusReportSchema } from '../../../src/config/index.js';

const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Status document'), readme.indexOf('## Point your assistant at it'));

describe('README "Status document"', () => {
  test('names every field of the document, of an upstream entry and of the --json report', () => {
    const upstream = StatusDocumentSchema.shape.upstreams.element.shape;
    const fields = [...Object.keys(StatusDocumentSchema.shape), ...Object.keys(upstream), ...Object.keys(upstream.counts.shape), ...Object.keys(StatusReportSchema.shape), 'source', 'updatedAt'];
    expect(section.length).toBeGreaterThan(500);
    for (const field of fields) expect(section.includes(`\`${field}\``) || section.includes(`\`${field}[]\``), field).toBe(true);
  });
});
