/**
 * Detector `model-instructions`: text aimed at the model rather than at describing a tool or carrying
 * data — wrappers such as `<IMPORTANT>`, chat-template and role markers, override phrases, secrecy toward
 * the user, precondition hijacks, cross-tool steering, fake errors, impersonated users, task directives
 * (issue 4); hidden recipients, persistence orders, disparaged tools, bracketed markers, role-named code
 * fences and reverse shells (issue 12, steering-patterns.ts). Reads normalised prose (so fullwidth
 * `＜IMPORTANT＞`, homoglyphs and entity-encoded tags match) and every hidden payload, which reports one
 * severity higher.
 */
import type { LocalDetector } from '../pipeline/types.js';
import { INSTRUCTION_PATTERNS } from './vocabulary/instruction-patterns.js';
import { STEERING_PATTERNS } from './vocabulary/steering-patterns.js';
import { compileTable, proseViews, scanPatterns } from './text/text-views.js';

const TABLE = compileTable([...INSTRUCTION_PATTERNS, ...STEERING_PATTERNS]);

export const modelInstructionsDetector: LocalDetector = {
  id: 'model-instructions',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  inspect(ctx) {
    return scanPatterns(ctx, proseViews(ctx), TABLE);
  },
};
