/**
 * Names of files that hold credentials, as gitignore-style patterns: never part of a build
 * context (the .dockerignore lists them) nor of a staged Node app (docker-build leaves them out
 * even where npm's packing rules would take them). Pure.
 */
export const CREDENTIAL_FILE_PATTERNS = [
  '**/.env',
  '**/.env.*',
  '**/.npmrc',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/id_ecdsa*',
];
