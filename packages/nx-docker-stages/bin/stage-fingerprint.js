#!/usr/bin/env node
// Prints a fingerprint of the parts of the generated Dockerfile one app's
// image depends on (its base stage, its own stages and any text outside the
// managed blocks), so that editing one app's stages changes only that app's
// Nx task hash. Nx runs it as a `runtime` input of the docker-build target.
const { fingerprintDockerfile } = require('../src/docker/stage-fingerprint');
process.stdout.write(fingerprintDockerfile(process.cwd(), process.argv[2], process.argv.slice(3)) + '\n');
