/**
 * Own-property reads for objects keyed by outside input (client messages, upstream messages, config
 * keys, command lines). `obj[key]` also finds Object.prototype's members, so a key such as
 * `constructor`, `toString` or `__proto__` would reach a function of the runtime instead of "absent"
 * (issue 7, item 1: `method: "constructor"` returned the Gateway object itself). Tables built in code
 * and keyed by input are Maps; objects that come from outside are read through this.
 */

/** `obj[key]` when `obj` is a non-null object that owns `key`; otherwise undefined. */
export function ownValue<T = unknown>(obj: unknown, key: PropertyKey): T | undefined {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? ((obj as Record<PropertyKey, unknown>)[key] as T) : undefined;
}

/** Whether `obj` owns `key` (never true for an inherited member). */
export function ownsKey(obj: unknown, key: PropertyKey): boolean {
  return obj !== null && (typeof obj === 'object' || typeof obj === 'function') && Object.prototype.hasOwnProperty.call(obj, key);
}
