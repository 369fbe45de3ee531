import { get } from "node:http";

/**
 * Counts the workers registered at a scheduler through its HTTP server (`/json/identity.json`, served
 * by every distributed release since 2.x, without bokeh). Undefined when the scheduler does not answer yet.
 *
 * Uses node:http rather than fetch: while a port is published but nothing listens behind it yet, a
 * fetch can wait on handles that do not keep Node's event loop alive, and the process would exit.
 */
export function countWorkers(dashboardUrl: string, timeoutMs = 5000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = get(`${dashboardUrl.replace(/\/$/, "")}/json/identity.json`, { timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        if (response.statusCode !== 200) return resolve(undefined);
        try {
          const identity = JSON.parse(body) as { workers?: Record<string, unknown> };
          resolve(Object.keys(identity.workers ?? {}).length);
        } catch {
          resolve(undefined);
        }
      });
      response.on("error", () => resolve(undefined));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
}
