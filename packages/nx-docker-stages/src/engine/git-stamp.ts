/**
 * The stamp values of the commit being built ({sha}, {shortSha}, {describe} of goLdflags), read from
 * git when a build runs. Only those asked for; git runs with an argument array.
 */
import execa from 'execa';
import { StampPlaceholder, StampValues } from '../go/go-build-settings';

const GIT_ARGS: Record<StampPlaceholder, string[]> = {
  sha: ['rev-parse', 'HEAD'],
  shortSha: ['rev-parse', '--short', 'HEAD'],
  describe: ['describe', '--tags', '--always'],
};

/** The values of `placeholders` for the commit checked out in `root`. Throws, naming the placeholder and the fix, when git cannot tell. */
export async function gitStamp(root: string, placeholders: StampPlaceholder[]): Promise<StampValues> {
  const values: StampValues = {};
  for (const name of placeholders) {
    const result = await execa('git', GIT_ARGS[name], { cwd: root, reject: false });
    const value = result.exitCode === 0 ? result.stdout.trim() : '';
    if (!value) {
      const why = (result.stderr || (result.failed && 'shortMessage' in result ? String(result.shortMessage) : '') || `exit code ${result.exitCode}`).trim().split('\n').pop();
      throw new Error(
        `"goLdflags" uses {${name}}, and \`git ${GIT_ARGS[name].join(' ')}\` in ${root} gave no value (${why}); ` +
          'build from a git work tree with at least one commit, or remove the placeholder',
      );
    }
    values[name] = value;
  }
  return values;
}
