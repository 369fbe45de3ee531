/**
 * Whether an environment file's variable looks like it holds a secret. Variables become `ENV` lines, kept in the
 * image's config where anyone who can pull the image reads them, so such a variable earns a warning (not a
 * refusal: a name like `KEY_FILE=/run/key.pem` can be harmless). The answer names why, never the value.
 */

/** Name segments (split at `_`) that name a secret; `TOKENIZERS_PARALLELISM` has none of them. */
const SECRET_SEGMENTS = new Set([
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "KEY",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
]);
/** Words that name a secret even inside a segment (`DBPASSWORD`, `CLIENTSECRET`). */
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET/;

/** Value shapes of well-known credentials, each with the name the warning gives it. */
const SECRET_VALUES: readonly (readonly [RegExp, string])[] = [
  // AWS access key ids (IAM user guide, "Understanding unique ID prefixes").
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, "an AWS access key id"],
  // GitHub tokens (GitHub docs, "About authentication to GitHub": ghp_, gho_, ghu_, ghs_, ghr_, github_pat_).
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, "a GitHub token"],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, "a GitHub token"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
  [/\bhf_[A-Za-z0-9]{30,}/, "a Hugging Face token"],
  [/\bsk-[A-Za-z0-9_-]{20,}/, "an API secret key"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON Web Token"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
];

/** Why the variable looks like a secret ("its name", "its value looks like a GitHub token"), or undefined. */
export function secretLikeReason(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (upper.split("_").some((segment) => SECRET_SEGMENTS.has(segment) || SECRET_WORDS.test(segment)))
    return "its name says so";
  for (const [pattern, what] of SECRET_VALUES) if (pattern.test(value)) return `its value looks like ${what}`;
  if (hasRandomLookingRun(value)) return "its value holds a long random-looking string, like a key or token";
  return undefined;
}

/**
 * A run of at least 32 key-like characters that mixes upper case, lower case and digits with an entropy of at
 * least 4.2 bits per character: random base64 or base62 (a token, a secret key) has about 5; hex digests
 * (at most 4), words, paths and version lists stay below.
 */
function hasRandomLookingRun(value: string): boolean {
  for (const run of value.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/[0-9]/.test(run)) continue;
    if (entropyPerCharacter(run) >= 4.2) return true;
  }
  return false;
}

function entropyPerCharacter(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}
