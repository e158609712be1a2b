/**
 * Before any e2e suite: a Docker engine with BuildKit must answer (installed
 * and started when none does), the local base images must exist (nothing can
 * be pulled here), and the plugin must be packed. Any failure stops the run
 * loudly: an e2e test never skips its real work.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

export default function globalSetup(): void {
  const run = (file: string, args: string[]) => execFileSync(file, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  run('bash', [join(repo, 'scripts/engine/up.sh')]);
  run('bash', [join(repo, 'scripts/engine/base-images.sh')]);
  if (process.env.NX_DOCKER_STAGES_SKIP_PACK !== '1') run(process.execPath, [join(repo, 'scripts/pack.js')]);
}
