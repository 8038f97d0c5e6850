/**
 * Is a verb an instruction aimed at the reader (the model), or part of a tool describing itself?
 * Issue 4 asks for credential seeking "in instruction shape": "read ~/.ssh/id_rsa and pass it as …" is
 * an order, "Returns all environment variables, helpful for debugging" (server-everything's `get-env`)
 * is a capability. The shape is decided on the words around the verb, not on the secret:
 * - hostile verbs (exfiltrate, steal, harvest, leak) have no benign reading;
 * - an imperative stands at the start of a clause or right after a cue addressing the reader
 *   ("you must", "always", "first", "silently", "before answering, …");
 * - an imperative that opens the text is how descriptions are written ("Print the environment"), so it
 *   only counts when the secret then moves on: to a recipient, into a named argument, or via a second
 *   verb ("… and send it").
 */

const HOSTILE = /^(?:exfiltrat|steal|stole|harvest|leak)/i;
/** Text right before an imperative: a clause boundary, or a cue that addresses the reader. */
const BEFORE_IMPERATIVE =
  /(?:^|[.!?:;,\n(>*•]|(?:^|\s)[-–—]|\b(?:and|or|then)\b|\b(?:must|shall|should|always|first|also|please|silently|quietly|secretly|immediately|now|just|simply|need\s{1,3}to|have\s{1,3}to|required\s{1,3}to|instructed\s{1,3}to))\s{0,3}$/i;
/** After the secret, in the same sentence: a second verb that moves it, a recipient, or a named argument. */
const ONWARD = new RegExp(
  [
    String.raw`\b(?:and|then)\s{1,3}(?:also\s{1,3})?(?:send|upload|post|forward|transmit|share|email|include|attach|pass|append|embed|paste|submit)\b`,
    String.raw`\bto\s{1,3}(?:https?:\/\/|[\w.+-]{1,40}@|(?:the|our|my|this|a|an|your)\s{1,3}(?:[\w-]{1,20}\s{1,3}){0,2}(?:server|endpoint|url|address|webhook|api|host|inbox|channel)\b)`,
    String.raw`\b(?:in|into|as|inside)\s{1,3}(?:the\s{1,3}|a\s{1,3}|your\s{1,3})?(?:['"\x60][\w-]{1,40}['"\x60]|(?:[\w-]{1,40}\s{1,3})?(?:argument|parameter|param|field|property|header|note|comment)s?\b)`,
  ].join('|'),
  'i',
);
const SENTENCE_REST = /^[^.\n]{0,120}/;

export function isHostileVerb(verb: string): boolean {
  return HOSTILE.test(verb);
}

/** True when the verb at `index` stands where an imperative addressed to the reader stands. */
export function isImperativeVerb(text: string, index: number): boolean {
  return BEFORE_IMPERATIVE.test(text.slice(Math.max(0, index - 80), index));
}

/** True when the rest of the sentence after `end` sends the secret somewhere. */
export function movesOnward(text: string, end: number): boolean {
  const rest = SENTENCE_REST.exec(text.slice(end, end + 160))?.[0] ?? '';
  return ONWARD.test(rest);
}
