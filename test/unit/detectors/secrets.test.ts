import { describe, expect, it } from 'vitest';
import type { Direction } from '../../../src/core/index.js';
import type { DetectorContext, Field, FieldRole } from '../../../src/pipeline/types.js';
import { findSecrets, secretsDetector } from '../../../src/detectors/secrets.js';
import { entropyOfAnyText, shannonEntropy } from '../../../src/detectors/secrets/secret-values.js';

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
      severity: 'high',
      path: 'content[0].text',
      match: secret,
      replacement: `[REDACTED:${kind}]`,
    });
    expect(text).toContain(secret);
  });
});

const HEX = '0123456789abcdef';
const LOWER_ALPHA = 'abcdefghijklmnopqrstuvwxyz';
const DISCORD = `${Buffer.from('712345678901234567').toString('base64url')}.${rand(B64URL, 6, 31)}.${rand(B64URL, 38, 32)}`;
const AZURE_KEY = `${rand(B64, 86, 33)}==`;

/** Issue 12: vendor shapes; each key is built at run time from a seed. */
const VENDOR_CASES: [string, string, string][] = [
  ['npm-token', `//registry.npmjs.org/:_authToken=npm_${rand(ALNUM, 36, 41)}`, `npm_${rand(ALNUM, 36, 41)}`],
  ['pypi-token', `password = pypi-AgEIcHlwaS5vcmc${rand(B64URL, 120, 42)}`, `pypi-AgEIcHlwaS5vcmc${rand(B64URL, 120, 42)}`],
  ['sendgrid-key', `SENDGRID=SG.${rand(B64URL, 22, 43)}.${rand(B64URL, 43, 44)}`, `SG.${rand(B64URL, 22, 43)}.${rand(B64URL, 43, 44)}`],
  ['twilio-api-key', `api key sid SK${rand(HEX, 32, 45)} created`, `SK${rand(HEX, 32, 45)}`],
  ['vault-token', `VAULT_TOKEN is hvs.${rand(ALNUM, 90, 46)}`, `hvs.${rand(ALNUM, 90, 46)}`],
  ['datadog-key', `DD_API_KEY=${rand(HEX, 32, 47)}`, rand(HEX, 32, 47)],
  ['datadog-key', `datadog_app_key: "${rand(HEX, 40, 48)}"`, rand(HEX, 40, 48)],
  ['supabase-key', `SUPABASE_SECRET=sb_secret_${rand(B64URL, 31, 49)}`, `sb_secret_${rand(B64URL, 31, 49)}`],
  ['supabase-key', `supabase login --token sbp_${rand(HEX, 40, 50)}`, `sbp_${rand(HEX, 40, 50)}`],
  ['azure-storage-key', `DefaultEndpointsProtocol=https;AccountName=billing;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`, AZURE_KEY],
  ['azure-storage-key', `AZURE_STORAGE_KEY=${AZURE_KEY}`, AZURE_KEY],
  ['azure-shared-access-key', `Endpoint=sb://ops.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${rand(B64, 43, 51)}=`, `${rand(B64, 43, 51)}=`],
  ['slack-app-token', `xapp-1-A0${rand(UPPER_DIGITS, 9, 52)}-${rand('0123456789', 13, 53)}-${rand(HEX, 64, 54)}`, `xapp-1-A0${rand(UPPER_DIGITS, 9, 52)}-${rand('0123456789', 13, 53)}-${rand(HEX, 64, 54)}`],
  ['discord-bot-token', `client.login('${DISCORD}')`, DISCORD],
  ['discord-webhook', `https://discord.com/api/webhooks/123456789012345678/${rand(B64URL, 68, 55)}`, `https://discord.com/api/webhooks/123456789012345678/${rand(B64URL, 68, 55)}`],
  ['gitlab-token', `GITLAB_TOKEN=glpat-${rand(B64URL, 20, 56)}`, `glpat-${rand(B64URL, 20, 56)}`],
  ['huggingface-token', `HF_TOKEN=hf_${rand(`${LOWER_ALPHA}ABCDEFGHIJKLMNOPQRSTUVWXYZ`, 34, 57)}`, `hf_${rand(`${LOWER_ALPHA}ABCDEFGHIJKLMNOPQRSTUVWXYZ`, 34, 57)}`],
  ['shopify-token', `shpat_${rand(HEX, 32, 58)}`, `shpat_${rand(HEX, 32, 58)}`],
  ['digitalocean-token', `doctl auth init -t dop_v1_${rand(HEX, 64, 59)}`, `dop_v1_${rand(HEX, 64, 59)}`],
  ['age-secret-key', `AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58, 60)}`, `AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58, 60)}`],
  ['postman-api-key', `PMAK-${rand(HEX, 24, 61)}-${rand(HEX, 34, 62)}`, `PMAK-${rand(HEX, 24, 61)}-${rand(HEX, 34, 62)}`],
  ['grafana-token', `glsa_${rand(ALNUM, 32, 63)}_${rand(HEX, 8, 64)}`, `glsa_${rand(ALNUM, 32, 63)}_${rand(HEX, 8, 64)}`],
  ['sentry-token', `SENTRY_AUTH_TOKEN=sntryu_${rand(HEX, 64, 65)}`, `sntryu_${rand(HEX, 64, 65)}`],
  ['linear-api-key', `lin_api_${rand(ALNUM, 40, 66)}`, `lin_api_${rand(ALNUM, 40, 66)}`],
  ['doppler-token', `DOPPLER_TOKEN=dp.st.${rand(ALNUM, 43, 67)}`, `dp.st.${rand(ALNUM, 43, 67)}`],
  ['pulumi-token', `PULUMI_ACCESS_TOKEN=pul-${rand(HEX, 40, 68)}`, `pul-${rand(HEX, 40, 68)}`],
  ['perplexity-api-key', `pplx-${rand(ALNUM, 48, 69)}`, `pplx-${rand(ALNUM, 48, 69)}`],
  ['new-relic-key', `NRAK-${rand(UPPER_DIGITS, 27, 70)}`, `NRAK-${rand(UPPER_DIGITS, 27, 70)}`],
  ['databricks-token', `DATABRICKS_TOKEN=dapi${rand(HEX, 32, 71)}`, `dapi${rand(HEX, 32, 71)}`],
  ['atlassian-token', `ATATT3${rand(B64URL, 180, 72)}`, `ATATT3${rand(B64URL, 180, 72)}`],
  ['heroku-key', `HRKU-AA${rand(B64URL, 58, 73)}`, `HRKU-AA${rand(B64URL, 58, 73)}`],
  ['telegram-bot-token', `bot token 7012345678:AA${rand(B64URL, 33, 74)} for the alerts`, `7012345678:AA${rand(B64URL, 33, 74)}`],
  ['notion-token', `NOTION_KEY=ntn_${rand(ALNUM, 46, 90)}`, `ntn_${rand(ALNUM, 46, 90)}`],
  ['planetscale-token', `pscale_pw_${rand(B64URL, 43, 91)}`, `pscale_pw_${rand(B64URL, 43, 91)}`],
  ['brevo-key', `xkeysib-${rand(HEX, 64, 92)}-${rand(ALNUM, 16, 93)}`, `xkeysib-${rand(HEX, 64, 92)}-${rand(ALNUM, 16, 93)}`],
  ['onepassword-token', `OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ${rand(B64, 300, 94)}`, `ops_eyJ${rand(B64, 300, 94)}`],
  ['flyio-token', `FLY_API_TOKEN=fo1_${rand(B64URL, 43, 95)}`, `fo1_${rand(B64URL, 43, 95)}`],
  ['rubygems-key', `GEM_HOST_API_KEY: rubygems_${rand(HEX, 48, 96)}`, `rubygems_${rand(HEX, 48, 96)}`],
  ['clojars-token', `CLOJARS_${rand('abcdefghijklmnopqrstuvwxyz0123456789', 60, 97)}`, `CLOJARS_${rand('abcdefghijklmnopqrstuvwxyz0123456789', 60, 97)}`],
  ['shippo-key', `shippo_live_${rand(HEX, 40, 98)}`, `shippo_live_${rand(HEX, 40, 98)}`],
  ['typeform-token', `tfp_${rand(ALNUM, 59, 99)}`, `tfp_${rand(ALNUM, 59, 99)}`],
  ['dynatrace-token', `dt0c01.${rand(UPPER_DIGITS, 24, 100)}.${rand(UPPER_DIGITS, 64, 101)}`, `dt0c01.${rand(UPPER_DIGITS, 24, 100)}.${rand(UPPER_DIGITS, 64, 101)}`],
  ['square-token', `sq0atp-${rand(B64URL, 22, 102)}`, `sq0atp-${rand(B64URL, 22, 102)}`],
  ['artifactory-key', `X-JFrog-Art-Api: AKCp${rand(ALNUM, 69, 103)}`, `AKCp${rand(ALNUM, 69, 103)}`],
  ['infracost-key', `INFRACOST_API_KEY=ico-${rand(ALNUM, 32, 104)}`, `ico-${rand(ALNUM, 32, 104)}`],
  ['terraform-cloud-token', `token = "${rand('abcdefghijklmnopqrstuvwxyz0123456789', 14, 105)}.atlasv1.${rand(B64URL, 67, 106)}"`, `${rand('abcdefghijklmnopqrstuvwxyz0123456789', 14, 105)}.atlasv1.${rand(B64URL, 67, 106)}`],
  ['generic-secret', `PAYMENTS_API_KEY=${rand(ALNUM, 32, 75)}`, rand(ALNUM, 32, 75)],
  ['generic-secret', `private_key = "${rand(B64, 44, 76)}"`, rand(B64, 44, 76)],
];

