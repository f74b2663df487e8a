// Turns the ISO strings the rest of the node speaks into Neo4j temporal values, so statements
// receive ready values instead of parsing text row by row (datetime() in Cypher is costly on
// bulk writes). Instants are kept in UTC; calendar dates stay dates.
import neo4j from 'neo4j-driver';

export type Neo4jDateTime = ReturnType<typeof neo4j.types.DateTime.fromStandardDate>;
export type Neo4jDate = ReturnType<typeof neo4j.types.Date.fromStandardDate>;

// A batch converts the same instant for every node and link of a record (and records observed
// together share it): the driver's DateTime checks and converts each of its eight fields, so the
// last few hundred conversions are kept. DateTimes are frozen: one value can serve every row.
const recentDateTimes = new Map<string, Neo4jDateTime>();
const RECENT_LIMIT = 512;

/** An ISO 8601 instant ("2025-03-01T08:00:00Z", any offset) as a UTC DateTime. */
export function toDateTime(iso: string): Neo4jDateTime {
  const known = recentDateTimes.get(iso);
  if (known) return known;
  const value = parseDateTime(iso);
  if (recentDateTimes.size >= RECENT_LIMIT) recentDateTimes.clear();
  recentDateTimes.set(iso, value);
  return value;
}

function parseDateTime(iso: string): Neo4jDateTime {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 date-time: ${JSON.stringify(iso)}`);
  const d = new Date(ms);
  return new neo4j.types.DateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds() * 1_000_000,
    0,
  );
}

/** A calendar date ("YYYY-MM-DD") as a Date. */
export function toDate(ymd: string): Neo4jDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(ymd)}`);
  return new neo4j.types.Date(Number(m[1]), Number(m[2]), Number(m[3]));
}
