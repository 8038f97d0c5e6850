// The flow store filled for the flow scenarios (flows.js, flows-redis.js): `fingerprint(n)` gives 16 hex
// digits unique per n (a scrambled half and n itself), and `fill` appends the same fingerprints for
// n = 0 … count - 1 to the SQLite flow log (migration 8: each fingerprint's 64-bit key and an origin id, 100
// origins, one per session) in one transaction of plain inserts (a million `remember` calls take minutes).
import { keyOf } from '../../../dist/store/fingerprint-table.js';

export const fingerprint = (n) => `${((n * 2654435761) % 4294967296).toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`;

export function fill(db, count, time) {
  const key = new Int32Array(2);
  db.transaction(() => {
    const origin = db.prepare('INSERT INTO flow_origins (origin, last) VALUES (?, ?) RETURNING id').pluck();
    const ids = Array.from({ length: 100 }, (_, s) => origin.get(JSON.stringify({ upstream: 'bench', method: 'tools/call', tool: 'read', session: `s-${s}`, principal: 'user:bench' }), time));
    const insert = db.prepare('INSERT INTO flows (hi, lo, origin, time) VALUES (?, ?, ?, ?)');
    for (let n = 0; n < count; n++) {
      keyOf(fingerprint(n), key);
      insert.run(key[0], key[1], ids[n % 100], time);
    }
  })();
}
