/**
 * Scoring of text a human reader does not see (comment bodies, collapsed `<details>`, invisible-character
 * payloads): how much does it look like instructions, code, URLs or environment assignments? The score
 * turns "there is an HTML comment" (common and benign: lint pragmas, generated-section markers) into
 * "there is an HTML comment that tells the agent to do something" (issue 4, hidden content).
 */
import type { Severity } from '../core/index.js';

const INSTRUCTION =
  /\b(?:you|your|assistant|agent|AI|LLM|model|claude|gpt)\b[^.\n]{0,80}?\b(?:must|should|need\s{1,3}to|will|shall|always|never)\b|\b(?:ignore|disregard|forget|override)\b|\b(?:please\s{1,3})?(?:send|email|forward|transfer|delete|remove|upload|post|read|write|execute|run|call|invoke|include|visit|bcc|copy|share|fetch|download|install|add|tell|say|reply|respond|approve|merge|grant)\s{1,3}(?:the|all|a|an|this|every|it|them|to|me|my|your|user'?s?|his|her|their|\$?\d|[\w.+-]{1,40}@)\b|\b(?:do\s{1,3}not|don'?t|never)\s{1,3}(?:tell|mention|inform|show|reveal)\b|\b(?:instruction|directive|important|urgent)s?\b\s{0,2}:/i;
const CODE = /\b(?:curl|wget|bash|sh\s{1,3}-c|powershell|eval|exec|rm\s{1,3}-rf|chmod|base64\s{1,3}-d|nc\s{1,3}-|python\s{1,3}-c)\b|\$\([^)\n]{1,80}\)|`[^`\n]{2,80}`|\|\s{0,2}(?:sh|bash)\b/i;
const URL_RE = /\bhttps?:\/\/[^\s"'<>)]{3,}|\bwww\.[\w-]{2,}\.[a-z]{2,}/i;
const ENV_ASSIGN = /\b[A-Z][A-Z0-9_]{2,40}\s{0,2}=\s{0,2}\S{4,}/;
const EMAIL = /\b[\w.+-]{1,40}@[\w-]{1,40}\.[\w.-]{2,40}\b/;
const BENIGN_PRAGMA = /^\s*(?:markdownlint|prettier|eslint|textlint|vale|cspell|spell-?checker|toc|end\s|begin\s|start\s|auto-?generated|generated|do\s{1,3}not\s{1,3}edit|omit|include|section|badges?|all-contributors|readme|lint|codegen|swagger|table|\/|[-=*#\s]{0,40}$)/i;

export interface HiddenScore {
  score: number;
  signals: string[];
}

export function scoreHidden(body: string): HiddenScore {
  const signals: string[] = [];
  if (INSTRUCTION.test(body)) signals.push('instructions');
  if (CODE.test(body)) signals.push('code');
  if (URL_RE.test(body)) signals.push('URL');
  if (ENV_ASSIGN.test(body)) signals.push('environment assignment');
  if (EMAIL.test(body)) signals.push('email address');
  const words = body.match(/[A-Za-z]{2,}/g)?.length ?? 0;
  let score = signals.length * 2 + (signals.includes('instructions') ? 2 : 0);
  if (words >= 6) score += 1;
  if (BENIGN_PRAGMA.test(body) && !signals.includes('instructions')) score = Math.min(score, 1);
  return { score, signals };
}

/** Hidden text: instructions (or two other signals) are high; one signal medium; prose-only low. */
export function severityForHidden(s: HiddenScore, invisible: boolean): Severity | undefined {
  if (s.signals.includes('instructions') && (invisible || s.score >= 4)) return 'high';
  if (s.score >= 5) return 'high';
  if (s.score >= 2) return invisible ? 'high' : 'medium';
  if (s.score >= 1) return invisible ? 'medium' : 'low';
  return undefined;
}
