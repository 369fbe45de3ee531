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
    [
      `${ARN}:cert:AWSPREVIOUS:`,
      { kind: "secretsmanager", region: "us-east-1", secretId: ARN, jsonKey: "cert", versionStage: "AWSPREVIOUS" },
    ],
    [`${ARN}:::v-1`, { kind: "secretsmanager", region: "us-east-1", secretId: ARN, versionId: "v-1" }],
    [
      "arn:aws:ssm:eu-west-1:123456789012:parameter/db-password",
      { kind: "ssm", region: "eu-west-1", name: "db-password" },
    ],
    [
      "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/password",
      { kind: "ssm", region: "eu-west-1", name: "/app/db/password" },
    ],
    ["db-password", { kind: "ssm", region: undefined, name: "db-password" }],
  ])("%s", (valueFrom, expected) => {
    expect(parseValueFrom(valueFrom)).toEqual(expected);
  });
});

describe("resolving at container start", () => {
  /** Clients whose Secrets Manager answers one secret string. */
  const answering = (secretString: string) =>
    (() => ({ secrets: { send: async () => ({ SecretString: secretString }) } })) as unknown as Parameters<
      typeof resolveSecrets
    >[2];

  test("a JSON key is read from the secret's current value", async () => {
    const env = await resolveSecrets(
      [{ name: "ADDRESS", valueFrom: `${ARN}:scheduler::` }],
      "us-east-1",
      answering('{"scheduler":"tls://10.0.0.5:8786"}'),
    );
    expect(env).toEqual({ ADDRESS: "tls://10.0.0.5:8786" });
  });

  test("a missing JSON key stops the task before it starts, in the agent's words", async () => {
    const failure = await resolveSecrets(
      [{ name: "ADDRESS", valueFrom: `${ARN}:scheduler::` }],
      "us-east-1",
      answering('{"ca":"x"}'),
    ).catch((e) => e);
    expect(failure).toBeInstanceOf(TaskStartError);
    expect((failure as TaskStartError).stoppedReason).toBe(
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
        "service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key scheduler",
    );
  });

  /** Clients whose Secrets Manager and SSM fail with one AWS error. */
  const failing = (name: string, message: string) =>
    (() => {
      const send = async () => {
        throw Object.assign(new Error(message), { name });
      };
      return { secrets: { send }, ssm: { send } };
    }) as unknown as Parameters<typeof resolveSecrets>[2];
  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: TaskStartError) => e.stoppedReason,
    );
  const ASM =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): ";

  // agent/asm/asm.go augmentErrMsg → resourceInitializationErrMsg.
  test("a missing secret: the agent's ResourceNotFoundException text", async () => {
    expect(
      await reasonOf(
        resolveSecrets(
          [{ name: "A", valueFrom: `${ARN}:ca::` }],
          "us-east-1",
          failing("ResourceNotFoundException", "not found"),
        ),
      ),
    ).toBe(
      `${ASM}ResourceNotFoundException: The task can't retrieve the secret with ARN '${ARN}' from AWS Secrets Manager. Check whether the secret exists in the specified Region`,
    );
  });

  // agent/asm/asm.go augmentErrMsg: "secret ID: error" for every other error.
  test("an access denial: the secret and the service's error", async () => {
    expect(
      await reasonOf(
        resolveSecrets(
          [{ name: "A", valueFrom: ARN }],
          "us-east-1",
          failing("AccessDeniedException", "User is not authorized"),
        ),
      ),
    ).toBe(`${ASM}secret ${ARN}: AccessDeniedException: User is not authorized`);
  });

  // agent/ssm/ssm.go extractSSMValues.
  test("a missing SSM parameter: invalid parameters", async () => {
    expect(
      await reasonOf(
        resolveSecrets([{ name: "A", valueFrom: "db-password" }], "us-east-1", failing("ParameterNotFound", "")),
      ),
    ).toBe(
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: db-password",
    );
  });
});
