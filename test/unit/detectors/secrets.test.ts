import { describe, expect, it } from 'vitest';
import type { Direction } from '../../../src/core/index.js';
import type { DetectorContext, Field, FieldRole } from '../../../src/pipeline/types.js';
import { findSecrets, secretsDetector } from '../../../src/detectors/secrets.js';

/** Deterministic pseudo-random text, so fake credentials are built at run time and never look copied. */
function rand(alphabet: string, length: number, seed = 7): string {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    // mulberry32
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), x | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(r * alphabet.length)];
  }
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;

function ctx(texts: string[], role: FieldRole = 'prose', direction: Direction = 'to_client'): DetectorContext {
  const fields: Field[] = texts.map((raw, i) => ({ path: `content[${i}].text`, role, raw, text: raw, hidden: [] }));
  return {
    envelope: { method: 'tools/call', direction, upstream: 'u', payload: {} },
    fields,
  };
}

function rules(text: string): string[] {
  return secretsDetector.inspect(ctx([text])).map((f) => `${f.rule} ${f.severity}`);
}

function jwt(header: object, sigLength = 43): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc({ sub: '1234567890', name: 'Ada', iat: 1516239022 })}.${rand(B64URL, sigLength, 3)}`;
}

const AWS_ID = `AKIA${rand(UPPER_DIGITS, 16)}`;
const AWS_SECRET = rand(B64, 40, 11);
const GH = `ghp_${rand(ALNUM, 36)}`;
const OPENAI = `sk-proj-${rand(ALNUM, 48)}_${rand(ALNUM, 20, 5)}`;
const ANTHROPIC = `sk-ant-api03-${rand(B64URL, 93)}AA`;
const PEM_BODY = Array.from({ length: 6 }, (_, i) => rand(B64, 64, i + 1)).join('\n');

describe('secretsDetector: one finding per secret kind, with the raw match and a typed placeholder', () => {
  it.each([
    ['aws-access-key', `key id ${AWS_ID} for the deploy user`, AWS_ID],
    ['aws-access-key', `temporary ASIA${rand(UPPER_DIGITS, 16, 2)}.`, `ASIA${rand(UPPER_DIGITS, 16, 2)}`],
    ['aws-secret-key', `aws_secret_access_key = ${AWS_SECRET}\n`, AWS_SECRET],
    ['aws-secret-key', `{"SecretAccessKey": "${AWS_SECRET}"}`, AWS_SECRET],
    ['github-token', `token: ${GH}`, GH],
    ['github-token', `github_pat_${rand(ALNUM, 22)}_${rand(ALNUM, 59, 4)}`, `github_pat_${rand(ALNUM, 22)}_${rand(ALNUM, 59, 4)}`],
    ['openai-api-key', `OPENAI_API_KEY=${OPENAI}`, OPENAI],
    ['openai-api-key', `use sk-${rand(ALNUM, 48)} here`, `sk-${rand(ALNUM, 48)}`],
    ['anthropic-api-key', `ANTHROPIC_API_KEY="${ANTHROPIC}"`, ANTHROPIC],
    ['slack-token', 'bot xoxb-2401234567-4012345678901-' + rand(ALNUM, 24), 'xoxb-2401234567-4012345678901-' + rand(ALNUM, 24)],
    [
      'slack-webhook',
      `post to https://hooks.slack.com/services/T0${rand(UPPER_DIGITS, 8)}/B0${rand(UPPER_DIGITS, 8)}/${rand(ALNUM, 24)}`,
      `https://hooks.slack.com/services/T0${rand(UPPER_DIGITS, 8)}/B0${rand(UPPER_DIGITS, 8)}/${rand(ALNUM, 24)}`,
    ],
    ['stripe-key', `stripe: sk_live_${rand(ALNUM, 24)}`, `sk_live_${rand(ALNUM, 24)}`],
    ['stripe-key', `restricted rk_live_${rand(ALNUM, 24)}`, `rk_live_${rand(ALNUM, 24)}`],
    ['google-api-key', `?key=AIza${rand(B64URL, 35)}&q=1`, `AIza${rand(B64URL, 35)}`],
    ['jwt', `session=${jwt({ alg: 'HS256', typ: 'JWT' })};`, jwt({ alg: 'HS256', typ: 'JWT' })],
    [
      'database-url',
      'DATABASE_URL=postgres://app:S3cr3t-Pa55@db.internal:5432/prod?sslmode=require',
      'postgres://app:S3cr3t-Pa55@db.internal:5432',
    ],
    ['database-url', 'mongodb+srv://admin:hunter2x@cluster0.ab1cd.mongodb.net/test', 'mongodb+srv://admin:hunter2x@cluster0.ab1cd.mongodb.net'],
    ['database-url', 'redis://:Zq7pLw2x@cache:6379/0', 'redis://:Zq7pLw2x@cache:6379'],
    ['database-url', 'postgresql://ops:Vq8#mZ2?pL@10.1.2.3:5432/db', 'postgresql://ops:Vq8#mZ2?pL@10.1.2.3:5432'],
    ['database-url', 'mysql://root:r00tPw!@10.0.0.5/app', 'mysql://root:r00tPw!@10.0.0.5'],
    ['database-url', 'amqps://guest:Gu3st_9xY@mq.example.net/vhost', 'amqps://guest:Gu3st_9xY@mq.example.net'],
    ['bearer-token', `curl -H "Authorization: Bearer ${rand(B64URL, 40)}"`, rand(B64URL, 40)],
    ['bearer-token', `Authorization: Basic ${Buffer.from('deploy:Xk29vLq!').toString('base64')}`, Buffer.from('deploy:Xk29vLq!').toString('base64')],
    ['generic-secret', 'password=Tr0ub4dor&3xq', 'Tr0ub4dor&3xq'],
    ['generic-secret', '{"api_key": "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee"}', '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee'],
  ])('%s in %j', (kind, text, secret) => {
    const findings = secretsDetector.inspect(ctx([text]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: `secrets/${kind}`,
      severity: kind === 'generic-secret' ? 'medium' : 'high',
      path: 'content[0].text',
      match: secret,
      replacement: `[REDACTED:${kind}]`,
    });
    expect(text).toContain(secret);
  });
});

