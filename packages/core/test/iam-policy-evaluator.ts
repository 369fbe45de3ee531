/**
 * A small evaluator of IAM identity policies, for the subset the README's policies use, so tests can show
 * what a policy allows without an AWS account. It follows AWS's documented evaluation logic for one
 * identity-based policy (no SCPs, boundaries, sessions or resource policies):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * - A request is allowed when some `Allow` statement matches it and no `Deny` statement does; otherwise it
 *   is denied (implicit deny).
 * - A request may name several resources (RunTask names a task definition and a cluster; CreateSecurityGroup
 *   a security group and a VPC): AWS authorizes each, so every resource must be allowed.
 * - `Action`: case-insensitive, with `*` and `?` wildcards (`ecs:Describe*`).
 * - `Resource`: case-sensitive, `*` and `?` wildcards; `*` also matches `:` and `/`, as in IAM.
 * - `Condition`: every operator block must hold, every key in it must hold, and a key holds when the
 *   request's value matches any of the listed values. A key the request does not carry fails the
 *   condition (the operators below without `IfExists` behave so; with the `IfExists` suffix a missing key
 *   holds). Supported operators: `StringEquals`,
 *   `StringLike`, `ArnEquals`, `ArnLike` (the two ARN operators match each of the six `:` separated
 *   parts separately, with wildcards, as AWS documents). Anything else throws, so a policy that uses an
 *   operator this evaluator does not know cannot pass a test by accident.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - `NotAction`, `NotResource`, `Principal` and policy variables are not supported and throw.
 */

/** A statement as written in a policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** One resource of a request, with the condition keys AWS puts in the request context for it. */
export interface RequestResource {
  readonly arn: string;
  /** e.g. `{ "aws:ResourceTag/io.dask-fargate-action.managed-by": "dask-fargate-action" }`. */
  readonly context?: Readonly<Record<string, string>>;
}

/** An authorization request: one action on one or more resources. */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `ecs:StopTask`. */
  readonly action: string;
  readonly resources: readonly RequestResource[];
  /** Condition keys of the whole request (e.g. `iam:PassedToService`), merged into each resource's. */
  readonly context?: Readonly<Record<string, string>>;
}

/** The decision, and which statements decided it (their Sid, or their index). */
export interface Decision {
  readonly allowed: boolean;
  /** Per resource: the statements that allowed it (empty when it was denied). */
  readonly allowedBy: readonly (readonly string[])[];
  readonly deniedBy: readonly string[];
}

const list = (value: string | readonly string[]): readonly string[] => (typeof value === "string" ? [value] : value);

/** A wildcard pattern (`*`, `?`) as an anchored regular expression. */
function wildcard(pattern: string, flags = ""): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, flags);
}

/** ARN matching as ArnEquals/ArnLike do it: six parts, each matched on its own with wildcards. */
export function arnMatches(pattern: string, arn: string): boolean {
  const split = (value: string) => {
    const parts = value.split(":");
    // The resource part may itself contain ':' (log-group:NAME:log-stream:S): everything after the fifth ':'.
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const p = split(pattern);
  const a = split(arn);
  if (!p || !a) return false;
  return p.every((part, i) => wildcard(part).test(a[i] ?? ""));
}

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (expected, actual) => expected === actual,
  StringLike: (expected, actual) => wildcard(expected).test(actual),
  ArnEquals: arnMatches,
  ArnLike: arnMatches,
};

function conditionHolds(condition: PolicyStatement["Condition"], context: Readonly<Record<string, string>>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    // `...IfExists`: the operator, except that a key the request does not carry holds.
    const ifExists = operator.endsWith("IfExists");
    const test = OPERATORS[ifExists ? operator.slice(0, -"IfExists".length) : operator];
    if (!test) throw new Error(`the evaluator does not support the condition operator ${operator}`);
    for (const [key, expected] of Object.entries(keys)) {
      // Condition keys are case-insensitive; their values are not.
      const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      if (!list(expected).some((value) => test(value, actual))) return false;
    }
  }
  return true;
}

function checkSupported(statement: PolicyStatement): void {
  for (const key of Object.keys(statement)) {
    if (!["Sid", "Effect", "Action", "Resource", "Condition"].includes(key))
      throw new Error(`the evaluator does not support ${key}`);
  }
  if (JSON.stringify(statement).includes("${")) throw new Error("the evaluator does not support policy variables");
}

/** Evaluates one request against one identity policy. */
export function evaluate(policy: PolicyDocument, request: AuthorizationRequest): Decision {
  const name = (statement: PolicyStatement, index: number) => statement.Sid ?? `#${index}`;
  const matching = (effect: "Allow" | "Deny", resource: RequestResource) =>
    policy.Statement.flatMap((statement, index) => {
      checkSupported(statement);
      if (statement.Effect !== effect) return [];
      if (!list(statement.Action).some((action) => wildcard(action, "i").test(request.action))) return [];
      if (!list(statement.Resource).some((pattern) => wildcard(pattern).test(resource.arn))) return [];
      if (!conditionHolds(statement.Condition, { ...request.context, ...resource.context })) return [];
      return [name(statement, index)];
    });
  if (request.resources.length === 0)
    throw new Error(
      `${request.action}: a request names at least one resource ("*" for actions without resource types)`,
    );
  const deniedBy = [...new Set(request.resources.flatMap((resource) => matching("Deny", resource)))];
  const allowedBy = request.resources.map((resource) => matching("Allow", resource));
  return {
    allowed: deniedBy.length === 0 && allowedBy.every((statements) => statements.length > 0),
    allowedBy,
    deniedBy,
  };
}
