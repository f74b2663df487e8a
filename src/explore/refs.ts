// Relay global ids of graph nodes → how the Cypher statements address them: a record by uid
// ("<Type>:<natural key>") or an identifier by kind + normalized key.
import { identifierKindOfLabel, isEntityLabel, type NodeIdentifierKind } from '../graph/model.js';
import { BadUserInputError } from '../server/errors.js';
import { fromGlobalId } from '../server/relay.js';

export type GraphRef = { uid: string } | { kind: NodeIdentifierKind; key: string };

/** The graph node a global id names; BAD_USER_INPUT naming `argument` when it names none. */
export function refOfId(id: string, argument: string): GraphRef {
  let parsed: { type: string; key: string };
  try {
    parsed = fromGlobalId(id);
  } catch {
    throw new BadUserInputError(`${argument} is not a valid id`, { argument });
  }
  if (isEntityLabel(parsed.type)) return { uid: `${parsed.type}:${parsed.key}` };
  const kind = identifierKindOfLabel(parsed.type);
  if (kind) return { kind, key: parsed.key };
  throw new BadUserInputError(`${argument} is not the id of a graph node`, { argument });
}

/** The parameters a statement addressing one node takes ($uid, $kind, $key). */
export function refParams(ref: GraphRef): {
  uid: string | null;
  kind: string | null;
  key: string | null;
} {
  return {
    uid: 'uid' in ref ? ref.uid : null,
    kind: 'kind' in ref ? ref.kind : null,
    key: 'key' in ref ? ref.key : null,
  };
}
