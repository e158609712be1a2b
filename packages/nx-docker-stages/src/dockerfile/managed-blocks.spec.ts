import { checksumOf, mergeManagedBlocks, parseManagedFile, renderBlock } from './managed-blocks';

const a = { id: 'base:go', body: 'FROM golang:1.23 AS go-base' };
const b = { id: 'app:api', body: 'FROM go-base AS api-build' };
const c = { id: 'app:worker', body: 'FROM go-base AS worker-build' };

describe('managed blocks', () => {
  it('writes a fresh file with the blocks in order, separated by blank lines', () => {
    const { text } = mergeManagedBlocks(null, [a, b], 'Dockerfile');
    expect(text).toBe(`${renderBlock(a)}\n\n${renderBlock(b)}\n`);
  });

  it('marks each block with a checksum of its body', () => {
    expect(renderBlock(a).split('\n')[0]).toContain(`"base:go" [${checksumOf(a.body)}]`);
  });

  it('round-trips a file it wrote unchanged', () => {
    const first = mergeManagedBlocks(null, [a, b], 'Dockerfile').text;
    expect(mergeManagedBlocks(first, [a, b], 'Dockerfile').text).toBe(first);
  });

  it('round-trips a block whose body ends with a line break, without calling it edited', () => {
    // Found by managed-blocks.fuzz.spec.ts: the checksum was of the body before its trailing line breaks were cut.
    const trailing = { id: 'base:go', body: 'FROM golang:1.23 AS go-base\n' };
    const first = mergeManagedBlocks(null, [trailing], 'Dockerfile').text;
    expect(mergeManagedBlocks(first, [trailing], 'Dockerfile')).toEqual({ text: first, editedBlocks: [] });
  });

  it('inserts a new block after the block that precedes it, keeping build order', () => {
    const first = mergeManagedBlocks(null, [a, c], 'Dockerfile').text + '# mine\n';
    const { text } = mergeManagedBlocks(first, [a, b, c], 'Dockerfile');
    expect(text.indexOf('api-build')).toBeGreaterThan(text.indexOf('go-base'));
    expect(text.indexOf('api-build')).toBeLessThan(text.indexOf('worker-build'));
    expect(text.endsWith('# mine\n')).toBe(true);
  });

  it('reports a block whose body a person changed, and keeps it', () => {
    const first = mergeManagedBlocks(null, [a, b], 'Dockerfile').text;
    const edited = first.replace('AS api-build', 'AS api-build\nRUN echo mine');
    const result = mergeManagedBlocks(edited, [a, { ...b, body: 'FROM go-base AS api-build2' }], 'Dockerfile');
    expect(result.editedBlocks).toEqual(['app:api']);
    expect(result.text).toContain('RUN echo mine');
  });

  it('reads a file of many blocks in time linear in its length', () => {
    // Found by managed-blocks.fuzz.spec.ts: each end marker was searched for from the top of the file.
    const text = Array.from({ length: 20_000 }, () => renderBlock(b)).join('\n');
    const started = performance.now();
    expect(parseManagedFile(text, 'Dockerfile')).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('names the file and line of a begin marker without its end', () => {
    const broken = renderBlock(a).split('\n').slice(0, 2).join('\n');
    expect(() => parseManagedFile(broken, 'Dockerfile')).toThrow('Dockerfile:1: managed block "base:go" has no end marker');
  });
});
