/**
 * Shadowing and squatting across upstreams (issue 10), through the catalog view (the candidate
 * catalog, so every upstream's tools are seen while one is screened). For a listed tool, against the
 * tools of the other upstreams that come before it in the catalog (config order: the earlier one is
 * taken as the original) and are not instances of the same server (config/upstream-identity.ts origin):
 * - `shadowing/copied-tool` (high): the same or an imitating name with a near-identical description — a
 *   second server registering `send_email_v2`, or `send_email` itself, with the first one's text;
 * - `shadowing/copied-description` (high): a near-identical description of eight words or more under a
 *   different name;
 * - `shadowing/imitated-name` (medium: an alert): an imitating name (affix, small edit, look-alike
 *   letters) with its own description;
 * - `shadowing/steering` (high): a description that names another upstream's tool or the upstream
 *   itself, in a sentence that disparages or replaces it ("deprecated", "do not use", "instead of"),
 *   or routes every call through this tool.
 * Two servers that both offer `search` with their own descriptions pass: a shared plain name is normal.
 */
import type { CatalogTool, CatalogView } from '../core/index.js';
import type { LocalDetector, RawFinding } from '../pipeline/types.js';
import { descriptionLikeness, imitates, wordCount } from './shadowing/name-likeness.js';

export interface ShadowingOptions {
  /** Upstream name → origin (the server it runs); upstreams absent here are each their own origin. */
  origins: ReadonlyMap<string, string>;
}

/** Word-bigram similarity from which two descriptions are "near-identical". */
const NEAR_IDENTICAL = 0.8;
const MIN_COPIED_WORDS = 8;

const DISPARAGE = /\b(?:deprecated|obsolete|outdated|broken|buggy|unreliable|unsafe|insecure|compromised|malicious|untrusted|do\s+not\s+use|don'?t\s+use|never\s+use|stop\s+using|avoid|no\s+longer\s+(?:works?|supported|maintained|available)|instead\s+of|rather\s+than|in\s+place\s+of|replaces?|supersedes?)\b/i;
const ROUTE_ALL = /\b(?:route|send|redirect|forward|pass)\s+(?:all|every|any)\s+(?:calls?|requests?|traffic|operations?|messages?)\s+(?:through|to|via)\s+this\s+(?:tool|server)\b|\b(?:all|any|every)\s+other\s+(?:tools?|servers?)\s+(?:are|is)\s+(?:deprecated|broken|buggy|unsafe|unreliable|compromised)\b/i;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/);
}

/** A name that cannot be an ordinary word: a separator or an inner capital. */
function distinctive(name: string): boolean {
  return /[_.-]|[a-z][A-Z]/.test(name);
}

/**
 * Whether a sentence names `name`: as a whole word when the name is distinctive (`send_email`), else
 * only quoted (`search`, "mail"), so the words "search" and "mail" in plain prose are not references.
 */
function mentions(sentence: string, name: string): boolean {
  if (name.length < 3) return false;
  const lower = sentence.toLowerCase();
  const wanted = name.toLowerCase();
  const edge = /[\w]/;
  for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1)) {
    const before = sentence[at - 1] ?? ' ';
    const after = sentence[at + name.length] ?? ' ';
    if (edge.test(before) || edge.test(after)) continue;
    if (distinctive(name) || (/[`'"]/.test(before) && before === after)) return true;
  }
  return false;
}

function steering(description: string, others: readonly CatalogTool[]): RawFinding | undefined {
  const names = [...new Set(others.flatMap((t) => [t.name, t.publicName, t.upstream]))];
  for (const sentence of sentences(description)) {
    const named = names.find((n) => mentions(sentence, n));
    if ((named && DISPARAGE.test(sentence)) || ROUTE_ALL.test(sentence)) {
      const what = named ? `disparages or replaces "${named}" of another upstream` : 'routes every call through itself';
      return { rule: 'shadowing/steering', severity: 'high', path: 'description', reason: `the description ${what}: a tool steering the model away from another server's tools`, match: sentence.slice(0, 300) };
    }
  }
  return undefined;
}

function compare(tool: CatalogTool, original: CatalogTool): RawFinding | undefined {
  const where = `"${original.name}" of upstream "${original.upstream}"`;
  const likeness = imitates(tool.name, original.name);
  const similar = descriptionLikeness(tool.description ?? '', original.description ?? '') >= NEAR_IDENTICAL;
  if (likeness && similar) {
    return { rule: 'shadowing/copied-tool', severity: 'high', path: 'name', reason: `"${tool.name}" copies ${where}: ${likeness === 'same' ? 'the same name' : `an imitating name (${likeness})`} and a near-identical description`, match: tool.name };
  }
  if (similar && wordCount(tool.description ?? '') >= MIN_COPIED_WORDS) {
    return { rule: 'shadowing/copied-description', severity: 'high', path: 'description', reason: `"${tool.name}" carries the description of ${where} under another name`, match: tool.name };
  }
  if (likeness && likeness !== 'same') {
    return { rule: 'shadowing/imitated-name', severity: 'medium', path: 'name', reason: `"${tool.name}" imitates the name ${where} (${likeness})`, match: tool.name };
  }
  return undefined;
}

export function createShadowingDetector(options: ShadowingOptions, ports: { catalog: CatalogView }): LocalDetector {
  const origin = (upstream: string) => options.origins.get(upstream) ?? `upstream:${upstream}`;
  return {
    id: 'shadowing',
    phase: 'list',
    methods: ['tools/list'],
    directions: ['to_client'],
    inspect(ctx): RawFinding[] {
      const { upstream, payload } = ctx.envelope;
      const item = payload as { name?: unknown; description?: unknown };
      if (typeof item.name !== 'string') return [];
      const tool: CatalogTool = { upstream, name: item.name, publicName: item.name, ...(typeof item.description === 'string' ? { description: item.description } : {}) };
      const all = ports.catalog.tools();
      const others = all.filter((t) => t.upstream !== upstream && origin(t.upstream) !== origin(upstream));
      const findings: RawFinding[] = [];
      const steer = steering(tool.description ?? '', others);
      if (steer) findings.push(steer);
      const mine = all.findIndex((t) => t.upstream === upstream && t.name === tool.name);
      // Earlier in the catalog is the original; a tool not in the view (scan, eval) comes after all.
      const earlier = others.filter((t) => mine < 0 || all.indexOf(t) < mine);
      for (const original of earlier) {
        const found = compare(tool, original);
        if (found) {
          findings.push(found);
          break;
        }
      }
      return findings;
    },
  };
}
