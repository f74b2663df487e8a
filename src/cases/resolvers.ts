// Thin resolvers of schema/cases.graphql: a case's records and its timeline.
import type { CaseStore } from './store.js';

export function createCaseResolvers(deps: { store: CaseStore }) {
  return {
    Case: {
      entities: (obj: { uid: string }) => deps.store.entities(obj.uid),
      timeline: (obj: { uid: string }) => deps.store.timeline(obj.uid),
    },
  };
}
