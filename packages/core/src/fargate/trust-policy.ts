/**
 * Whether a role's trust policy lets ECS tasks of one account, and no one else's, assume it: the
 * confused-deputy guard of the task IAM role and execution role. The policy is parsed and each statement
 * evaluated, never searched as text: a statement with no condition beside a decoy that carries
 * `aws:SourceAccount` of another account must fail.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html (trust relationship with
 * `aws:SourceAccount` and `aws:SourceArn`); https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html;
 * the evaluation of Allow statements, conditions and `...IfExists`:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

import { asList, matchesIamPattern, parsePolicyDocument } from "../internal/policy-document.js";

/** The account whose ECS tasks may assume a role. */
export interface TrustOwner {
  readonly account: string;
}

const ECS_TASKS = "ecs-tasks.amazonaws.com";

type Json = unknown;
const wildcard = (pattern: string, value: string): boolean => matchesIamPattern(pattern, value, { ignoreCase: true });

/** The trust policy as GetRole returns it (URL-encoded JSON) or as it was sent (plain JSON); undefined when it is neither. */
export const parseTrustPolicy = parsePolicyDocument;

/** True when a statement's Action (or NotAction) covers sts:AssumeRole. */
function coversAssumeRole(statement: Record<string, Json>): boolean {
  if ("NotAction" in statement)
    return !asList(statement["NotAction"]).some((a) => typeof a === "string" && wildcard(a, "sts:AssumeRole"));
  return asList(statement["Action"]).some((a) => typeof a === "string" && wildcard(a, "sts:AssumeRole"));
}

/** True when a statement's Principal (or NotPrincipal) admits the ECS tasks service. */
function admitsEcsTasks(statement: Record<string, Json>): boolean {
  if ("NotPrincipal" in statement) return true;
  const principal = statement["Principal"];
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  return Object.entries(principal as Record<string, Json>).some(([kind, values]) =>
    asList(values).some(
      (value) =>
        value === "*" || (kind === "Service" && typeof value === "string" && value.toLowerCase() === ECS_TASKS),
    ),
  );
}

/**
 * The values a statement's condition requires for `key`, when the condition pins it with an operator that
 * fails on a missing key; undefined when no such condition constrains it (absent, `...IfExists`, a negated
 * or set operator, or an operator that does not pin the value).
 */
function pinnedValues(condition: Json, key: string, operators: readonly string[]): string[] | undefined {
  if (!condition || typeof condition !== "object") return undefined;
  let pinned: string[] | undefined;
  for (const [operator, keys] of Object.entries(condition as Record<string, Json>)) {
    if (!operators.includes(operator) || !keys || typeof keys !== "object") continue;
    for (const [name, values] of Object.entries(keys as Record<string, Json>)) {
      if (name.toLowerCase() !== key.toLowerCase()) continue;
      const list = asList(values).map(String);
      // Several operators on one key must all hold: the key is within each list.
      pinned = pinned === undefined ? list : pinned.filter((v) => list.includes(v));
    }
  }
  return pinned;
}

/** Why one Allow statement admitting ECS tasks is not limited to `owner`'s tasks; undefined when it is. */
function statementProblem(statement: Record<string, Json>, owner: TrustOwner): string | undefined {
  const condition = statement["Condition"];
  const accounts = pinnedValues(condition, "aws:SourceAccount", ["StringEquals", "StringLike", "ArnEquals", "ArnLike"]);
  if (accounts === undefined || accounts.length === 0)
    return "has no aws:SourceAccount condition (StringEquals, your account)";
  const others = accounts.filter((a) => a !== owner.account);
  if (others.length > 0) return `admits aws:SourceAccount ${others.join(", ")}, not only ${owner.account}`;
  const arns = pinnedValues(condition, "aws:SourceArn", ["ArnEquals", "ArnLike", "StringEquals", "StringLike"]);
  const foreign = (arns ?? []).filter((arn) => arn.split(":")[4] !== owner.account);
  if (foreign.length > 0) return `admits aws:SourceArn ${foreign.join(", ")}, outside account ${owner.account}`;
  return undefined;
}

/**
 * Why a trust policy lets ECS tasks that are not `owner`'s assume the role; undefined when every Allow
 * statement that grants `sts:AssumeRole` to ECS tasks (or to anyone) requires `aws:SourceAccount` equal to
 * `owner.account` and, where it names `aws:SourceArn`, ARNs of that account. Deny statements only take away,
 * so they neither add nor replace a guard.
 */
export function trustPolicyProblem(raw: string | undefined, owner: TrustOwner): string | undefined {
  const policy = parseTrustPolicy(raw);
  if (!policy) return "cannot be read as a JSON policy";
  const statements = asList(policy.Statement);
  for (const [index, statement] of statements.entries()) {
    if (!statement || typeof statement !== "object") return `has a statement (${index + 1}) that is not an object`;
    const s = statement as Record<string, Json>;
    if (s["Effect"] !== "Allow" || !coversAssumeRole(s) || !admitsEcsTasks(s)) continue;
    const problem = statementProblem(s, owner);
    if (problem)
      return `statement ${index + 1}${typeof s["Sid"] === "string" ? ` (${s["Sid"]})` : ""} lets ECS tasks assume the role but ${problem}`;
  }
  return undefined;
}
