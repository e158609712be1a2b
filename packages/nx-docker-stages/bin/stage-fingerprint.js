#!/usr/bin/env node
// Prints a fingerprint of the parts of the generated Dockerfile one app's
// image depends on (its base stage, its own stages and any text outside the
// managed blocks), so that editing one app's stages changes only that app's
// Nx task hash. Nx runs it as a `runtime` input of the docker-build target.
// The plugin's version is part of it: a new version may generate or build differently.
const { fingerprintDockerfile } = require('../src/docker/stage-fingerprint');
const { version } = require('../package.json');
process.stdout.write(`nx-docker-stages@${version} ${fingerprintDockerfile(process.cwd(), process.argv[2], process.argv.slice(3))}\n`);
