// Enforces src/auth/matrix.ts in one place: before any resolver runs, every field the operation
// selects is checked against the caller's role; a refusal is FORBIDDEN (403) and nothing executes.
import type { GraphQLSchema } from 'graphql';
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
  const check = (args: {
    schema: GraphQLSchema;
    document: Parameters<typeof authorize>[0]['document'];
    operationName?: string | null | undefined;
    contextValue: GraphQLContext;
  }) => {
    const principal = args.contextValue.principal;
    const denial = authorize({
      schema: args.schema,
      policy: policyFor(args.schema),
      document: args.document,
      operationName: args.operationName ?? null,
      role: principal.role,
      introspection: options.introspection,
    });
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
