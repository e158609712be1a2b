/**
 * Names of files that hold credentials, as gitignore-style patterns: never part of a build
 * context (the .dockerignore lists them) nor of a staged Node app (docker-build leaves them out
 * even where npm's packing rules would take them). Pure.
 *
 * The list follows the credential-file signatures of gitrob (github.com/michenriksen/gitrob,
 * core/signatures.go), the public catalogue secret scanners grew from, keeping the files that hold
 * credentials by their name and that no app needs at run time (it leaves out gitrob's broader
 * "interesting" files, such as logs, SQL dumps, settings.py or database.yml, which apps may ship),
 * plus the environment and registry files of the ecosystems this plugin builds (.env files,
 * .npmrc, .pypirc, Docker's config.json). Each pattern is tested file by file
 * (credential-files.spec.ts).
 */
export const CREDENTIAL_FILE_PATTERNS = [
  // Environment files.
  '**/.env',
  '**/.env.*',
  // Registry and package-manager credentials.
  '**/.npmrc',
  '**/.pypirc',
  '**/.gem/credentials',
  '**/.dockercfg',
  '**/.docker/config.json',
  // Credential stores of git, HTTP clients, databases and cloud tools.
  '**/.git-credentials',
  '**/.netrc',
  '**/_netrc',
  '**/.pgpass',
  '**/.htpasswd',
  '**/.s3cfg',
  '**/.aws/credentials',
  '**/credentials.xml',
  '**/sftp-config.json',
  '**/proftpdpasswd',
  '**/doctl/config.yaml',
  '**/terraform.tfvars',
  // Private keys, key stores and password databases.
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.pkcs12',
  '**/*.jks',
  '**/*.keystore',
  '**/*.keyring',
  '**/*.ppk',
  '**/*.kdb',
  '**/*.kdbx',
  '**/*.agilekeychain',
  '**/*.keychain',
  '**/*.kwallet',
  '**/*.psafe3',
  '**/*.ovpn',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ed25519*',
  '**/id_ecdsa*',
  '**/*_rsa',
  '**/*_dsa',
  '**/*_ed25519',
  '**/*_ecdsa',
  '**/.ssh',
  '**/.ssh/**',
  // Shell and database client histories (commands typed with passwords in them).
  '**/.bash_history',
  '**/.zsh_history',
  '**/.sh_history',
  '**/.mysql_history',
  '**/.psql_history',
  '**/.irb_history',
];
