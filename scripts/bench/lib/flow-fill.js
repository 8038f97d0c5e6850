// The flow store filled for the flow scenarios (flows.js, flows-redis.js): `fingerprint(n)` gives 16 hex
// digits unique per n (a scrambled half and n itself), and FILL_SQL inserts the same fingerprints for
// n = 0 … @count - 1 into the SQLite flow log in one statement (a million `remember` calls take minutes).
export const fingerprint = (n) => `${((n * 2654435761) % 4294967296).toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`;

export const FILL_SQL = `WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < @count - 1)
  INSERT INTO flows (fingerprint, origin, time)
  SELECT printf('%08x%08x', (x * 2654435761) % 4294967296, x),
    '{"upstream":"bench","method":"tools/call","tool":"read","session":"s-' || (x % 100) || '","principal":"user:bench"}', @time FROM n`;
