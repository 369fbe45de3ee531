import { expect, test } from "vitest";
import { parseSecretAssignments, resolveClusterSpec, resolveFargateSpec, validateJobEnv } from "../src/index.js";

const sm = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf";
const ssm = "arn:aws:ssm:eu-west-1:123456789012:parameter/team/wandb-key";

test("NAME=ARN lines become the secrets setting; blank lines and comments are skipped", () => {
  expect(parseSecretAssignments([`DB_PASSWORD=${sm}`, "", "# the tracking key", `  WANDB_API_KEY = ${ssm}  `])).toEqual(
    {
      DB_PASSWORD: sm,
      WANDB_API_KEY: ssm,
    },
  );
});

test("bad secrets are refused naming the entry, the rule and an example, and never echo a value that is not an ARN", () => {
  const cases: [string, string[]][] = [
    ["no equals sign (maybe the secret itself)", ["DB_PASSWORD", "hunter2-the-real-password"]],
    ["a name that is not an environment variable", [`1DB=${sm}`]],
    ["a name of the tool's own", [`DFA_TLS_KEY=${sm}`]],
    ["a name given twice", [`A=${sm}`, `A=${ssm}`]],
    ["a plain value instead of an ARN", ["DB_PASSWORD=hunter2-the-real-password"]],
    ["an ARN of another service", ["TOKEN=arn:aws:s3:::bucket/key"]],
  ];
  const messages = Object.fromEntries(
    cases.map(([name, lines]) => {
      try {
        parseSecretAssignments(lines);
        return [name, "(no error)"];
      } catch (error) {
        return [name, (error as Error).message];
      }
    }),
  );
  expect(JSON.stringify(messages)).not.toContain("hunter2");
  expect(messages).toMatchInlineSnapshot(`
    {
      "a name given twice": "secrets: A (entry 2) is given twice",
      "a name of the tool's own": "secrets: DFA_TLS_KEY: names starting with DFA_ are this tool's own; choose another name",
      "a name that is not an environment variable": "secrets: "1DB" is not an environment variable name (letters, digits and _, not starting with a digit); write e.g. DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf",
      "a plain value instead of an ARN": "secrets: the value of DB_PASSWORD is not a Secrets Manager secret or SSM parameter ARN (the value is not shown: it may be the secret itself); write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, never the secret",
      "an ARN of another service": "secrets: the value of TOKEN is not a Secrets Manager secret or SSM parameter ARN (the value is not shown: it may be the secret itself); write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, never the secret",
      "no equals sign (maybe the secret itself)": "secrets: entry 1 is not NAME=ARN (it is not shown: it may be a secret); write e.g. DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf",
    }
  `);
});

test("secrets need an execution role that may read them (the managed one reads only the TLS secrets)", () => {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1" });
  expect(() =>
    resolveFargateSpec({ region: "us-east-1", secrets: { DB_PASSWORD: sm } }, spec),
  ).toThrowErrorMatchingInlineSnapshot(
    `[ClusterConfigError: execution-role-arn: secrets are read at task start by the task execution role, and the managed role reads only this tool's TLS secrets: set execution-role-arn to a role with AmazonECSTaskExecutionRolePolicy plus secretsmanager:GetSecretValue (or ssm:GetParameters) on these ARNs (and kms:Decrypt for a customer-managed key)]`,
  );
  expect(
    resolveFargateSpec(
      {
        region: "us-east-1",
        secrets: { DB_PASSWORD: sm },
        executionRoleArn: "arn:aws:iam::123456789012:role/reads-db",
      },
      spec,
    ).secrets,
  ).toEqual({
    DB_PASSWORD: sm,
  });
});

test("the tool's own secrets (every cluster's TLS key) are refused as job secrets, by the parser and by the spec, with the managed execution role named too", () => {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1" });
  const managedExecutionRole = "arn:aws:iam::123456789012:role/dask-fargate-action-execution";
  const stolen = [
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:dask-fargate-action/gh-1-abcdef/tls-AbCdEf",
    // A JSON key of the secret, as ECS's valueFrom allows.
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:dask-fargate-action/gh-1-abcdef/tls-AbCdEf:key::",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:Dask-Fargate-Action/x",
    "arn:aws:ssm:us-east-1:123456789012:parameter/dask-fargate-action/x",
    "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:dask-fargate-action/x",
  ];
  for (const arn of stolen) {
    expect(() => parseSecretAssignments([`STOLEN=${arn}`]), arn).toThrow(
      /STOLEN names a secret under dask-fargate-action\//,
    );
    expect(
      () =>
        resolveFargateSpec(
          { region: "us-east-1", secrets: { STOLEN: arn }, executionRoleArn: managedExecutionRole },
          spec,
        ),
      arn,
    ).toThrow(/secrets: STOLEN names a secret under dask-fargate-action\//);
  }
  expect(() => parseSecretAssignments([`STOLEN=${stolen[0]}`])).toThrowErrorMatchingInlineSnapshot(
    `[ClusterConfigError: secrets: STOLEN names a secret under dask-fargate-action/, where this tool keeps every cluster's TLS key (any cluster's, not only this one's); a job may not read them. Store your secret under another name and pass that ARN]`,
  );
  // Names that merely contain the prefix further in, or resemble it, are the user's own.
  const own = [
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:team/dask-fargate-action/x",
    "arn:aws:ssm:us-east-1:123456789012:parameter/dask-fargate-actions",
  ];
  expect(Object.values(parseSecretAssignments(own.map((arn, i) => `S${i}=${arn}`)))).toEqual(own);
});

test("job-env names are environment variable names, never inputs, runtime tokens or saved state", () => {
  expect(validateJobEnv(["WANDB_API_KEY", "HF_TOKEN"])).toEqual(["WANDB_API_KEY", "HF_TOKEN"]);
  const message = (names: string[]) => {
    try {
      validateJobEnv(names);
      return "(no error)";
    } catch (error) {
      return (error as Error).message;
    }
  };
  expect([
    message(["INPUT_REGISTRY-PASSWORD"]),
    message(["ACTIONS_RUNTIME_TOKEN"]),
    message(["STATE_cluster"]),
  ]).toMatchInlineSnapshot(`
    [
      "job-env: "INPUT_REGISTRY-PASSWORD" is not an environment variable name (letters, digits and _, not starting with a digit)",
      "job-env: ACTIONS_RUNTIME_TOKEN belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job",
      "job-env: STATE_cluster belongs to the runner and this action (inputs, runtime tokens, saved state) and is never passed to a job",
    ]
  `);
});
