import { describe, expect, test } from "vitest";
import { ecsTasksTrustPolicy } from "../src/fargate/fargate-roles.js";
import { trustPolicyProblem } from "../src/fargate/trust-policy.js";

const account = "123456789012";
const other = "999999999999";
const owner = { account };
const allow = (extra: object) => ({
  Effect: "Allow",
  Principal: { Service: "ecs-tasks.amazonaws.com" },
  Action: "sts:AssumeRole",
  ...extra,
});
const guard = {
  StringEquals: { "aws:SourceAccount": account },
  ArnLike: { "aws:SourceArn": `arn:aws:ecs:*:${account}:*` },
};
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("a trust policy is parsed and every statement that lets ECS tasks in is evaluated", () => {
  test.each([
    ["the policy setup-roles writes", ecsTasksTrustPolicy({ account, partition: "aws" })],
    [
      "the same, URL-encoded as GetRole returns it",
      encodeURIComponent(ecsTasksTrustPolicy({ account, partition: "aws" })),
    ],
    [
      "aws:SourceAccount alone (aws:SourceArn is optional)",
      doc(allow({ Condition: { StringEquals: { "aws:SourceAccount": account } } })),
    ],
    ["a single statement object instead of a list", JSON.stringify({ Statement: allow({ Condition: guard }) })],
    ["condition keys in another case", doc(allow({ Condition: { StringEquals: { "AWS:SOURCEACCOUNT": account } } }))],
    [
      "an unguarded statement for another principal only",
      doc(allow({ Condition: guard }), { ...allow({}), Principal: { Service: "lambda.amazonaws.com" } }),
    ],
    [
      "a Deny without condition beside the guarded Allow",
      doc(allow({ Condition: guard }), { ...allow({}), Effect: "Deny" }),
    ],
  ])("accepted: %s", (_name, policy) => {
    expect(trustPolicyProblem(policy, owner)).toBeUndefined();
  });

  test.each([
    // The case: no condition, and a decoy carrying another account's aws:SourceAccount.
    [
      "no condition, beside a decoy with another account's aws:SourceAccount",
      doc(allow({}), allow({ Condition: { StringEquals: { "aws:SourceAccount": other } } })),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "the guard only in a different statement",
      doc(allow({ Sid: "Open" }), allow({ Condition: guard })),
      "statement 1 (Open) lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "another account's aws:SourceAccount",
      doc(allow({ Condition: { StringEquals: { "aws:SourceAccount": other } } })),
      `statement 1 lets ECS tasks assume the role but admits aws:SourceAccount ${other}, not only ${account}`,
    ],
    [
      "this account and another one",
      doc(allow({ Condition: { StringEquals: { "aws:SourceAccount": [account, other] } } })),
      `statement 1 lets ECS tasks assume the role but admits aws:SourceAccount ${other}, not only ${account}`,
    ],
    [
      "a wildcard account",
      doc(allow({ Condition: { StringLike: { "aws:SourceAccount": "*" } } })),
      `statement 1 lets ECS tasks assume the role but admits aws:SourceAccount *, not only ${account}`,
    ],
    [
      "...IfExists (a request without the key passes)",
      doc(allow({ Condition: { StringEqualsIfExists: { "aws:SourceAccount": account } } })),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "a negated operator",
      doc(allow({ Condition: { StringNotEquals: { "aws:SourceAccount": other } } })),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "the right account but aws:SourceArn of another",
      doc(
        allow({
          Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: { "aws:SourceArn": `arn:aws:ecs:*:${other}:*` },
          },
        }),
      ),
      `statement 1 lets ECS tasks assume the role but admits aws:SourceArn arn:aws:ecs:*:${other}:*, outside account ${account}`,
    ],
    [
      "a Deny carrying the condition, the Allow without",
      doc(allow({}), { ...allow({ Condition: guard }), Effect: "Deny" }),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "Principal * without condition",
      doc({ ...allow({}), Principal: "*" }),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "Action sts:* and the service in a list",
      doc({
        ...allow({}),
        Action: ["sts:*"],
        Principal: { Service: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] },
      }),
      "statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)",
    ],
    [
      "a decoy that mentions aws:SourceAccount only as text",
      doc({ ...allow({}), Sid: '"aws:SourceAccount"' }),
      'statement 1 ("aws:SourceAccount") lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)',
    ],
    ["text that is not JSON", "not a policy", "cannot be read as a JSON policy"],
  ])("refused: %s", (_name, policy, reason) => {
    expect(trustPolicyProblem(policy, owner)).toBe(reason);
  });
});
