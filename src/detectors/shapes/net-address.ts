/**
 * Where does a host or URL point? A pure parser used by the dangerous-arguments detector to decide SSRF
 * targets (issue 4: "decided on the parsed address, not a string list").
 *
 * Contract: `classifyHost(host)` and `classifyUrl(value)` return a HostVerdict whose `kind` is
 * `metadata` (cloud instance metadata endpoints), `loopback` (127/8, ::1, 0.0.0.0 and ::, localhost names),
 * `private` (RFC 1918, CGNAT 100.64/10, link-local 169.254/16 and fe80::/10, ULA fc00::/7, internal DNS
 * suffixes), `public` (any other literal address) or `hostname` (a DNS name this parser cannot judge without
 * resolving it; DNS rebinding is out of scope for a pure function).
 *
 * Why our own numeric parsing on top of WHATWG URL: special schemes (http, https, ws, ftp) already get
 * WHATWG's IPv4 normalisation (`0x7f.1`, `2852039166`, octal parts, percent-encoding, fullwidth digits), but
 * non-special schemes (`gopher://`, `redis://`, `dict://`) keep an opaque host, bare hosts in arguments never
 * pass through a URL parser, and IPv6 zone ids make WHATWG reject the URL. Every address literal is therefore
 * reduced to a number (IPv4) or eight hextets (IPv6) here and judged on that, including IPv4 embedded in
 * IPv6 (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`).
 */
import { isIPv6 } from 'node:net';

export type HostKind = 'metadata' | 'loopback' | 'private' | 'public' | 'hostname';

export interface HostVerdict {
  kind: HostKind;
  /** Which range decided the kind, e.g. `cloud-metadata`, `rfc1918`, `cgnat`, `link-local`, `ula`. */
  range: string;
  /** The host as judged: lowercased, percent-decoded, without brackets, port or zone id. */
  host: string;
  /** Canonical address when the host is an address literal (dotted IPv4 or the IPv4 embedded in IPv6). */
  address?: string;
}

/** Instance metadata services reachable from inside clouds (AWS, GCP, Azure, Alibaba, ECS/EKS agents). */
const METADATA_V4 = new Map<number, string>([
  [ipv4('169.254.169.254'), 'cloud-metadata'],
  [ipv4('169.254.170.2'), 'cloud-metadata'], // ECS task metadata and credentials
  [ipv4('169.254.170.23'), 'cloud-metadata'], // EKS pod identity agent
  [ipv4('100.100.100.200'), 'cloud-metadata'], // Alibaba Cloud
  [ipv4('168.63.129.16'), 'cloud-metadata'], // Azure wireserver
]);
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
/** Public names that always resolve to 127.0.0.1. */
const LOOPBACK_ZONES = ['localhost', 'localtest.me', 'lvh.me'];
/** Wildcard DNS services that resolve `<ip>.nip.io` / `<a-b-c-d>.sslip.io` to the embedded address. */
const WILDCARD_IP_ZONES = ['nip.io', 'sslip.io', 'xip.io', 'traefik.me'];
const INTERNAL_ZONES = ['internal', 'local', 'localdomain', 'home.arpa', 'intranet', 'corp', 'lan'];

/** IPv4 ranges as [network, prefix length, kind, range name]; the first match wins. */
const V4_RANGES: ReadonlyArray<readonly [number, number, HostKind, string]> = [
  [ipv4('0.0.0.0'), 8, 'loopback', 'unspecified'], // connecting to 0.0.0.0 reaches the local host
  [ipv4('127.0.0.0'), 8, 'loopback', 'loopback'],
  [ipv4('10.0.0.0'), 8, 'private', 'rfc1918'],
  [ipv4('172.16.0.0'), 12, 'private', 'rfc1918'],
  [ipv4('192.168.0.0'), 16, 'private', 'rfc1918'],
  [ipv4('100.64.0.0'), 10, 'private', 'cgnat'],
  [ipv4('169.254.0.0'), 16, 'private', 'link-local'],
];

