// Writes docs/aws/ci-policy.json: the README's IAM policy (```json iam-policy) plus the statements that push the
// image to the ECR repository `dask`, as one file to apply as is. A test fails when the file differs from what
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

/** The file's text for a README text. */
export function ciPolicyFile(readme) {
  const block = /```json iam-policy\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no ```json iam-policy block");
  const policy = JSON.parse(block);
  return `${JSON.stringify({ ...policy, Statement: [...policy.Statement, ...ECR_PUSH_STATEMENTS] }, null, 2)}\n`;
}

if (process.argv.includes("--write")) {
  writeFileSync(new URL("docs/aws/ci-policy.json", root), ciPolicyFile(readFileSync(new URL("README.md", root), "utf8")));
  console.log("docs/aws/ci-policy.json written from README.md's iam-policy block");
}
