// Decides whether a role may run an operation: walks every field the operation selects (through
// fragments, inline fragments and aliases) with TypeInfo, against the written matrix. Pure.
import {
  BREAK,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { MATRIX, type AccessMatrix, type Role } from './matrix.js';

export type DenialReason =
  | 'NOT_IN_MATRIX'
  | 'ROLE_NOT_ALLOWED'
  | 'SENSITIVE_FIELD'
  | 'HIDDEN_FROM_PEERS'
  | 'INTROSPECTION'
  | 'UNKNOWN_FIELD';

export interface Denial {
  reason: DenialReason;
  /** 'Type.field' that was refused. */
  coordinate: string;
}

/** The matrix joined with one schema: sensitive coordinates expanded, root types known. */
export interface CompiledPolicy {
  matrix: AccessMatrix;
  rootTypes: ReadonlySet<string>;
  sensitive: ReadonlySet<string>;
  peerVisible: ReadonlySet<string>;
}

interface MaybeDirected {
  astNode?: { directives?: readonly { name: { value: string } }[] | undefined } | null | undefined;
}

function hasSensitiveDirective(node: MaybeDirected): boolean {
  return node.astNode?.directives?.some((d) => d.name.value === 'sensitive') === true;
}

export function compilePolicy(
  schema: GraphQLSchema,
  matrix: AccessMatrix = MATRIX,
): CompiledPolicy {
  const sensitive = new Set<string>();
  const wholeTypes = new Set(
    matrix.sensitive.filter((c) => c.endsWith('.*')).map((c) => c.slice(0, -2)),
  );
  for (const c of matrix.sensitive) if (!c.endsWith('.*')) sensitive.add(c);
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
  for (const type of types) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const whole = wholeTypes.has(type.name) || hasSensitiveDirective(type);
    for (const field of Object.values(type.getFields())) {
      if (whole || hasSensitiveDirective(field)) sensitive.add(`${type.name}.${field.name}`);
    }
  }
  // Sensitivity flows both ways across interfaces: a sensitive interface field is sensitive on every
  // implementation, and an interface field is as sensitive as its most sensitive implementation
  // (selecting `Identifier.key` returns Phone.key for phones).
  for (const type of types) {
    if (!isInterfaceType(type)) continue;
    for (const impl of schema.getPossibleTypes(type)) {
      for (const name of Object.keys(type.getFields())) {
        const onInterface = `${type.name}.${name}`;
        const onImpl = `${impl.name}.${name}`;
        if (sensitive.has(onInterface)) sensitive.add(onImpl);
        if (sensitive.has(onImpl)) sensitive.add(onInterface);
      }
    }
  }
  const rootTypes = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter((t) => t != null)
      .map((t) => t.name),
  );
  return { matrix, rootTypes, sensitive, peerVisible: new Set(matrix.peerVisibleTypes) };
}

export interface AuthorizeInput {
  schema: GraphQLSchema;
  policy: CompiledPolicy;
  document: DocumentNode;
  operationName?: string | null;
  /** 'anonymous' (or anything outside the matrix) is allowed nothing but __typename. */
  role: Role | 'anonymous';
  /** Whether this node allows introspection at all (PALISADE_INTROSPECTION). */
  introspection: boolean;
}

function selectedOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0]! : null;
}

/** The fragments an operation reaches, transitively (each once, so cycles cannot loop). */
function reachableFragments(document: DocumentNode, root: ASTNode): FragmentDefinitionNode[] {
  const byName = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const seen = new Map<string, FragmentDefinitionNode>();
  const pending: ASTNode[] = [root];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        const fragment = byName.get(name);
        if (fragment && !seen.has(name)) {
          seen.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...seen.values()];
}

/** Returns why the operation is refused for this role, or null when every selected field is allowed. */
export function authorize(input: AuthorizeInput): Denial | null {
  const { schema, policy, role } = input;
  const { matrix } = policy;
  const operation = selectedOperation(input.document, input.operationName);
  // No single operation to run: execution itself answers with a GraphQL error, nothing runs.
  if (!operation) return null;
  const isPeer = (matrix.peerRoles as readonly string[]).includes(role);
  const readsSensitive = (matrix.sensitiveReaders as readonly string[]).includes(role);
  let denial: Denial | null = null;

  const check = (parent: GraphQLNamedType | null, fieldName: string): Denial | null => {
    if (fieldName === '__typename') return null;
    if (fieldName === '__schema' || fieldName === '__type') {
      const allowed =
        input.introspection && (matrix.introspectionRoles as readonly string[]).includes(role);
      return allowed ? null : { reason: 'INTROSPECTION', coordinate: `Query.${fieldName}` };
    }
    if (!parent) return { reason: 'UNKNOWN_FIELD', coordinate: `?.${fieldName}` };
    // Inside an introspection result (__Type, __Field...): governed by the check above.
    if (parent.name.startsWith('__')) return null;
    const coordinate = `${parent.name}.${fieldName}`;
    if (policy.rootTypes.has(parent.name)) {
      const roles = matrix.operations[coordinate];
      if (!roles) return { reason: 'NOT_IN_MATRIX', coordinate };
      if (!(roles as readonly string[]).includes(role)) {
        return { reason: 'ROLE_NOT_ALLOWED', coordinate };
      }
    } else if (isPeer && !policy.peerVisible.has(parent.name)) {
      return { reason: 'HIDDEN_FROM_PEERS', coordinate };
    }
    if (!readsSensitive && policy.sensitive.has(coordinate)) {
      return { reason: 'SENSITIVE_FIELD', coordinate };
    }
    return null;
  };

  for (const root of [operation, ...reachableFragments(input.document, operation)]) {
    const typeInfo = new TypeInfo(schema);
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          denial = check(parent ? getNamedType(parent) : null, node.name.value);
          return denial ? BREAK : undefined;
        },
      }),
    );
    if (denial) return denial;
  }
  return null;
}

/** Every root field coordinate of the schema (Query/Mutation/Subscription), sorted. */
export function rootCoordinates(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
    .filter((t) => t != null)
    .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`))
    .sort();
}
