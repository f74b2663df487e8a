// What every screen gets: the GraphQL client, the explore API, navigation and the explored graph.
import type { GraphQLClient } from './api/client.js';
import type { ExploreApi } from './api/explore-api.js';
import type { GraphState } from './graph/model.js';
import type { Route } from './router.js';

export interface AppContext {
  client: GraphQLClient;
  api: ExploreApi;
  go: (route: Route) => void;
  /** An in-app link that navigates without reloading. */
  link: (route: Route, label: string, attrs?: { class?: string }) => HTMLAnchorElement;
  /** The explored graph survives navigation between screens. */
  graph: GraphState;
}
