/**
 * Vendor token shapes with a distinctive prefix (issue 12, "Secrets"): registry tokens (npm, PyPI),
 * mail and messaging (SendGrid, Twilio, Discord, Telegram, Slack app tokens), infrastructure (HashiCorp
 * Vault, Supabase, GitLab, DigitalOcean, Doppler, Pulumi, Databricks, Heroku, Grafana, Sentry, New Relic,
 * Postman, Atlassian, Linear, Shopify, Notion, PlanetScale, Terraform Cloud, Fly.io, Dynatrace, Artifactory,
 * Infracost, 1Password), package registries (RubyGems, Clojars), commerce and mail (Square, Shippo, Brevo,
 * Typeform), AI platforms (Hugging Face, Perplexity) and age keys. Each shape is
 * the vendor's documented token format; a match must also look random (`accept`), so identifiers that share
 * a prefix (`npm_config_cache`, `hf_hub_download`) and documentation placeholders pass.
 *
 * Which of gitleaks' rules are left out, and why, is listed in the README ("Secrets").
 */
import { atPrefix, byKeyword, byRegex, withPrefix, type Accept, type SecretPattern } from './secret-finders.js';
import { isMixedAlphanumeric, isPlaceholder, shannonEntropy } from './secret-values.js';

/** Random enough for a token body: not a placeholder, with the entropy of random text. */
const random: Accept = (s) => isRandom(s);
function isRandom(s: string): boolean {
  return !isPlaceholder(s) && shannonEntropy(s) >= 3;
}
/** Base62 tokens: upper, lower and digits all present (rules out identifiers and words). */
const mixed: Accept = (s) => !isPlaceholder(s) && isMixedAlphanumeric(s);
const withDigits: Accept = (s) => !isPlaceholder(s) && /[0-9]/.test(s) && /[A-Za-z]/.test(s);

/** A Discord bot token opens with the bot's user id (a 17–20 digit snowflake) in base64url. */
export function isDiscordToken(token: string): boolean {
  const id = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('latin1');
  return /^[1-9][0-9]{16,19}$/.test(id) && !isPlaceholder(token);
}

function prefixed(kind: string, label: string, hints: readonly string[], regex: RegExp, accept: Accept): SecretPattern {
  return { kind, severity: 'high', label, anchors: hints.map((h) => h.toLowerCase()), find: atPrefix(hints, regex, accept) };
}

const GITLAB = ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'gloas-', 'glsoat-', 'glft-', 'glimt-', 'glagent-'];

