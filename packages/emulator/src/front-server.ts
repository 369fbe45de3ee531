import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The emulator's HTTP front, listening before anything else is made; answers 503 until its router is set. */
export interface Front {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port`: what the AWS SDK is given, and where the task-side server sends the tasks' ECS calls. */
  readonly endpoint: string;
  /** Routes every request from now on. */
  route(router: RequestListener): void;
  /** Stops listening (open connections finish). */
  close(): Promise<void>;
  /** Drops open connections and stops listening. */
  closeNow(): Promise<void>;
}

/**
 * Listens on `host:port` (0: a free port). The port comes first so that a port in use is reported before moto and
 * the network are made; calls that arrive before the router is set wait for it with a 503.
 */
export async function listenFront(host: string, port: number): Promise<Front> {
  let router: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => router(req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the emulator cannot listen on ${host}:${port} (${reason}); choose another port`, { cause: error });
  }
  const bound = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((r) => server.close(() => r()));
  return {
    server,
    host,
    port: bound,
    endpoint: `http://${host}:${bound}`,
    route: (next) => {
      router = next;
    },
    close,
    closeNow: () => {
      server.closeAllConnections();
      return close();
    },
  };
}
