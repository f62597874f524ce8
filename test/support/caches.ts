/**
 * Each function keeps a client's record and keys for CLIENT_CACHE_MS in its warm container, so a
 * change made through one function (keys registered by the admin or settings route) reaches
 * another function that already read the client (the authorizer) only after that. Locally each
 * function has its caches of its own, as in AWS; tests that change an already-used client wait
 * for the documented bound instead of relying on a shared cache.
 */
import { CLIENT_CACHE_MS } from '../../lambdas/store/client-directory';

export const afterClientCaches = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, CLIENT_CACHE_MS + 300));
