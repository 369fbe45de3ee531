import type { AwsClients } from "../../src/index.js";

type Handler = (
  input: Record<string, unknown>,
) => { output: Record<string, unknown> } | { input: Record<string, unknown> } | undefined;

/**
 * Test-only SDK middleware in front of moto: it can rewrite a request or answer it instead of moto,
 * to produce what AWS does and moto does not (capacity failures[], IAM propagation errors, Spot
 * capacity providers, container exit codes). The code under test does not know it is there.
 */
export function injectEcs(clients: AwsClients, name: string, operation: string, handler: Handler): () => void {
  const stack = clients.ecs.middlewareStack as unknown as {
    add: (m: unknown, o: unknown) => void;
    remove: (name: string) => boolean;
  };
  stack.add(
    (
      next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        if (context.commandName !== `${operation}Command`) return next(args);
        const decision = handler(args.input);
        if (decision && "output" in decision) return { output: { $metadata: {}, ...decision.output }, response: {} };
        if (decision && "input" in decision) return next({ ...args, input: decision.input });
        return next(args);
      },
    { step: "initialize", name, override: true },
  );
  return () => stack.remove(name);
}

/** Moto ignores capacity providers and answers 500 without a launch type: send Spot requests as FARGATE. */
export function spotAsOnDemand(clients: AwsClients, seen: string[]): () => void {
  return injectEcs(clients, "spot-as-on-demand", "RunTask", (input) => {
    if (!input["capacityProviderStrategy"]) return undefined;
    seen.push(JSON.stringify(input["capacityProviderStrategy"]));
    const { capacityProviderStrategy: _strategy, ...rest } = input;
    return { input: { ...rest, launchType: "FARGATE" } };
  });
}

/** Moto keeps no container exit codes: give every STOPPED task in DescribeTasks answers this exit code. */
export function stoppedTasksExitWith(clients: AwsClients, exitCode: number): () => void {
  const stack = clients.ecs.middlewareStack as unknown as {
    add: (m: unknown, o: unknown) => void;
    remove: (name: string) => boolean;
  };
  type Answer = { output: { tasks?: { lastStatus?: string; containers?: { name?: string; exitCode?: number }[] }[] } };
  stack.add(
    (next: (args: unknown) => Promise<Answer>, context: { commandName?: string }) => async (args: unknown) => {
      const answer = await next(args);
      if (context.commandName !== "DescribeTasksCommand") return answer;
      for (const task of answer.output.tasks ?? []) {
        if (task.lastStatus !== "STOPPED") continue;
        task.containers = (task.containers?.length ? task.containers : [{ name: "dask" }]).map((c) => ({
          ...c,
          exitCode,
        }));
      }
      return answer;
    },
    { step: "initialize", name: "stopped-exit-code", override: true },
  );
  return () => stack.remove("stopped-exit-code");
}
