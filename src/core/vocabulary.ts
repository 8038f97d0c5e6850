/**
 * Ground vocabulary every layer speaks (issue 8 item 10): the product's name and version, a JSON
 * object, and the protocol's method sets that more than one layer names. One definition each.
 */

/** How the gateway introduces itself (serverInfo, clientInfo, logs). `test/unit/core` ties the version to package.json. */
export const PRODUCT_NAME = 'mcp-watchdog';
export const PRODUCT_VERSION = '0.1.0';

/** A JSON object as relayed: fields are kept verbatim, never re-validated. */
export type Json = Record<string, unknown>;

/** Server→client request methods and the client capability each needs. */
export const PUSH_METHODS = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' } as const;
export type PushMethod = keyof typeof PUSH_METHODS;

/** Methods whose payloads are catalog listings (the `list` phase of detectors), `initialize` included. */
export const LIST_METHODS: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'initialize']);
