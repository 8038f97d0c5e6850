/**
 * Every trigger literal of the text detectors, in one list, so one scan per text finds them all
 * (issue 4: a 1 MiB result in under 20 ms; one combined pass instead of one pass per detector).
 * A detector names its triggers here or in its pattern table; `compileTriggers` refuses a trigger
 * that is missing from this vocabulary, so a forgotten literal fails at load time, not silently.
 */
import { INSTRUCTION_PATTERNS } from './instruction-patterns.js';
import { STEERING_PATTERNS } from './steering-patterns.js';
import { CREDENTIAL_PATTERNS } from './credential-patterns.js';
import { EXFIL_PATTERNS } from './exfil-patterns.js';

/** Every pattern table whose triggers and required literals the shared scan must find. */
const PATTERN_TABLES = [INSTRUCTION_PATTERNS, STEERING_PATTERNS, CREDENTIAL_PATTERNS, EXFIL_PATTERNS];

/** Literals near which credential-seeking's secret-file patterns can match. */
export const SECRET_FILE_TRIGGERS: readonly string[] = [
  'ssh', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', '.aws', '.env', 'npmrc', 'pypirc', 'netrc', 'git-credentials', '.docker',
  '.kube', '/etc/', 'claude_desktop', 'mcp.json', '.claude.json', 'wallet.dat', 'gnupg', 'gcloud', 'aws_secret', 'environment',
  'process.env', 'private', 'seed', 'mnemonic',
];

/** Exfiltration prose: a parameter for the calling model's identity, and data shared with third parties. */
export const MODEL_IDENTITY_TRIGGERS: readonly string[] = [' of the llm', ' of the ai', ' of the language'];
export const DATA_SHARING_TRIGGERS: readonly string[] = [
  'conversation', 'chat', 'third', 'api key', 'api  key', 'token', 'credential', 'password', 'secret',
];
/** Every data-sharing match opens with one of these verbs (send, shared, stores, logs, …). */
export const DATA_SHARING_VERBS: readonly string[] = [
  'send', 'upload', 'forward', 'share', 'post', 'transmit', 'export', 'sync', 'sold', 'sent', 'provided', 'index', 'collect',
  'store', 'cache', 'harvest', 'log', 'capture',
];

/** Encoded payloads: "decode … and follow". */
export const DECODE_HINT_TRIGGERS: readonly string[] = ['decode', 'base64', 'hex', 'encoded'];

export const TRIGGER_VOCABULARY: readonly string[] = [
  ...new Set([
    ...PATTERN_TABLES.flat().flatMap((p) => [...(p.triggers ?? []), ...(p.requires ?? [])]),
    ...SECRET_FILE_TRIGGERS,
    ...MODEL_IDENTITY_TRIGGERS,
    ...DATA_SHARING_TRIGGERS,
    ...DATA_SHARING_VERBS,
    ...DECODE_HINT_TRIGGERS,
  ]),
];
