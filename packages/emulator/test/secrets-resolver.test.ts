import { describe, expect, test } from "vitest";
import { TaskStartError } from "../src/errors.js";
import { parseValueFrom, resolveSecrets } from "../src/secrets-resolver.js";

// Developer guide, "Pass sensitive data to an Amazon ECS container": Secrets Manager ARNs with an optional
// `:json-key:version-stage:version-id` suffix, SSM parameter ARNs, or SSM parameter names.
const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/tls-AbCdEf";
describe("valueFrom", () => {
  test.each([
    [ARN, { kind: "secretsmanager", region: "us-east-1", secretId: ARN }],
    [`${ARN}:cert::`, { kind: "secretsmanager", region: "us-east-1", secretId: ARN, jsonKey: "cert" }],
    [`${ARN}:cert:AWSPREVIOUS:`, { kind: "secretsmanager", region: "us-east-1", secretId: ARN, jsonKey: "cert", versionStage: "AWSPREVIOUS" }],
    [`${ARN}:::v-1`, { kind: "secretsmanager", region: "us-east-1", secretId: ARN, versionId: "v-1" }],
    ["arn:aws:ssm:eu-west-1:123456789012:parameter/db-password", { kind: "ssm", region: "eu-west-1", name: "db-password" }],
    ["arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/password", { kind: "ssm", region: "eu-west-1", name: "/app/db/password" }],
    ["db-password", { kind: "ssm", region: undefined, name: "db-password" }],
  ])("%s", (valueFrom, expected) => {
    expect(parseValueFrom(valueFrom)).toEqual(expected);
  });
});

describe("resolving at container start", () => {
  /** Clients whose Secrets Manager answers one secret string. */
  const answering = (secretString: string) =>
    (() => ({ secrets: { send: async () => ({ SecretString: secretString }) } })) as unknown as Parameters<typeof resolveSecrets>[2];

  test("a JSON key is read from the secret's current value", async () => {
    const env = await resolveSecrets([{ name: "ADDRESS", valueFrom: `${ARN}:scheduler::` }], "us-east-1", answering('{"scheduler":"tls://10.0.0.5:8786"}'));
    expect(env).toEqual({ ADDRESS: "tls://10.0.0.5:8786" });
  });

  test("a missing JSON key stops the task before it starts, in the agent's words", async () => {
    const failure = await resolveSecrets([{ name: "ADDRESS", valueFrom: `${ARN}:scheduler::` }], "us-east-1", answering('{"ca":"x"}')).catch((e) => e);
    expect(failure).toBeInstanceOf(TaskStartError);
    expect((failure as TaskStartError).stoppedReason).toBe(
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
        "service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key scheduler",
    );
  });
});
