// Writes docs/aws/ci-policy.json: the tool's IAM policy (docs/aws/tool-policy.json) plus the statements that push
// the image to the ECR repository `dask`, as one file to apply as is. A test fails when the file differs from what
// this script writes:   node scripts/aws-setup-files.mjs --write
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);

/** Pushing the image: a login token (any resource) and the layer and manifest uploads of the one repository. */
export const ECR_PUSH_STATEMENTS = [
  { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
  {
    Sid: "EcrPushOnlyTheImageRepository",
    Effect: "Allow",
    Action: [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ],
    Resource: "arn:aws:ecr:*:*:repository/dask",
  },
];

/** The file's text for the text of docs/aws/tool-policy.json. */
export function ciPolicyFile(toolPolicy) {
  const policy = JSON.parse(toolPolicy);
  return `${JSON.stringify({ ...policy, Statement: [...policy.Statement, ...ECR_PUSH_STATEMENTS] }, null, 2)}\n`;
}

if (process.argv.includes("--write")) {
  writeFileSync(
    new URL("docs/aws/ci-policy.json", root),
    ciPolicyFile(readFileSync(new URL("docs/aws/tool-policy.json", root), "utf8")),
  );
  console.log("docs/aws/ci-policy.json written from docs/aws/tool-policy.json");
}
