// Enforces src/auth/matrix.ts in one place: before any resolver runs, every field the operation
// selects is checked against the caller's role; a refusal is FORBIDDEN (403) and nothing executes.
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { authorize, compilePolicy, type CompiledPolicy, type Denial } from '../auth/authorize.js';
import { MATRIX, type AccessMatrix } from '../auth/matrix.js';
import type { GraphQLContext, Principal } from './context.js';
import { ForbiddenError } from './errors.js';

export interface AuthorizationOptions {
  /** Whether __schema/__type may be selected at all (PALISADE_INTROSPECTION). */
  introspection: boolean;
  /** @default the written matrix */
  matrix?: AccessMatrix;
  onDenied?: (denial: Denial, principal: Principal) => void;
}

function messageFor(denial: Denial): string {
  switch (denial.reason) {
    case 'INTROSPECTION':
      return 'Introspection is not allowed';
    case 'SENSITIVE_FIELD':
    case 'HIDDEN_FROM_PEERS':
      return `${denial.coordinate} is not available to your role`;
    default:
      return `Your role may not use ${denial.coordinate}`;
  }
}

export function useAuthorization(options: AuthorizationOptions): Plugin<GraphQLContext> {
  const policies = new WeakMap<GraphQLSchema, CompiledPolicy>();
  const policyFor = (schema: GraphQLSchema) => {
    let policy = policies.get(schema);
    if (!policy) {
      policy = compilePolicy(schema, options.matrix ?? MATRIX);
      policies.set(schema, policy);
    }
    return policy;
  };
  // The decision depends on the document, the operation and the role only. Yoga hands the same
  // parsed document to every request with the same text, so the walk runs once per document and
  // role instead of on every request.
  const decisions = new WeakMap<DocumentNode, Map<string, Denial | null>>();
  const decide = (
    schema: GraphQLSchema,
    document: DocumentNode,
    op: string | null,
    role: Principal['role'],
  ) => {
    let byRole = decisions.get(document);
    if (!byRole) {
      byRole = new Map();
      decisions.set(document, byRole);
    }
    const key = `${role}\u0000${op ?? ''}`;
    const known = byRole.get(key);
    if (known !== undefined) return known;
    const denial = authorize({
      schema,
      policy: policyFor(schema),
      document,
      operationName: op,
      role,
      introspection: options.introspection,
    });
    byRole.set(key, denial);
    return denial;
  };
  const check = (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null | undefined;
    contextValue: GraphQLContext;
  }) => {
    const principal = args.contextValue.principal;
    const denial = decide(args.schema, args.document, args.operationName ?? null, principal.role);
    if (!denial) return null;
    options.onDenied?.(denial, principal);
    return new ForbiddenError(messageFor(denial));
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}
