import picomatch from 'picomatch';
import { CREDENTIAL_FILE_PATTERNS } from './credential-files';

const isCredentialFile = picomatch(CREDENTIAL_FILE_PATTERNS, { dot: true });

/** One file per pattern (at the root and deeper), as a workspace holds them. */
const CREDENTIAL_FILES = [
  '.env', 'apps/api/.env', 'apps/api/.env.production', '.env.local',
  '.npmrc', 'apps/api/.npmrc', '.pypirc', 'tools/.gem/credentials', '.dockercfg', 'ci/.docker/config.json',
  '.git-credentials', 'apps/api/.git-credentials', '.netrc', '_netrc', '.pgpass', 'public/.htpasswd', '.s3cfg', 'ops/.aws/credentials',
  'jenkins/credentials.xml', 'sftp-config.json', 'backup/proftpdpasswd', 'ops/doctl/config.yaml', 'infra/terraform.tfvars',
  'certs/server.pem', 'certs/server.key', 'certs/client.p12', 'certs/client.pfx', 'certs/client.pkcs12', 'android/release.jks', 'android/debug.keystore',
  'home/login.keyring', 'keys/putty.ppk', 'vault.kdb', 'vault.kdbx', 'x.agilekeychain', 'login.keychain', 'wallet.kwallet', 'safe.psafe3', 'vpn/office.ovpn',
  'id_rsa', 'deploy/id_rsa.pub', 'id_dsa', 'id_ed25519', 'id_ecdsa', 'keys/deploy_rsa', 'keys/deploy_dsa', 'keys/deploy_ed25519', 'keys/deploy_ecdsa',
  '.ssh/config', 'home/.ssh/known_hosts',
  '.bash_history', '.zsh_history', '.sh_history', '.mysql_history', '.psql_history', '.irb_history',
];

/** Files apps ship that must stay in. */
const APP_FILES = [
  'apps/api/src/main.ts', 'apps/api/env.ts', 'internal/credentials/store.go', 'src/keys.js', 'config/database.yml', 'app/settings.py', 'README.md',
  'apps/api/.envrc.example.md', 'public/key.svg', 'apps/web/environment.ts', 'docs/ssh.md', 'go.sum', 'package.json',
];

describe('CREDENTIAL_FILE_PATTERNS', () => {
  it.each(CREDENTIAL_FILES)('keeps out %s', (file) => {
    expect(isCredentialFile(file)).toBe(true);
  });

  it.each(APP_FILES)('lets %s through', (file) => {
    expect(isCredentialFile(file)).toBe(false);
  });

  it('has a sample file for every pattern', () => {
    const unsampled = CREDENTIAL_FILE_PATTERNS.filter((pattern) => pattern !== '**/.ssh' && !CREDENTIAL_FILES.some((file) => picomatch(pattern, { dot: true })(file)));
    expect(unsampled).toEqual([]);
  });
});
