// The image's HEALTHCHECK (issue 13): GET /readyz on the port the gateway was configured with — the
// same WATCHDOG_PORT (and WATCHDOG_HOST) the entrypoint and docker/watchdog.yaml use — and healthy
// only on 200, so "up but nothing ready" is unhealthy. No curl/wget in the slim image; Node's fetch is.
// An admin token, when the admin endpoints need one, comes from WATCHDOG_ADMIN_TOKEN, else the first of
// WATCHDOG_ADMIN_TOKENS (the gateway's own list, docker/watchdog.yaml). Prints the reason for
// `docker inspect` and exits 0 (healthy) or 1 (unhealthy); the token itself is never printed.
const env = process.env;
const port = env.WATCHDOG_PORT || '8765';
const bound = env.WATCHDOG_HOST || '0.0.0.0';
const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound;
const url = `http://${host}:${port}/readyz`;
const token = env.WATCHDOG_ADMIN_TOKEN || (env.WATCHDOG_ADMIN_TOKENS || '').split(',').map((t) => t.trim()).find((t) => t !== '');
const headers = token ? { authorization: `Bearer ${token}` } : {};

try {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(4000) });
  console.log(`${url}: ${response.status}`);
  process.exit(response.status === 200 ? 0 : 1);
} catch (err) {
  console.log(`${url}: ${err instanceof Error ? (err.cause?.code ?? err.message) : String(err)}`);
  process.exit(1);
}
