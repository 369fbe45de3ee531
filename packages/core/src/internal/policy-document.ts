/**
 * Reading IAM policy documents the tool checks itself (a role's trust policy, the task role's outputs policy):
 * IAM answers them URL-encoded (GetRole, GetRolePolicy), some emulators as sent; both spellings are read here.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html ("URL-encoded compliant with RFC 3986")
 */

/** A policy document's top level, as far as these checks read it. */
export interface PolicyDocumentJson {
  readonly Statement?: unknown;
}

/** The document, URL-encoded or plain JSON; undefined when it is neither (or not an object). */
export function parsePolicyDocument(raw: string | undefined): PolicyDocumentJson | undefined {
  if (raw === undefined) return undefined;
  for (const text of [raw, safeDecode(raw)]) {
    if (text === undefined) continue;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as PolicyDocumentJson;
    } catch {
      // Try the next spelling.
    }
  }
  return undefined;
}

function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** A policy element that may be one value or a list of them (Statement, Action, Resource …), as a list. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * Whether `value` matches an IAM pattern with `*` and `?` wildcards. Actions compare without case, resource
 * ARNs with it (IAM user guide, "IAM JSON policy elements: Action" and "Resource").
 */
export function matchesIamPattern(
  pattern: string,
  value: string,
  options: { readonly ignoreCase?: boolean } = {},
): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, options.ignoreCase ? "i" : "").test(value);
}