describe('secretsDetector: vendor shapes (issue 12)', () => {
  it.each(VENDOR_CASES)('%s in %j', (kind, text, secret) => {
    const findings = secretsDetector.inspect(ctx([text]));
    expect(findings.map((f) => [f.rule, f.severity, f.match])).toEqual([[`secrets/${kind}`, 'high', secret]]);
  });

  it.each([
    ['npm environment variables', 'npm_config_cache=/home/ci/.npm npm_package_version=1.2.3 npm_lifecycle_event=test'],
    ['npm token placeholder', '//registry.npmjs.org/:_authToken=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
    ['pypi package names', 'pip install pypi-simple pypi-attestations; see pypi-AgE... in the docs'],
    ['sendgrid-looking method chains', 'msg.SG.send(); SG.helpers.mail.Mail'],
    ['twilio account sid (not secret)', `account AC${rand(HEX, 32, 80)}`],
    ['SK followed by words', 'SKIP_TESTS=1 SKU-12345 SKELETONkey'],
    ['vault short names', 'hvs.example.com and hvb.yaml'],
    ['datadog site and tags', 'DD_SITE=datadoghq.eu DD_API_KEY=${DD_API_KEY} dd_app_key: <your-key>'],
    ['supabase publishable key', `sb_publishable_${rand(B64URL, 31, 81)}`],
    ['azure emulator key', `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURE_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`],
    ['azure key name only', 'SharedAccessKeyName=RootManageSharedAccessKey;AccountKey=<key>'],
    ['discord-shaped dotted ids', `${Buffer.from('4ever-young-and-free-now').toString('base64url')}.${rand(B64URL, 6, 82)}.${rand(B64URL, 30, 83)} is not a snowflake; NzE.abc.def`],
    ['discord webhook doc', 'https://discord.com/api/webhooks/{webhook.id}/{webhook.token}'],
    ['gitlab words', 'gldt-token glpat-xxxxxxxxxxxxxxxxxxxx glrt-runner'],
    ['hugging face identifiers', 'hf_hub_download(repo_id) hf_transfer hf_xet'],
    ['shopify words', 'shpat_ shpss_token'],
    ['age public key', `age1${rand('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58, 84)}`],
    ['pulumi words', 'pul-request pul-12'],
    ['telegram-like times', 'meeting 1234567890:AA at noon'],
    ['doppler words', 'dp.pt.example and dp.st.'],
    ['notion and favicon words', 'ntn_config favico-small ico-pack tfp_form fo1_x'],
    ['planetscale and terraform words', 'pscale_pw_ is printed once; app.atlasv1.example'],
    ['generic low-entropy', 'PAYMENTS_API_KEY=changeme private_key = "..."'],
  ])('%s', (_name, text) => {
    expect(rules(text)).toEqual([]);
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

  it('inside JSON with escaped newlines', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n`;
    const [finding] = secretsDetector.inspect(ctx([`{"private_key": "${pem}"}`]));
    expect(finding).toMatchObject({ rule: 'secrets/private-key', match: pem.slice(0, -2) });
  });

  it('in a GCP service-account file, the key and its id, as the service-account key', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n`;
    const keyId = rand('0123456789abcdef', 40, 21);
    const raw = `{\n  "type": "service_account",\n  "project_id": "billing-prod",\n  "private_key_id": "${keyId}",\n  "private_key": "${pem}",\n  "client_email": "ci@billing-prod.iam.gserviceaccount.com"\n}`;
    const findings = secretsDetector.inspect(ctx([raw]));
    expect(findings.map((f) => [f.rule, f.severity, f.match])).toEqual([
      ['secrets/gcp-service-account', 'critical', keyId],
      ['secrets/gcp-service-account', 'critical', pem.slice(0, -2)],
    ]);
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
  it('reads prose and arguments in both directions and both phases, never names', () => {
    const text = `key ${AWS_ID}`;
    expect(secretsDetector.inspect(ctx([text], 'prose', 'to_upstream'))).toHaveLength(1);
    expect(secretsDetector.inspect(ctx([text], 'name'))).toEqual([]);
    expect(secretsDetector.inspect(ctx([text], 'argument', 'to_upstream'))).toHaveLength(1);
    expect(secretsDetector).toMatchObject({ id: 'secrets', phase: 'both', methods: '*' });
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

describe('entropy (issue 12, Speed)', () => {
  it('the ASCII fast path gives the same bits as the definition by code point', () => {
    const values = ['a', 'aaaaaaab', 'AKIAIOSFODNN7EXAMPLE', 'ghp_x7Kq2Lm9Pz4Rt8Vw1Ny6Bc3Hd5Jf0Gs', 'sk-proj-AbC123/+=_-.xyz', 'pässwörd-ÄÖÜ-2024', 'key😀😀value'];
    for (let i = 0; i < 200; i++) values.push(Array.from({ length: 1 + ((i * 37) % 120) }, (_, k) => String.fromCharCode(33 + ((k * k + i * 7) % 94))).join(''));
    for (const v of values) expect(Object.is(shannonEntropy(v), entropyOfAnyText(v)), v).toBe(true);
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('patterns that need their anchors (issue 12, Speed)', () => {
  it('find nothing once their own anchors are taken out of the scan, so findSecrets may skip them', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseGolden } = await import('./golden-format.js');
    const { SECRET_PATTERNS, scanAnchors } = await import('../../../src/detectors/secrets/secret-patterns.js');
    const dir = join(import.meta.dirname, '../../golden/detectors/secrets');
    const inputs = readdirSync(dir).map((f) => parseGolden(readFileSync(join(dir, f), 'utf8')).input);
    let found = 0;
    for (const raw of inputs) {
      const full = scanAnchors(raw);
      for (const pattern of SECRET_PATTERNS) {
        if (pattern.anchors.length === 0) continue;
        found += pattern.find(raw, () => full).length;
        const hits = full.hits.filter((h) => !pattern.anchors.includes(h.word));
        const without = { hits, byWord: new Map([...full.byWord].filter(([w]) => !pattern.anchors.includes(w))), seen: new Set(hits.map((h) => raw.slice(h.index, h.index + h.word.length))) };
        expect(pattern.find(raw, () => without), `${pattern.kind} in ${raw.slice(0, 60)}`).toEqual([]);
      }
    }
    expect(found).toBeGreaterThan(40);
  });
});
