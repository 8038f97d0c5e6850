export { serveHttp } from './http.js';
export type { HttpFrontDoor, HttpFrontDoorOptions } from './http.js';
export { serveStdio } from './stdio.js';
export type { StdioFrontDoor } from './stdio.js';
export { LineTransport } from './line-transport.js';
export type { SessionEventStores } from './legacy-sessions.js';
export { writeStatusFiles, readStatusFiles } from './status-file.js';
export type { StatusSource, StatusWriter } from './status-file.js';
