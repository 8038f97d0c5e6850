/**
 * The vocabulary of behavioural fingerprinting (issue 11): the kinds of a person's activity pattern a
 * tool or a result may try to collect. Matched on words, after identifiers are split (`commit_times`,
 * `workingHours` → "commit times", "working hours"). `personal` kinds describe the user themselves; the
 * others (time zone, deploy windows) are ordinary operational inputs on their own — a time tool takes a
 * time zone, a deploy tool a window — and only count beside a personal kind.
 */

export interface ActivityKind {
  id: string;
  label: string;
  personal: boolean;
  re: RegExp;
}

export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  {
    id: 'commit-times',
    label: 'commit times',
    personal: true,
    re: /\bcommit(?:s|ting)?\s{1,3}(?:time\s?stamps?|times?|hours?|timing|cadence|patterns?|frequency)\b|\btimes?\s{1,3}(?:of|when)\s{1,3}(?:\w+\s{1,3}){0,2}commits?\b/i,
  },
  {
    id: 'working-hours',
    label: 'working hours',
    personal: true,
    re: /\b(?:working|work|office|active|online|waking|core)\s{1,3}hours\b|\bwork(?:ing)?\s{1,3}(?:schedule|patterns?|routine|days)\b|\bsleep\s{1,3}(?:schedule|patterns?|times?)\b|\bdaily\s{1,3}(?:routine|schedule)\b|\bwhen\s{1,3}(?:the\s{1,3})?(?:user|developer|you)\s{1,3}(?:is\s{1,3}|are\s{1,3})?(?:works?|working|online|active|away|asleep)\b/i,
  },
  {
    id: 'activity-log',
    label: 'activity logs',
    personal: true,
    re: /\b(?:activity|usage|login|keystroke|typing|browsing|presence)\s{1,3}(?:logs?|history|histories|patterns?|times?|time\s?stamps?|timeline)\b|\bkeystrokes?\b|\bidle\s{1,3}times?\b|\bonline\s{1,3}status\b/i,
  },
  {
    id: 'deploy-windows',
    label: 'deploy windows',
    personal: false,
    re: /\b(?:deploy(?:ment)?|release|maintenance)\s{1,3}(?:windows?|schedules?|cadence)\b/i,
  },
  {
    id: 'time-zone',
    label: 'time zone',
    personal: false,
    re: /\btime\s?zones?\b|\butc\s{1,3}offset\b|\btz\b/i,
  },
];

/** Cheap gate: a text without any of these cannot match a kind. */
export const ACTIVITY_GATE = /hour|commit|deploy|release|maintenance|zone|utc|\btz\b|activity|usage|login|keystroke|typing|browsing|presence|idle|online|schedule|routine|sleep|when/i;

/** Verbs that gather or hand over information: the shape of a request to the model. */
export const GATHER_VERB =
  /\b(?:collect|gather|record|track|log|report|send|include|provide|share|list|note|tell|ask|find\s{1,3}out|determine|look\s{1,3}up|infer|estimate|retrieve|extract|compile|summari[sz]e)\b/i;

/** Words that make the activity the user's own ("your", "the user's", "the developer's"). */
export const WHOSE = /\b(?:your|user'?s?|developer'?s?|engineer'?s?|their|his|her|team\s?member'?s?|employee'?s?)\b/i;

/** `commit_times`, `workingHours`, `deploy-window` → words. */
export function splitIdentifier(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
}

/** The kinds a text mentions. */
export function kindsIn(text: string): ActivityKind[] {
  if (!ACTIVITY_GATE.test(text)) return [];
  return ACTIVITY_KINDS.filter((k) => k.re.test(text));
}
