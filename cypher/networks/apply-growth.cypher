// The writes of a growth as one statement (the server spends a fixed round of work on every
// statement): absorbs merged networks into their survivors, puts members into networks, then
// refreshes the summaries of the networks the change leaves. Each part is the statement of that
// name, run in this order, so the summaries count the final members; one row per refreshed network
// (the refresh-summaries columns), none when $ids is empty.
CALL () {
  {{include networks/absorb-networks}}
}
CALL () {
  {{include networks/assign-members}}
}
CALL () {
  {{include networks/refresh-summaries}}
}
RETURN id, size, sellers, platformCount, cases, actions, activeAfterTakedown, sharedFactories
