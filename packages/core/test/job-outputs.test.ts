import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { ClusterHandle } from "../src/cluster.js";
import { OUTPUT_POLICY_NAME, outputWritePolicy, policyAllowsPut } from "../src/fargate/fargate-output-access.js";
import { rolesCloudFormationTemplate } from "../src/fargate/fargate-roles.js";
import { FIND_SCHEDULER_POLICY_NAME } from "../src/fargate/find-scheduler-access.js";
import {
  type AwsClients,
  ClusterConfigError,
  checkFargateJobOutputs,
  checkOutputDir,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";
import {
  localOutputPath,
  outputKeyPrefix,
  outputPathProblem,
  outputRunPrefix,
  parseOutputUri,
} from "../src/job-outputs.js";
import { runJobOnRunner } from "../src/runner-job.js";

const scratch = mkdtempSync(join(tmpdir(), "dfa-outputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("output-uri", () => {
  test.each([
    ["s3://my-team-models/nightly", { bucket: "my-team-models", prefix: "nightly" }],
    ["s3://my-team-models/nightly/xgb/", { bucket: "my-team-models", prefix: "nightly/xgb" }],
    ["s3://my.team.models", { bucket: "my.team.models", prefix: "" }],
    ["s3://abc/", { bucket: "abc", prefix: "" }],
  ])("%s is accepted", (uri, expected) => {
    expect(parseOutputUri(uri)).toEqual(expected);
  });

  test.each([
    ["https://my-team-models.s3.amazonaws.com/nightly", "is not an S3 URI"],
    ["my-team-models/nightly", "is not an S3 URI"],
    ["s3://", "is not an S3 bucket name"],
    ["s3://My_Bucket/x", "is not an S3 bucket name"],
    ["s3://ab/x", "is not an S3 bucket name"],
    ["s3://192.168.0.1/x", "is not an S3 bucket name"],
    ["s3://models/nightly/*", "no * or ?"],
    ["s3://models/a b", "may hold only"],
    ["s3://models/a//b", 'has an empty, "." or ".." segment'],
    ["s3://models/a/../b", 'has an empty, "." or ".." segment'],
  ])("%s is refused: %s", (uri, message) => {
    let error: unknown;
    try {
      parseOutputUri(uri);
    } catch (e) {
      error = e;
    }
    expect(ClusterConfigError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/^output-uri: /);
    expect(String((error as Error).message)).toContain(message);
  });

  test("an error never repeats credentials written into the URI", () => {
    const messageOf = (uri: string) => {
      try {
        parseOutputUri(uri);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`${uri} was accepted`);
    };
    const messages = [
      messageOf("s3://AKIAEXAMPLE:wJalrXUtnFEMI-secret@my-team-models/nightly"),
      messageOf("https://me:hunter2-secret@my-team-models.s3.amazonaws.com/nightly"),
      messageOf("s3://token-secret@models"),
      messageOf("s3://models/nightly?X-Amz-Signature=abc-secret&X-Amz-Credential=AKIAEXAMPLE"),
    ];
    expect(messages).toMatchInlineSnapshot(`
      [
        "output-uri: "s3://***@my-team-models/nightly" has credentials in it (user or password before "@"); an S3 URI takes none, the job writes with its task role: write e.g. s3://my-team-models/nightly",
        "output-uri: "https://***@my-team-models.s3.amazonaws.com/nightly" has credentials in it (user or password before "@"); an S3 URI takes none, the job writes with its task role: write e.g. s3://my-team-models/nightly",
        "output-uri: "s3://***@models" has credentials in it (user or password before "@"); an S3 URI takes none, the job writes with its task role: write e.g. s3://my-team-models/nightly",
        "output-uri: the prefix "nightly?***" may hold only letters, digits, / and !_.'()- (no * or ?, which IAM reads as wildcards); write e.g. s3://my-team-models/nightly",
      ]
    `);
    for (const message of messages) expect(message).not.toMatch(/secret|hunter2|AKIAEXAMPLE/);
  });

  test("resolveFargateSpec checks it and keeps it without a trailing slash", () => {
    const spec = resolveClusterSpec({ image: "dask:1", clusterId: "dfa-0123abcd" });
    expect(resolveFargateSpec({ region: "us-east-1", outputUri: "s3://models/nightly/" }, spec).outputUri).toBe(
      "s3://models/nightly",
    );
    expect(resolveFargateSpec({ region: "us-east-1" }, spec).outputUri).toBeUndefined();
    expect(() => resolveFargateSpec({ region: "us-east-1", outputUri: "models/nightly" }, spec)).toThrow(
      /^output-uri: "models\/nightly" is not an S3 URI/,
    );
  });

  test("a Fargate job with an output directory needs output-uri", () => {
    expect(() => checkFargateJobOutputs("/tmp/out", undefined)).toThrow(
      /^output-uri: a job in a Fargate cluster sends its outputs through S3/,
    );
    expect(() => checkFargateJobOutputs("/tmp/out", "s3://models/x")).not.toThrow();
    expect(() => checkFargateJobOutputs(undefined, undefined)).not.toThrow();
  });

  test("each attempt's outputs go under <prefix>/<cluster-id>/<token>/; the task role's one static grant is PutObject under <prefix>/", () => {
    expect(outputKeyPrefix(parseOutputUri("s3://models/nightly"), "dfa-0123abcd")).toBe("nightly/dfa-0123abcd/");
    expect(outputKeyPrefix(parseOutputUri("s3://models"), "dfa-0123abcd")).toBe("dfa-0123abcd/");
    expect(outputRunPrefix(parseOutputUri("s3://models/nightly"), "dfa-0123abcd", "t0k3n")).toBe(
      "nightly/dfa-0123abcd/t0k3n/",
    );
    expect(JSON.parse(outputWritePolicy("s3://models/nightly"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "WriteJobOutputs", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::models/nightly/*" },
      ],
    });
    expect(JSON.parse(outputWritePolicy("s3://models")).Statement[0].Resource).toBe("arn:aws:s3:::models/*");
  });

  test("setup-roles --print-cloudformation --output-uri puts the same static policy on the task role, with the stack's partition", () => {
    const template = JSON.parse(rolesCloudFormationTemplate({ outputUri: "s3://models/nightly" }));
    expect(
      template.Resources.TaskRole.Properties.Policies.filter(
        (p: { PolicyName: string }) => p.PolicyName === OUTPUT_POLICY_NAME,
      ),
    ).toEqual([
      {
        PolicyName: OUTPUT_POLICY_NAME,
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "WriteJobOutputs",
              Effect: "Allow",
              Action: "s3:PutObject",
              Resource: { "Fn::Sub": `arn:${"$"}{AWS::Partition}:s3:::models/nightly/*` },
            },
          ],
        },
      },
    ]);
    expect(
      JSON.parse(rolesCloudFormationTemplate()).Resources.TaskRole.Properties.Policies.map(
        (p: { PolicyName: string }) => p.PolicyName,
      ),
    ).toEqual([FIND_SCHEDULER_POLICY_NAME]);
  });

  test("output-uri without TLS is refused before any AWS call: the signing key travels in the cluster's TLS secret", async () => {
    const spec = resolveClusterSpec({ image: "dask:1", clusterId: "dfa-0123abcd", tls: false });
    const clients = {} as AwsClients; // any call would throw: none is made
    await expect(
      upFargateCluster(spec, resolveFargateSpec({ region: "us-east-1", outputUri: "s3://models/nightly" }, spec), {
        clients,
      }),
    ).rejects.toThrow(/^output-uri: needs TLS \(the default\)/);
  });

  test("up's check reads whether the static policy covers the run's prefix", () => {
    const policy = outputWritePolicy("s3://models/nightly");
    expect(policyAllowsPut(encodeURIComponent(policy), "arn:aws:s3:::models/nightly/dfa-0123abcd/probe")).toBe(true);
    expect(policyAllowsPut(policy, "arn:aws:s3:::models/other/dfa-0123abcd/probe")).toBe(false);
    expect(policyAllowsPut(policy, "arn:aws:s3:::payroll/nightly/dfa-0123abcd/probe")).toBe(false);
    const deny = JSON.stringify({
      Statement: [...JSON.parse(policy).Statement, { Effect: "Deny", Action: "s3:*", Resource: "*" }],
    });
    expect(policyAllowsPut(deny, "arn:aws:s3:::models/nightly/dfa-0123abcd/probe")).toBe(false);
  });
});

describe("a job's output paths stay inside the output directory", () => {
  test.each([
    ["model.json", "model.json"],
    ["metrics/run.json", "metrics/run.json"],
    ["run\\notes.txt", "run\\notes.txt"],
  ])("%s → %s", (path, local) => {
    expect(localOutputPath("/out", path)).toBe(join("/out", local));
  });

  test.each(["../../etc/passwd", "..", "a/../../b", "/etc/passwd", "a//b", "", "line\nbreak", "nul\u0000"])(
    "%j is refused",
    (path) => {
      expect(outputPathProblem(path)).toBeDefined();
      expect(() => localOutputPath("/out", path)).toThrow(/refusing the output/);
    },
  );

  test("a backslash or colon is refused where they separate paths (Windows) and kept elsewhere", () => {
    expect(outputPathProblem("run\\notes.txt", "\\")).toMatch(/separators on Windows/);
    expect(outputPathProblem("c:x", "\\")).toMatch(/separators on Windows/);
    expect(outputPathProblem("run\\notes.txt", "/")).toBeUndefined();
  });
});

describe("output-dir", () => {
  test("a file, or a directory below a file, is refused before anything is created", () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "x");
    expect(() => checkOutputDir(file)).toThrow(
      `output-dir: ${file} is a file, not a directory; choose a directory path`,
    );
    expect(() => checkOutputDir(join(file, "below"))).toThrow(/^output-dir: .* \(a parent of .*\) is not a directory/);
  });

  test("a directory this user cannot write is refused, naming it", () => {
    const locked = join(scratch, "locked");
    mkdirSync(locked);
    // The file system's answer for a user without write permission (root is never refused, so it is given here).
    const denied = (path: string) => {
      if (path === locked)
        throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: "EACCES" });
    };
    expect(() => checkOutputDir(join(locked, "out"), "output-dir", denied)).toThrow(
      `output-dir: ${locked} is not writable by this user`,
    );
    expect(checkOutputDir(join(scratch, "open", "out"), "output-dir", denied)).toBe(join(scratch, "open", "out"));
  });

  test("a missing directory below a writable one is accepted (and not created by the check)", () => {
    const dir = join(scratch, "later", "out");
    expect(checkOutputDir(dir)).toBe(dir);
    expect(() => readFileSync(dir)).toThrow(/ENOENT/);
  });
});

describe("a job on the runner writes straight into its output directory", () => {
  const handle: ClusterHandle = {
    backend: "docker",
    clusterId: "c1",
    spec: resolveClusterSpec({ image: "dask:1", clusterId: "c1", tls: false }),
    schedulerAddress: "tcp://c1-scheduler:8786",
    clientSchedulerAddress: "tcp://127.0.0.1:40001",
    dashboardUrl: undefined,
    clientTlsFiles: undefined,
    memberTlsFiles: undefined,
    tlsDir: "/state",
    createdAt: "2026-11-26T00:00:00.000Z",
    expiresAt: "2026-11-26T06:00:00.000Z",
  };

  test("created if missing, DFA_OUTPUT_DIR set, files listed with sizes, also when the job fails", async () => {
    const outputDir = join(scratch, "runner", "out");
    const result = await runJobOnRunner(handle, {
      command:
        'mkdir -p "$DFA_OUTPUT_DIR/metrics" && printf model > "$DFA_OUTPUT_DIR/model.json" && printf 12 > "$DFA_OUTPUT_DIR/metrics/m.json"; exit 3',
      runsOn: "runner",
      workdir: scratch,
      outputDir,
    });
    expect(result.exitCode).toBe(3);
    expect(result.outputs).toEqual({
      dir: outputDir,
      files: [
        { path: "metrics/m.json", bytes: 2 },
        { path: "model.json", bytes: 5 },
      ],
    });
    expect(readFileSync(join(outputDir, "model.json"), "utf8")).toBe("model");
  });
});
