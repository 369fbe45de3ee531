/** The fetch signature core needs (injectable for tests). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Counts the workers registered at a scheduler through its HTTP server (`/json/identity.json`, served
 * by every distributed release since 2.x, without bokeh). Undefined when the scheduler does not answer yet.
 */
export async function countWorkers(dashboardUrl: string, fetchImpl: Fetch = fetch): Promise<number | undefined> {
  try {
    const response = await fetchImpl(`${dashboardUrl.replace(/\/$/, "")}/json/identity.json`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const identity = (await response.json()) as { workers?: Record<string, unknown> };
    return Object.keys(identity.workers ?? {}).length;
  } catch {
    return undefined;
  }
}