export const VENDOR_PATTERNS: readonly SecretPattern[] = [
  prefixed('npm-token', 'npm access token', ['npm_'], /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, mixed),
  prefixed('pypi-token', 'PyPI upload token', ['pypi-'], /(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{60,1000}(?![A-Za-z0-9_-])/g, random),
  prefixed('sendgrid-key', 'SendGrid API key', ['SG.'], /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, mixed),
  prefixed('vault-token', 'HashiCorp Vault token', ['hvs.', 'hvb.'], /(?<![A-Za-z0-9_.-])hv[sb]\.[A-Za-z0-9_-]{24,300}(?![A-Za-z0-9_-])/g, mixed),
  prefixed('supabase-key', 'Supabase secret key or access token', ['sb_secret_', 'sbp_'],
    /(?<![A-Za-z0-9_-])(?:sb_secret_[A-Za-z0-9_-]{20,100}|sbp_[a-f0-9]{40})(?![A-Za-z0-9_-])/g, withDigits),
  prefixed('slack-app-token', 'Slack app-level token', ['xapp-'], /(?<![A-Za-z0-9_-])xapp-[0-9]-[A-Za-z0-9-]{20,250}(?![A-Za-z0-9_-])/g, withDigits),
  prefixed('gitlab-token', 'GitLab token', GITLAB,
    /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_.-]{20,300}(?![A-Za-z0-9_-])/g, withDigits),
  prefixed('huggingface-token', 'Hugging Face access token', ['hf_'], /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/g,
    (s) => !isPlaceholder(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && shannonEntropy(s) >= 3.5),
  prefixed('shopify-token', 'Shopify access token or shared secret', ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g, random),
  prefixed('digitalocean-token', 'DigitalOcean token', ['dop_v1_', 'doo_v1_', 'dor_v1_'], /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/g, random),
  prefixed('age-secret-key', 'age encryption secret key', ['AGE-SECRET-KEY-1'],
    /(?<![A-Za-z0-9_-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g, withDigits),
  prefixed('postman-api-key', 'Postman API key', ['PMAK-'], /(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])/g, random),
  prefixed('grafana-token', 'Grafana Cloud or service-account token', ['glc_', 'glsa_'],
    /(?<![A-Za-z0-9_])(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9_+/=])/g, mixed),
  prefixed('sentry-token', 'Sentry auth token', ['sntrys_', 'sntryu_'],
    /(?<![A-Za-z0-9_])(?:sntrys_eyJ[A-Za-z0-9+/=_-]{60,400}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9_+/=-])/g, random),
  prefixed('linear-api-key', 'Linear API key', ['lin_api_'], /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g, mixed),
  prefixed('doppler-token', 'Doppler token', ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
    /(?<![A-Za-z0-9_.-])dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9_])/g, mixed),
  prefixed('pulumi-token', 'Pulumi access token', ['pul-'], /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9])/g, random),
  prefixed('perplexity-api-key', 'Perplexity API key', ['pplx-'], /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])/g, mixed),
  prefixed('new-relic-key', 'New Relic user API key', ['NRAK-'], /(?<![A-Za-z0-9_-])NRAK-[A-Z0-9]{27}(?![A-Za-z0-9])/g, withDigits),
  prefixed('databricks-token', 'Databricks personal access token', ['dapi'], /(?<![A-Za-z0-9_-])dapi[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9])/g, random),
  prefixed('atlassian-token', 'Atlassian API token', ['ATATT3'], /(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_=-]{150,260}(?![A-Za-z0-9_=-])/g, mixed),
  prefixed('heroku-key', 'Heroku API key', ['HRKU-'], /(?<![A-Za-z0-9_-])HRKU-AA[A-Za-z0-9_-]{58}(?![A-Za-z0-9_-])/g, withDigits),
  prefixed('notion-token', 'Notion integration token', ['ntn_'], /(?<![A-Za-z0-9_])ntn_[A-Za-z0-9]{40,50}(?![A-Za-z0-9_])/g, mixed),
  prefixed('planetscale-token', 'PlanetScale token or password', ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'],
    /(?<![A-Za-z0-9_])pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/g, withDigits),
  prefixed('brevo-key', 'Brevo (Sendinblue) API key', ['xkeysib-'], /(?<![A-Za-z0-9_-])xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9])/g, random),
  prefixed('onepassword-token', '1Password service-account token', ['ops_eyJ'], /(?<![A-Za-z0-9_])ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3}(?![A-Za-z0-9+/=])/g, random),
  prefixed('flyio-token', 'Fly.io access token', ['fo1_'], /(?<![A-Za-z0-9_])fo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, mixed),
  prefixed('rubygems-key', 'RubyGems API key', ['rubygems_'], /(?<![A-Za-z0-9_])rubygems_[a-f0-9]{48}(?![A-Za-z0-9])/g, random),
  prefixed('clojars-token', 'Clojars deploy token', ['CLOJARS_'], /(?<![A-Za-z0-9_])CLOJARS_[a-z0-9]{60}(?![A-Za-z0-9])/g, withDigits),
  prefixed('shippo-key', 'Shippo live API token', ['shippo_live_'], /(?<![A-Za-z0-9_])shippo_live_[a-f0-9]{40}(?![A-Za-z0-9])/g, random),
  prefixed('typeform-token', 'Typeform personal access token', ['tfp_'], /(?<![A-Za-z0-9_])tfp_[A-Za-z0-9_.=-]{59}(?![A-Za-z0-9_.=-])/g, mixed),
  prefixed('dynatrace-token', 'Dynatrace API token', ['dt0c01.'], /(?<![A-Za-z0-9_.-])dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}(?![A-Za-z0-9])/g, withDigits),
  prefixed('square-token', 'Square access token or OAuth secret', ['sq0atp-', 'sq0csp-'],
    /(?<![A-Za-z0-9_-])(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g, mixed),
  prefixed('artifactory-key', 'JFrog Artifactory API key', ['AKCp'], /(?<![A-Za-z0-9])AKCp[A-Za-z0-9]{69}(?![A-Za-z0-9])/g, mixed),
  prefixed('infracost-key', 'Infracost API key', ['ico-'], /(?<![A-Za-z0-9_-])ico-[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, mixed),
  {
    kind: 'terraform-cloud-token',
    severity: 'high',
    label: 'Terraform Cloud / HCP Terraform API token',
    anchors: ['atlasv1.'],
    find: byKeyword(['atlasv1.'], withPrefix(/(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.$/, true, 16), /[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/y, withDigits),
  },
  {
    kind: 'telegram-bot-token',
    severity: 'high',
    label: 'Telegram bot token',
    anchors: [':aa'],
    find: byKeyword([':aa'], withPrefix(/[0-9]{8,10}$/, true), /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/y, withDigits),
  },
  {
    kind: 'discord-webhook',
    severity: 'high',
    label: 'Discord webhook URL',
    anchors: ['discord'],
    find: byKeyword(
      ['discord'],
      withPrefix(/https?:\/\/(?:(?:ptb|canary)\.)?$/i, false, 16),
      /(?:https?:\/\/(?:(?:ptb|canary)\.)?)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,100}/yi,
      (s) => !isPlaceholder(s),
    ),
  },
  {
    // No literal to hang on: the id segment begins with M, N or O (a snowflake's first digit in base64).
    kind: 'discord-bot-token',
    severity: 'high',
    label: 'Discord bot token',
    anchors: [],
    find: byRegex(/(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g, isDiscordToken, '.'),
  },
  {
    // Twilio API key SIDs (`SK` + 32 hex) are the secret half of a key pair; account SIDs (`AC…`) are not secret.
    kind: 'twilio-api-key',
    severity: 'high',
    label: 'Twilio API key',
    anchors: [],
    find: byRegex(/(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g, (s) => isRandom(s) && /[0-9]/.test(s.slice(2)) && /[a-fA-F]/.test(s.slice(2)), 'SK'),
  },
];
