// What one GraphQL operation may ask for: depth, cost, aliases, directives and tokens (graphql-armor),
// and how deeply input lists/objects may nest in arguments and variables.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../config.js';
import { BadUserInputError } from './errors.js';
import type { RefusalReason } from './metrics.js';
import type { YogaPlugin } from './yoga.js';

export interface LimitsOptions {
  limits: LimitsConfig;
  /** Hide "Did you mean …?" field suggestions (with introspection off they would leak the schema). */
  blockFieldSuggestions: boolean;
  onRefused?: (reason: RefusalReason) => void;
}

/** Nesting depth of a JSON value (iterative: a hostile value cannot exhaust the stack). */
export function jsonDepth(value: unknown, stopAt: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

function literalDepth(value: ValueNode, stopAt: number): number {
  let max = 0;
  const stack: Array<[ValueNode, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v.kind === Kind.LIST) {
      if (d + 1 > max) max = d + 1;
      if (max > stopAt) return max;
      for (const item of v.values) stack.push([item, d + 1]);
    } else if (v.kind === Kind.OBJECT) {
      if (d + 1 > max) max = d + 1;
      if (max > stopAt) return max;
      for (const field of v.fields) stack.push([field.value, d + 1]);
    }
  }
  return max;
}

/** A validation rule: argument and default values may nest lists/objects at most `max` deep. */
export function maxInputDepthRule(max: number, onRefused?: () => void) {
  return (context: ValidationContext): ASTVisitor => {
    const check = (value: ValueNode) => {
      if (literalDepth(value, max) > max) {
        onRefused?.();
        context.reportError(
          new GraphQLError(`Input values may nest at most ${max} lists or objects deep`, {
            nodes: [value],
            extensions: { code: 'BAD_USER_INPUT', limit: max },
          }),
        );
      }
    };
    return {
      Argument: (node) => check(node.value),
      VariableDefinition: (node) => (node.defaultValue ? check(node.defaultValue) : undefined),
    };
  };
}

export function useLimits(options: LimitsOptions): YogaPlugin[] {
  const { limits } = options;
  const refused = (reason: RefusalReason) => [() => options.onRefused?.(reason)];
  const inputs: Plugin = {
    onParams({ params, setResult }) {
      if (
        params.variables &&
        jsonDepth(params.variables, limits.maxInputDepth + 1) > limits.maxInputDepth + 1
      ) {
        options.onRefused?.('input_depth');
        setResult({
          errors: [
            new BadUserInputError(
              `Variables may nest at most ${limits.maxInputDepth} lists or objects deep`,
              { limit: limits.maxInputDepth },
            ),
          ],
        });
      }
    },
    onValidate({ addValidationRule }) {
      addValidationRule(
        maxInputDepthRule(limits.maxInputDepth, () => options.onRefused?.('input_depth')),
      );
    },
  };
  const armor = EnvelopArmorPlugin<Record<string, unknown>>({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      onReject: refused('depth'),
    },
    // allowList: [] so that `__typename` aliases count too.
    maxAliases: { n: limits.maxAliases, allowList: [], onReject: refused('aliases') },
    maxDirectives: { n: limits.maxDirectives, onReject: refused('directives') },
    maxTokens: { n: limits.maxTokens, onReject: refused('tokens') },
    costLimit: {
      maxCost: limits.maxCost,
      ignoreIntrospection: true,
      flattenFragments: true,
      onReject: refused('cost'),
    },
    blockFieldSuggestion: { enabled: options.blockFieldSuggestions },
  });
  return [inputs, armor];
}
