// The first flight of an incremental change as one statement (the server spends a fixed round of
// work on every statement, more than these parts cost it): takes the network lock, deletes again the
// links a tombstone names, flags the connectors that just became hubs, and reads the link-graph step
// of the change's own members (after the flags, so it already passes over new hubs). Each part is
// the statement of that name, run in this order; one row: the lock's columns, `suppressed`, `hubs`
// (flag-new-hubs rows) and `steps` (neighbours rows).
CALL () {
  {{include networks/lock}}
}
CALL () {
  {{include networks/suppress-tombstoned-links}}
}
CALL () {
  CALL () {
    {{include networks/flag-new-hubs}}
  }
  RETURN collect({member: member, network: network}) AS hubs
}
CALL () {
  CALL () {
    {{include networks/neighbours}}
  }
  RETURN collect({member: member, network: network, others: others, networks: networks}) AS steps
}
RETURN holder, expiresAt, pending, tombstones, suppressed, hubs, steps