describe('private keys are matched whole', () => {
  it.each(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])(
    '%s, BEGIN line through END line, critical',
    (label) => {
      const pem = `-----BEGIN ${label}-----\n${PEM_BODY}\n-----END ${label}-----`;
      const [finding, ...rest] = secretsDetector.inspect(ctx([`here is the key:\n${pem}\nkeep it safe`]));
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ rule: 'secrets/private-key', severity: 'critical', match: pem, replacement: '[REDACTED:private-key]' });
    },
  );

  it('inside JSON with escaped newlines (a service-account file)', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n`;
    const raw = `{"type": "service_account", "private_key": "${pem}"}`;
    const [finding] = secretsDetector.inspect(ctx([raw]));
    expect(finding?.match).toBe(pem.slice(0, -2));
  });

  it('keeps the body when the END line is missing (truncated output)', () => {
    const raw = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n${PEM_BODY}\n\n"}`;
    const [finding] = secretsDetector.inspect(ctx([raw]));
    expect(finding?.match).toBe(`-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n${PEM_BODY}`);
  });

  it('ignores templates without key material and public keys', () => {
    expect(rules('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----')).toEqual([]);
    expect(rules(`-----BEGIN PUBLIC KEY-----\n${PEM_BODY}\n-----END PUBLIC KEY-----`)).toEqual([]);
  });
});

