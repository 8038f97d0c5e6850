/**
 * URL judgement for the exfiltration detector: does a markdown image/link (or HTML img/a) target carry
 * data, or a slot the model is meant to fill, to a host that is not allowed? Badges and CDN images on
 * well-known hosts, presigned URLs (their query is a signature, not user data) and tracking parameters
 * such as `utm_*` are benign (issue 4).
 */

const BUILTIN_ALLOW = [
  'img.shields.io', 'shields.io', 'badgen.net', 'badge.fury.io', 'codecov.io', '*.codecov.io', 'coveralls.io',
  'travis-ci.org', 'travis-ci.com', 'circleci.com', 'dl.circleci.com', 'github.com', '*.githubusercontent.com',
  'api.netlify.com', 'snyk.io', 'sonarcloud.io', 'pepy.tech', 'static.pepy.tech', 'goreportcard.com',
  'pkg.go.dev', 'readthedocs.org', '*.readthedocs.io', 'deepwiki.com', 'api.codeclimate.com', 'app.codacy.com',
  'bestpractices.coreinfrastructure.org', 'www.bestpractices.dev', 'securityscorecards.dev', 'api.securityscorecards.dev',
  'npmjs.com', 'www.npmjs.com', 'pypi.org', 'img.youtube.com', 'opencollective.com', 'discord.com', 'gitlab.com',
];

/** A slot for the model to fill: `{...}`, `{{...}}`, `<...>`, `$VAR`, `${...}`, `[DATA]`-style placeholders. */
const TEMPLATE_SLOT = /\{\{?\s{0,2}[A-Za-z_][\w .,'-]{0,80}\}\}?|<[A-Za-z][^<>\n"=]{1,120}>|\$\{?[A-Za-z_][A-Za-z0-9_]{1,40}\}?|\[(?:[A-Z_]{3,30}|[a-z_ ]{3,30} here)\]|%7B[^%\s]{1,80}%7D|\bINSERT[_ ]|\bPLACEHOLDER\b/;
const DATA_PARAM = /^(?:d|q|data|payload|content|text|msg|message|messages|history|chat|conversation|context|secret|key|apikey|api_key|token|session|summary|info|leak|exfil|prompt|memory|notes?|body|email|password|creds?|credentials)$/i;
const SIGNED = /(?:^|&)(?:X-Amz-Signature|X-Goog-Signature|Signature|sig|signature|se|sp|sv|Expires|Key-Pair-Id|token_hash)=/i;
const TRACKING = /^(?:utm_[a-z]+|ref|source|fbclid|gclid|mc_[a-z]+|lang|hl|v|version|branch|label|logo|style|color|colorA|colorB|labelColor|logoColor|cacheSeconds|link|width|height|w|h|s|size|format|theme|tab|page|sort|filter|id)$/i;

export type UrlVerdict = { kind: 'benign' } | { kind: 'template' | 'data'; detail: string };

export function hostAllowed(host: string, extra: readonly string[]): boolean {
  const h = host.toLowerCase();
  return [...BUILTIN_ALLOW, ...extra].some((pat) => {
    const p = pat.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) || h === p.slice(2) : h === p;
  });
}

function parseLoose(target: string): URL | undefined {
  const t = target.trim().replace(/^<|>$/g, '').split(/\s+["']/)[0] ?? '';
  const withScheme = /^[a-z][a-z0-9+.-]{1,10}:\/\//i.test(t) ? t : /^www\./i.test(t) ? `https://${t}` : '';
  if (!withScheme) return undefined;
  try {
    return new URL(withScheme.replace(/\s/g, '%20'));
  } catch {
    return undefined;
  }
}

export function judgeUrl(target: string, allowHosts: readonly string[]): UrlVerdict {
  const url = parseLoose(target);
  if (!url) return { kind: 'benign' };
  if (hostAllowed(url.hostname, allowHosts)) return { kind: 'benign' };
  const afterHost = target.slice(target.indexOf(url.hostname) + url.hostname.length);
  if (TEMPLATE_SLOT.test(decodeSafe(afterHost))) return { kind: 'template', detail: `templated slot in a URL to ${url.hostname}` };
  if (SIGNED.test(url.search.slice(1))) return { kind: 'benign' };
  for (const [name, value] of url.searchParams) {
    if (TRACKING.test(name)) continue;
    if (DATA_PARAM.test(name) && value.length >= 24) return { kind: 'data', detail: `parameter "${name}" carries data to ${url.hostname}` };
    if (value.length >= 120) return { kind: 'data', detail: `long parameter "${name}" to ${url.hostname}` };
  }
  return { kind: 'benign' };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
