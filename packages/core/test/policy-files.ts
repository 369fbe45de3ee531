import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PolicyDocument } from "./iam-policy-evaluator.js";

/**
 * The IAM policy files a user applies as they are (docs/aws/, listed in docs/iam.md), by what they are for. The
 * policy tests read them from here, so what is evaluated is what users apply. `DFA_AWS_DOCS` points the tests at
 * another directory of such files, e.g. an older one, to see them fail.
 */
export const POLICY_FILES = {
  /** What the identity that runs the tool may do (docs/iam.md, "The default policy"). */
  tool: "tool-policy.json",
  /** The same plus the image push to ECR: step 2 of the README's "AWS in five steps". */
  ci: "ci-policy.json",
  /** Added for job outputs with the managed task role. */
  outputs: "outputs-policy.json",
  /** Added only when CI creates the task roles itself. */
  ciCreatesRoles: "ci-creates-roles-policy.json",
  /** Instead of the default where repositories share an account, for OWNER/NAME. */
  perRepository: "per-repository-policy.json",
  /** The managed task role's one inline policy. */
  taskRoleFindScheduler: "task-role-find-scheduler-policy.json",
  /** The two roles as a CloudFormation template. */
  rolesCloudFormation: "roles-cloudformation.json",
  /** The CI role's trust policy for GitHub's OIDC tokens. */
  githubOidcTrust: "github-oidc-trust-policy.json",
} as const;

export type PolicyFileName = keyof typeof POLICY_FILES;

const directory = process.env["DFA_AWS_DOCS"] ?? fileURLToPath(new URL("../../../docs/aws/", import.meta.url));

/** The file's path, for messages. */
export const policyFilePath = (name: PolicyFileName): string => join(directory, POLICY_FILES[name]);

/** The file's text, or undefined when it does not exist. */
export function policyFileText(name: PolicyFileName): string | undefined {
  const path = policyFilePath(name);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** The file as a policy document (no statements when it does not exist: the test that asks for it fails). */
export const policyFile = (name: PolicyFileName): PolicyDocument =>
  JSON.parse(policyFileText(name) ?? '{"Statement":[]}') as PolicyDocument;

/** The names of the files in the directory, sorted: each must be one of POLICY_FILES, so none goes unevaluated. */
export const policyDirectoryFiles = (): string[] => (existsSync(directory) ? readdirSync(directory).sort() : []);
