import { credentialShapeOf } from './secret-values';

// Made up at run time, in each issuer's documented shape, so that no credential-looking string sits in the repository.
const repeat = (s: string, n: number) => s.repeat(n);

describe('credentialShapeOf', () => {
  it.each([
    ['a URL with a password in it', `postgres://app:${'pw'}d@db.internal:5432/shop`],
    ['a URL with a password in it', `https://user:${'x'}y@registry.example.com/`],
    ['a private key', `-----BEGIN ${'RSA'} PRIVATE KEY-----\nMIIB...`],
    ['a private key', `-----BEGIN ${'OPENSSH'} PRIVATE KEY-----`],
    ['a private key', `-----BEGIN PGP PRIVATE KEY ${'BLOCK'}-----`],
    ['a GitHub token', `gh${'p'}_${repeat('A1', 18)}`],
    ['a GitHub token', `github_${'pat'}_${repeat('a_1', 10)}`],
    ['a GitLab token', `glp${'at'}-${repeat('x1', 10)}`],
    ['an npm token', `np${'m'}_${repeat('Ab1', 12)}`],
    ['an AWS access key id', `AK${'IA'}${repeat('Q7', 8)}`],
    ['a Slack token', `xo${'xb'}-1234567890-abcdef`],
    ['a Stripe secret key', `sk_${'live'}_${repeat('a1', 12)}`],
    ['a Google API key', `AI${'za'}${repeat('b2', 17)}c`],
    ['a JSON Web Token', `ey${'J'}hbGciOiJIUzI1NiJ9.ey${'J'}zdWIiOiIxMjM0In0.signature_part`],
  ])('sees %s', (kind, value) => {
    expect(credentialShapeOf(value)).toBe(kind);
  });

  it.each(['1.23', '-s -w', 'https://registry.npmjs.org/', 'postgres://db.internal/shop', 'ssh://git@github.com/org/repo.git', 'git@github.com:org/repo.git', 'production', '3f2c9a1e0b7d4c6a8e5f1b2d3c4a5e6f7a8b9c0d', 'AKIA-short'])(
    'leaves %s alone',
    (value) => {
      expect(credentialShapeOf(value)).toBeUndefined();
    },
  );
});
