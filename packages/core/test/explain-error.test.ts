import { connect, createServer } from "node:net";
import { expect, test } from "vitest";
import { explainError } from "../src/explain-error.js";

/** A real connection error from Node, as the SDK or dockerode passes it on. */
async function connectError(options: { port: number; host: string } | { path: string }): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect(options as never);
    socket.on("error", resolve);
    socket.on("connect", () => {
      socket.destroy();
      resolve(new Error("connected"));
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("a refused connection to AWS_ENDPOINT_URL names the endpoint, the variable and the fix", async () => {
  const port = await closedPort();
  const error = await connectError({ port, host: "127.0.0.1" });
  expect(error.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  const text = explainError(error, { AWS_ENDPOINT_URL: `http://localhost:${port}` });
  expect(text).toContain(
    `the AWS endpoint http://localhost:${port} (AWS_ENDPOINT_URL) is not reachable at 127.0.0.1:${port}`,
  );
  expect(text).toContain("Fix:");
});

test("a missing socket is the Docker Engine's, with or without DOCKER_HOST; the error may sit in a cause", async () => {
  const error = await connectError({ path: "/nonexistent/docker.sock" });
  expect(explainError(error, {})).toContain(
    "the Docker Engine is not reachable at its socket /nonexistent/docker.sock: no such socket. Fix: start the engine",
  );
  const wrapped = new Error("up phase: failed", { cause: error });
  expect(explainError(wrapped, { DOCKER_HOST: "unix:///nonexistent/docker.sock" })).toContain(
    "point DOCKER_HOST at a running one",
  );
});

test("a refused connection elsewhere still says where and what to check", async () => {
  const port = await closedPort();
  const text = explainError(await connectError({ port, host: "127.0.0.1" }), {});
  expect(text).toBe(
    `could not connect to 127.0.0.1:${port}: connection refused (nothing listens there). Fix: check that the service there runs and that this machine can reach it`,
  );
});

test("missing, expired and refused AWS credentials, in the SDK's shapes", () => {
  const missing = Object.assign(new Error("Could not load credentials from any providers"), {
    name: "CredentialsProviderError",
  });
  expect(explainError(missing, { AWS_PROFILE: "dev" })).toMatch(
    /^no AWS credentials were found \(AWS_PROFILE=dev\).*Fix: set AWS_PROFILE/,
  );
  const expired = Object.assign(new Error("The security token included in the request is expired"), {
    name: "ExpiredTokenException",
  });
  expect(explainError(expired, {})).toMatch(/^the AWS credentials have expired .*aws sso login/);
  const invalid = Object.assign(new Error("The security token included in the request is invalid."), {
    name: "UnrecognizedClientException",
  });
  expect(explainError(invalid, {})).toMatch(/^AWS refused the credentials \(UnrecognizedClientException/);
});

test("other errors are left to the caller", () => {
  expect(explainError(new Error("ClusterNotFoundException"), {})).toBeUndefined();
  expect(explainError("text", {})).toBeUndefined();
});
