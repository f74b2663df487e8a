// The one place that loads libsodium (the sumo build: only it has ristretto255). Its WebAssembly
// instance initializes asynchronously; every caller awaits the same promise so it happens once.
import sodiumModule from 'libsodium-wrappers-sumo';

/** The ready libsodium API. */
export type Sodium = typeof sodiumModule;

let loading: Promise<Sodium> | undefined;

/**
 * Resolves once libsodium is initialized. The package's ESM build fills its default export in
 * place when `ready` settles, so the same object is handed out for the life of the process.
 */
export function getSodium(): Promise<Sodium> {
  // A failed load is not cached, so a later call can try again.
  loading ??= sodiumModule.ready.then(
    () => sodiumModule,
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
