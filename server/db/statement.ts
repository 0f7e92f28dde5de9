/**
 * Prepares a statement once per database handle. Preparing is the most expensive part of a small query
 * (the load test spent more time in prepare() than in running SQL), so hot repository functions use this.
 */
import type { Db } from './open';

export function once<T>(create: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = create(db);
      cache.set(db, value);
    }
    return value;
  };
}
