/**
 * Scoring of text a human reader does not see (comment bodies, collapsed `<details>`, invisible-character
 * payloads): how much does it look like instructions, code, URLs or environment assignments? The score
 * turns "there is an HTML comment" (common and benign: lint pragmas, generated-section markers) into
 * "there is an HTML comment that tells the agent to do something" (issue 4, hidden content).
 */
import type { Severity } from '../../core/index.js';

/** Instructions aimed at an agent: addressed to the model, overriding, secret-keeping, or moving data/money. */
const STRONG_INSTRUCTION =
  /\b(?:you|assistant|agent|AI|LLM|model|claude|gpt)\b[^.\n]{0,80}?\b(?:must|shall|need\s{1,3}to)\b|\b(?:ignore|disregard|override)\s{1,3}(?:all|any|the|previous|prior|your)\b|\b(?:do\s{1,3}not|don'?t|never)\s{1,3}(?:tell|mention|inform|reveal)\b|\b(?:send|email|forward|transfer|bcc|upload|post|execute|run|delete|exfiltrate|pay|wire|invite|concatenate)\s{1,3}(?:(?:the|all|a|an|this|every|it|them|to|me|my|your|user'?s?|his|her|their|as\s{1,3}much)\b|\$?\d|[\w.+-]{1,40}@)|^\s{0,8}(?:please\s{1,3})?(?:read|call|invoke|include|copy|share|fetch|download|install|update|create|make|move|open|always|never|when|before|after)\s{1,3}(?!this\s{1,3}(?:section|file|block|line))/i;
/** A hidden body that opens with an order to move data, money or files: the shape of a smuggled task. */
const LEADING_ORDER =
  /^\s{0,8}(?:please\s{1,3})?(?:send|email|forward|transfer|delete|remove|upload|post|write|execute|run|tell|say|modify|change|pay|visit|click|ignore|disregard)\s{1,3}(?!this\s{1,3}(?:section|file|block|line|comment))/i;
/** Generic imperatives (common in contributor notes and templates): supporting evidence only. */
const WEAK_INSTRUCTION =
  /\b(?:please\s{1,3})?(?:read|write|call|invoke|include|visit|copy|share|fetch|download|install|add|tell|say|reply|respond|approve|merge|grant|modify|change|update|set|create|make|move|open|click)\s{1,3}(?:the|all|a|an|this|every|it|them|to|me|my|your)\b|\b(?:instruction|directive|important|urgent)s?\b\s{0,2}:/i;
const CODE = /\b(?:curl|wget|bash|sh\s{1,3}-c|powershell|eval|exec|rm\s{1,3}-rf|chmod|base64\s{1,3}-d|nc\s{1,3}-|python\s{1,3}-c)\b|\$\([^)\n]{1,80}\)|`[^`\n]{2,80}`|\|\s{0,2}(?:sh|bash)\b/i;
const URL_RE = /\bhttps?:\/\/[^\s"'<>)]{3,}|\bwww\.[\w-]{2,}\.[a-z]{2,}/i;
const ENV_ASSIGN = /\b[A-Z][A-Z0-9_]{2,40}\s{0,2}=\s{0,2}\S{4,}/;
const IBAN = /\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b/;
const EMAIL = /\b[\w.+-]{1,40}@[\w-]{1,40}\.[\w.-]{2,40}\b/;
const BENIGN_PRAGMA = /^\s*(?:markdownlint|prettier|eslint|textlint|vale|cspell|spell-?checker|toc|end\s|begin\s|start\s|auto-?generated|generated|do\s{1,3}not\s{1,3}edit|omit|include|section|badges?|all-contributors|readme|lint|codegen|swagger|table|\/|[-=*#\s]{0,40}$)/i;

export interface HiddenScore {
  score: number;
  signals: string[];
}

export function scoreHidden(body: string): HiddenScore {
  const signals: string[] = [];
  let score = 0;
  const add = (name: string, points: number): void => {
    signals.push(name);
    score += points;
  };
  if (LEADING_ORDER.test(body)) add('instructions', 4);
  else if (STRONG_INSTRUCTION.test(body)) add('instructions', 3);
  else if (WEAK_INSTRUCTION.test(body)) add('imperatives', 1);
  if (CODE.test(body)) add('code', 2);
  if (URL_RE.test(body)) add('URL', 1);
  if (ENV_ASSIGN.test(body)) add('environment assignment', 2);
  if (EMAIL.test(body)) add('email address', 2);
  if (IBAN.test(body)) add('account number', 2);
  if ((body.match(/[A-Za-z]{2,}/g)?.length ?? 0) >= 6) score += 1;
  if (BENIGN_PRAGMA.test(body) && !signals.includes('instructions')) score = Math.min(score, 1);
  return { score, signals };
}

/** Hidden text: strong instructions with supporting evidence are high, invisible channels need less. */
export function severityForHidden(s: HiddenScore, invisible: boolean): Severity | undefined {
  if (s.score >= (invisible ? 3 : 5)) return 'high';
  if (s.score >= 3) return 'medium';
  if (s.score >= 1) return invisible ? 'medium' : 'low';
  return undefined;
}
