/** The one glob matcher lives in core (policy keys here, tool filters in the gateway). */
export { globMatches, globToRegExp } from '../core/glob.js';
