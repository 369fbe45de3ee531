/**
 * Credentials written inside URLs: `scheme://user:password@host`, `scheme://token@host`, and
 * anaconda.org's token channels `https://conda.anaconda.org/t/<token>/<channel>`, and secret query parameters (`?token=…`)
 * (https://www.anaconda.com/docs/tools/anaconda-org/admin-guide/tokens). Anything the environment file holds
 * is copied into the build context and the image, so such URLs are refused; and every message
 * this package prints passes through {@link redactUrlCredentials}, so a refused secret is not echoed.
 */

/** `scheme://userinfo@`: everything between `://` and the `@` before the host. */
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@\s]+)@/g;
/** anaconda.org token channels: `://host/t/<token>/`. */
const CONDA_TOKEN = /(:\/\/[^/?#\s]+\/t\/)([^/?#\s]+)/g;
/**
 * Query parameters that carry a secret: tokens, keys, passwords and presigned-URL signatures
 * (S3's `X-Amz-Signature`/`X-Amz-Credential`, Azure's `sig`; https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
const SECRET_QUERY =
  /([?&](?:[A-Za-z0-9_.-]*token|access[_-]?key|api[_-]?key|apikey|key|password|passwd|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)([^&#\s"']+)/gi;
/** The conventional SSH user of git hosts (`git+ssh://git@github.com/…`): a name, not a secret. */
const PUBLIC_USERS = new Set(["git"]);

/** True when the text holds a URL with a user name, password or token in it. */
export function hasUrlCredentials(text: string): boolean {
  for (const match of text.matchAll(USERINFO)) if (!PUBLIC_USERS.has(match[2] ?? "")) return true;
  return new RegExp(CONDA_TOKEN.source).test(text) || new RegExp(SECRET_QUERY.source, "i").test(text);
}

/** Replaces the user name, password or token of every URL in the text with `***`. */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(USERINFO, (whole, scheme: string, userinfo: string) =>
      PUBLIC_USERS.has(userinfo) ? whole : `${scheme}***@`,
    )
    .replace(CONDA_TOKEN, (_, prefix: string) => `${prefix}***`)
    .replace(SECRET_QUERY, (_, prefix: string) => `${prefix}***`);
}

/** The fix shared by every refusal of credentials in a file. */
export const CREDENTIALS_FIX =
  "remove them: credentials must not be in the environment file, which is committed, copied into the image build and kept in the image's layers. " +
  "Use an index, channel or mirror that needs no credentials in its URL (e.g. one reachable only from your build network), " +
  "or build private wheels before the image build and list their paths (e.g. ./wheels/pkg-1.0-py3-none-any.whl)";
