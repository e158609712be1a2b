import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitStamp } from './git-stamp';

let dir: string;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'git-stamp-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the stamp of the commit being built', () => {
  it('reads only the values asked for, from git', async () => {
    git('init', '-q');
    writeFileSync(join(dir, 'a'), '1');
    git('add', 'a');
    git('commit', '-qm', 'one');
    const sha = git('rev-parse', 'HEAD');
    expect(await gitStamp(dir, ['sha', 'shortSha'])).toEqual({ sha, shortSha: git('rev-parse', '--short', 'HEAD') });
    expect(await gitStamp(dir, ['describe'])).toEqual({ describe: sha.slice(0, 7) });
    git('tag', 'v1.2.0');
    writeFileSync(join(dir, 'a'), '2');
    git('commit', '-qam', 'two');
    expect((await gitStamp(dir, ['describe'])).describe).toMatch(/^v1\.2\.0-1-g[0-9a-f]{7,}$/);
    expect(await gitStamp(dir, [])).toEqual({});
  });

  it('names the placeholder, the git command and the fix when the folder has no commit', async () => {
    await expect(gitStamp(dir, ['shortSha'])).rejects.toThrow(
      new RegExp(`^"goLdflags" uses \\{shortSha\\}, and \`git rev-parse --short HEAD\` in ${dir} gave no value \\(.+\\); build from a git work tree with at least one commit, or remove the placeholder$`),
    );
  });
});
