/**
 * Lookups and writes of user-named keys (package names, tags) in plain objects parsed from user
 * files: a key named like an inherited property (`constructor`, `__proto__`, `toString`) is an
 * entry like any other, never the prototype's.
 */

/** The record's own entry for `key`, or undefined (also when `record` is not an object). */
export function ownValue(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** The string-valued own entry for `key` of a name-to-string record (a manifest's `dependencies`). */
export function ownString(record: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  const value = ownValue(record, key);
  return typeof value === 'string' ? value : undefined;
}

/** Sets `record[key]` as an own, enumerable entry, `__proto__` included (a plain assignment would set the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