function ipv4(dotted: string): number {
  const n = parseIPv4(dotted);
  if (n === undefined) throw new Error(`bad IPv4 constant ${dotted}`);
  return n;
}

/**
 * Parses an IPv4 literal the way WHATWG URL and inet_aton do: one to four dot-separated parts, each decimal,
 * `0x` hex or leading-zero octal, the last part filling the remaining bytes (`127.1`, `0x7f.1`, `2852039166`).
 * Returns the address as an unsigned 32-bit number, or undefined when the string is not such a literal.
 */
export function parseIPv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // trailing dot
  if (parts.length === 0 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const v = parseIPv4Part(part);
    if (v === undefined) return undefined;
    values.push(v);
  }
  const last = values.pop() ?? 0;
  let result = 0;
  for (const v of values) {
    if (v > 255) return undefined;
    result = result * 256 + v;
  }
  const room = 256 ** (4 - values.length);
  if (last >= room) return undefined;
  return result * room + last;
}

function parseIPv4Part(part: string): number | undefined {
  if (part.length === 0 || part.length > 34) return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits === '') return 0; // WHATWG: "0x" alone is zero
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = parseInt(digits, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parses an IPv6 literal (no brackets, no zone id) into eight 16-bit groups, or undefined. */
export function parseIPv6(host: string): number[] | undefined {
  if (!isIPv6(host)) return undefined;
  let text = host.toLowerCase();
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail?.[1] !== undefined) {
    const v4 = parseIPv4(tail[1]);
    if (v4 === undefined) return undefined;
    const hi = Math.floor(v4 / 65536).toString(16);
    const lo = (v4 % 65536).toString(16);
    text = `${text.slice(0, tail.index)}${hi}:${lo}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

export function classifyIPv4(n: number, host = formatIPv4(n)): HostVerdict {
  const address = formatIPv4(n);
  const metadata = METADATA_V4.get(n);
  if (metadata !== undefined) return { kind: 'metadata', range: metadata, host, address };
  for (const [network, prefix, kind, range] of V4_RANGES) {
    const size = 2 ** (32 - prefix);
    if (Math.floor(n / size) === Math.floor(network / size)) return { kind, range, host, address };
  }
  return { kind: 'public', range: 'public', host, address };
}

/** Judges eight IPv6 groups, looking through the encodings that carry an IPv4 address. */
export function classifyIPv6(g: readonly number[], host: string): HostVerdict {
  const at = (i: number): number => g[i] ?? 0;
  const v4At = (i: number): number => at(i) * 65536 + at(i + 1);
  const zeroUpTo = (end: number): boolean => g.slice(0, end).every((x) => x === 0);
  if (zeroUpTo(8)) return { kind: 'loopback', range: 'unspecified', host };
  if (zeroUpTo(7) && at(7) === 1) return { kind: 'loopback', range: 'loopback', host };
  if (zeroUpTo(5) && at(5) === 0xffff) return embedded(classifyIPv4(v4At(6)), host, 'ipv4-mapped');
  if (zeroUpTo(6)) return embedded(classifyIPv4(v4At(6)), host, 'ipv4-compatible');
  if (at(0) === 0x64 && at(1) === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return embedded(classifyIPv4(v4At(6)), host, 'nat64');
  }
  if (at(0) === 0x2002) return embedded(classifyIPv4(v4At(1)), host, '6to4');
  if (at(0) === 0xfd00 && at(1) === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && [0x254, 0x23].includes(at(7))) {
    return { kind: 'metadata', range: 'cloud-metadata', host }; // AWS IMDS / EKS pod identity over IPv6
  }
  if ((at(0) & 0xfe00) === 0xfc00) return { kind: 'private', range: 'ula', host };
  if ((at(0) & 0xffc0) === 0xfe80) return { kind: 'private', range: 'link-local', host };
  if ((at(0) & 0xffc0) === 0xfec0) return { kind: 'private', range: 'site-local', host };
  if (at(0) === 0x64 && at(1) === 0xff9b && at(2) === 1) return { kind: 'private', range: 'nat64-local', host };
  return { kind: 'public', range: 'public', host };
}

function embedded(inner: HostVerdict, host: string, via: string): HostVerdict {
  const range = inner.kind === 'public' ? 'public' : `${inner.range} via ${via}`;
  return { ...inner, host, range };
}

/** Judges a host as it appears in a URL authority: name, IPv4 in any encoding, or [IPv6]. */
export function classifyHost(input: string): HostVerdict {
  const host = cleanHost(input);
  const v6 = parseIPv6(host);
  if (v6 !== undefined) return classifyIPv6(v6, host);
  const v4 = parseIPv4(host);
  if (v4 !== undefined) return classifyIPv4(v4, host);
  return classifyName(host);
}

function cleanHost(input: string): string {
  let host = input.trim();
  for (let i = 0; i < 3 && host.includes('%'); i += 1) {
    const decoded = percentDecode(host);
    if (decoded === host) break;
    host = decoded;
  }
  host = host.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.indexOf('%'); // IPv6 zone id (`fe80::1%eth0`)
  if (zone > 0 && host.includes(':')) host = host.slice(0, zone);
  return host.endsWith('.') && host.length > 1 ? host.slice(0, -1) : host;
}

function percentDecode(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function inZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

function classifyName(host: string): HostVerdict {
  if (METADATA_NAMES.has(host)) return { kind: 'metadata', range: 'cloud-metadata', host };
  if (LOOPBACK_NAMES.has(host) || LOOPBACK_ZONES.some((z) => inZone(host, z))) {
    return { kind: 'loopback', range: 'loopback-name', host };
  }
  const wildcard = WILDCARD_IP_ZONES.find((z) => host.endsWith(`.${z}`));
  if (wildcard !== undefined) {
    const prefix = host.slice(0, -(wildcard.length + 1));
    const ip = /(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})$/.exec(prefix);
    const n = ip === null ? undefined : parseIPv4(ip.slice(1, 5).join('.'));
    if (n !== undefined) return embedded(classifyIPv4(n), host, 'wildcard-dns');
  }
  if (INTERNAL_ZONES.some((z) => host.endsWith(`.${z}`))) return { kind: 'private', range: 'internal-name', host };
  return { kind: 'hostname', range: 'dns-name', host };
}

const SCHEME = /^[a-z][a-z0-9+.-]{0,31}:\/\//i;

/** True when the whole (trimmed) value is a URL with an authority: `scheme://…` or `//host…`. */
export function looksLikeUrl(value: string): boolean {
  const v = value.trim();
  return !/\s/.test(v) && (SCHEME.test(v) || v.startsWith('//'));
}

/**
 * The host of a URL, or of a bare `host[:port][/path]` when `bare` is set (an argument documented as a URL).
 * Uses WHATWG parsing and falls back to splitting the authority by hand when WHATWG rejects the input.
 */
export function hostOfUrl(value: string, bare = false): string | undefined {
  let v = value.trim();
  if (v.length === 0 || v.length > 8192) return undefined;
  if (v.startsWith('//')) v = `http:${v}`;
  else if (!SCHEME.test(v)) {
    if (!bare) return undefined;
    v = `http://${v}`;
  }
  try {
    const url = new URL(v);
    if (url.hostname !== '') return url.hostname;
  } catch {
    // fall through: WHATWG rejects zone ids and some malformed hosts that other clients accept
  }
  return authorityHost(v);
}

function authorityHost(url: string): string | undefined {
  const start = url.indexOf('//') + 2;
  const rest = url.slice(start);
  const end = rest.search(/[/?#\\]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close === -1 ? undefined : authority.slice(0, close + 1);
  }
  const host = authority.replace(/:\d*$/, '');
  return host === '' ? undefined : host;
}

/** Classifies the host a URL points at; undefined when the value is not a URL (or not a bare host with `bare`). */
export function classifyUrl(value: string, bare = false): HostVerdict | undefined {
  const host = hostOfUrl(value, bare);
  return host === undefined ? undefined : classifyHost(host);
}
