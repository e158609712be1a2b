/**
 * Values that look like credentials, by the shapes their issuers give them (the formats the
 * gitleaks default rules and the issuers' token documentation describe: fixed prefixes, lengths,
 * PEM headers, user info in URLs). A build arg or label holding one would be written to the image
 * history, the build log and metadata.json. Pure.
 */
const CREDENTIAL_SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ['a URL with a password in it', /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i],
  ['a private key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
  ['an npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['an AWS access key id', /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['a Stripe secret key', /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/],
  ['a Google API key', /\bAIza[A-Za-z0-9_-]{35}\b/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/],
];

/** What kind of credential `value` looks like ("a GitHub token"), or undefined. */
export function credentialShapeOf(value: string): string | undefined {
  return CREDENTIAL_SHAPES.find(([, shape]) => shape.test(value))?.[0];
}
