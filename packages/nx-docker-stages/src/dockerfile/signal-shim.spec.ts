import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNAL_SHIM } from './render-node-stages';

/** Starts `node -e SIGNAL_SHIM <file>` as the runtime stage's CMD does, sends SIGTERM once it is up, and reports how it ended. */
function runAndTerminate(source: string): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'signal-shim-'));
  const file = join(dir, 'main.js');
  writeFileSync(file, source);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', SIGNAL_SHIM, file, 'arg1']);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready')) child.kill('SIGTERM');
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the runtime stage signal handling', () => {
  it('stops an app that does not handle SIGTERM, with the conventional exit code 143', async () => {
    const result = await runAndTerminate("setInterval(() => {}, 1000); console.log('ready');");
    expect(result.code).toBe(143);
  });

  it('leaves SIGTERM to an app that handles it itself', async () => {
    const result = await runAndTerminate(
      "process.on('SIGTERM', () => { console.log('graceful'); process.exit(0); }); setInterval(() => {}, 1000); console.log('ready');",
    );
    expect(result).toEqual({ code: 0, output: 'ready\ngraceful\n' });
  });

  it('runs the entry as the main module with its arguments', async () => {
    const result = await runAndTerminate("console.log(String(require.main === module), process.argv.slice(2).join(' ')); console.log('ready'); setInterval(() => {}, 1000);");
    expect(result.output.startsWith('true arg1\n')).toBe(true);
  });
});
