import { describe, expect, test } from "vitest";
import { parseValueFrom } from "../src/secrets-resolver.js";

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
