// SDK clients for the benchmark: the same client library for every contender, so only the server side differs.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** era: 'legacy' (a 2025-11-25 session) or 'modern' (auto negotiation, which gives 2026-07-28 against a server that offers it; the client's default would stay legacy). */
export async function connectHttp(url, era = 'legacy') {
  const client = new Client({ name: 'bench', version: '1.0.0' }, { capabilities: {} });
  client.setVersionNegotiation({ mode: era === 'legacy' ? 'legacy' : 'auto' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** A stdio child's client; `pid` is the child's process id. */
export async function connectStdio(command, args) {
  const client = new Client({ name: 'bench', version: '1.0.0' }, { capabilities: {} });
  client.setVersionNegotiation({ mode: 'legacy' });
  const transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
  await client.connect(transport);
  return Object.assign(client, { pid: transport.pid });
}

/** One `tools/call` of the blob tool; throws unless the answer has the size asked for. */
export async function callBlob(client, tool, bytes) {
  const result = await client.callTool({ name: tool, arguments: { bytes } });
  const text = result.content?.[0]?.text ?? '';
  if (result.isError || text.length !== bytes) throw new Error(`${tool}: unexpected answer (${result.isError ? 'error' : `${text.length} bytes`}): ${text.slice(0, 200)}`);
}