describe('documented examples, placeholders and look-alikes are not secrets', () => {
  it.each([
    ['AWS example key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['AWS example secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['x placeholder', 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['X placeholder', 'export OPENAI_API_KEY=sk-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
    ['dotted sk', 'set OPENAI_API_KEY to sk-... from the dashboard'],
    ['angle placeholder', 'Authorization: Bearer <your-key>'],
    ['your- placeholder', 'api_key=your-api-key-goes-here-123'],
    ['env reference', 'password=${DB_PASSWORD} and token: $GITHUB_TOKEN'],
    ['slack doc webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['doc database url', 'postgres://user:password@localhost:5432/mydb'],
    ['templated database url', 'postgresql://app:${PGPASSWORD}@db/app'],
    ['database url without password', 'postgres://app@db.internal:5432/prod'],
    ['git sha', 'commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)'],
    ['sha256', 'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['uuid', 'request id 550e8400-e29b-41d4-a716-446655440000 completed'],
    ['lockfile integrity', `"integrity": "sha512-${rand(B64, 86)}=="`],
    ['npm version', '"js-tokens": "^4.0.0", "secret-handshake": "1.1.20"'],
    ['token counts', '{"max_tokens": 1024, "prompt_tokens": 87123, "completion_tokens": 9}'],
    ['password field about a password', 'password_hint: Fav0rite-colour!, token_url=https://oauth2.example.com/t0ken'],
    ['code calling a function', 'password = getPasswordFromVault2(user)'],
    ['low-entropy password', 'password=hunter2'],
    ['words after bearer', 'Bearer authentication is described in RFC 6750.'],
    ['jwt-shaped without alg', `${Buffer.from('{"typ":"x"}').toString('base64url')}.eyJzdWIiOiIxIn0.${rand(B64URL, 30)}`],
    ['stripe test key', `sk_test_${rand(ALNUM, 24)}`],
    ['css slug after sk-', 'class="sk-circle-bounce-animation-container"'],
    ['base64 image', `<img src="data:image/png;base64,iVBORw0KGgo${rand(B64, 4000, 9)}">`],
    ['task ids', 'task-8f3a2b1c4d5e6f7a8b9c0d1e2f3a4b5c'],
    ['placeholders are idempotent', 'key [REDACTED:aws-access-key] and password=[REDACTED:generic-secret]'],
  ])('%s', (_name, text) => {
    expect(rules(text)).toEqual([]);
  });
});

describe('scope and bookkeeping', () => {
  it('reads prose in both directions and never names or arguments', () => {
    const text = `key ${AWS_ID}`;
    expect(secretsDetector.inspect(ctx([text], 'prose', 'to_upstream'))).toHaveLength(1);
    expect(secretsDetector.inspect(ctx([text], 'name'))).toEqual([]);
    expect(secretsDetector.inspect(ctx([text], 'argument', 'to_upstream'))).toEqual([]);
    expect(secretsDetector).toMatchObject({ id: 'secrets', phase: 'call', methods: '*' });
    expect(secretsDetector.directions).toEqual(['to_client', 'to_upstream']);
  });

  it('reports a repeated secret once per field and keeps fields apart', () => {
    const findings = secretsDetector.inspect(ctx([`${GH} and again ${GH}`, `other ${GH}`]));
    expect(findings.map((f) => f.path)).toEqual(['content[0].text', 'content[1].text']);
  });

  it('reports a JWT after Bearer once, as a JWT', () => {
    const token = jwt({ alg: 'RS256', kid: 'k1' });
    expect(rules(`Authorization: Bearer ${token}`)).toEqual(['secrets/jwt high']);
  });

  it('reports a vendor key assigned to a secret-named key once, as the vendor key', () => {
    expect(rules(`api_key: "${GH}"`)).toEqual(['secrets/github-token high']);
  });

  it('finds several kinds in one field, in text order', () => {
    const hits = findSecrets(`a ${GH} b ${AWS_ID} c`);
    expect(hits.map((h) => h.pattern.kind)).toEqual(['github-token', 'aws-access-key']);
  });

  it('does not match secrets glued inside longer tokens', () => {
    expect(rules(`X${AWS_ID}`)).toEqual([]);
    expect(rules(`${AWS_ID}Z`)).toEqual([]);
  });

  it('scans a 1 MiB result quickly', () => {
    const big = `${rand(`${ALNUM} \n.,:;=-_/"'{}`, 1 << 20, 13)} ${GH}`;
    const started = performance.now();
    const findings = secretsDetector.inspect(ctx([big]));
    const elapsed = performance.now() - started;
    expect(findings.some((f) => f.match === GH)).toBe(true);
    expect(elapsed).toBeLessThan(1000); // generous bound for a loaded CI machine; the benchmark tracks the real figure
  });
});
