// The path of a request, for logs and metrics after the response.
/**
 * Yoga's Request (the @whatwg-node ponyfill) keeps the URL it parsed for routing; parsing the
 * text again in every onResponse hook costs each request a URL object per hook.
 */
export function pathOf(request: Request): string {
  const parsed = (request as Request & { parsedUrl?: unknown }).parsedUrl;
  return parsed instanceof URL ? parsed.pathname : new URL(request.url).pathname;
}
