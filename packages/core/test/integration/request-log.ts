import type { AwsClients } from "../../src/index.js";

/** One request as the SDK was about to send it: `service:Operation` (as in plannedRequests) and its input. */
export interface SentRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

const PREFIX: Partial<Record<keyof AwsClients, string>> = {
  ecs: "ecs",
  ec2: "ec2",
  logs: "logs",
  secrets: "secretsmanager",
  iam: "iam",
};

/**
 * Test-only middleware that records every request the code under test sends through `clients` (after its
 * own middleware, before the SDK serialises it), so a test can diff what AWS received against a plan.
 */
export function recordRequests(clients: AwsClients, sink: SentRequest[]): () => void {
  const removers = Object.entries(PREFIX).map(([key, prefix]) => {
    const stack = (
      clients[key as keyof AwsClients] as unknown as {
        middlewareStack: { add: (m: unknown, o: unknown) => void; remove: (n: string) => boolean };
      }
    ).middlewareStack;
    stack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          sink.push({
            operation: `${prefix}:${(context.commandName ?? "").replace(/Command$/, "")}`,
            input: structuredClone(args.input),
          });
          return next(args);
        },
      { step: "initialize", name: "testRequestLog", override: true },
    );
    return () => stack.remove("testRequestLog");
  });
  return () => {
    for (const remove of removers) remove();
  };
}
