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
    expect(mergeManagedBlocks(first, [trailing], 'Dockerfile')).toEqual({ text: first, editedBlocks: [], staleKeptBlocks: [] });
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

describe('blocks a person took over (kept)', () => {
  const generated = { id: 'base:go', body: 'FROM golang:1.23 AS go-base\nRUN go mod download' };
  /** The generated file with the base block taken over: markers renamed, the body changed. */
  const takenOver = (body: string) =>
    mergeManagedBlocks(null, [generated, { id: 'app:api', body: 'FROM go-base AS api' }], 'Dockerfile')
      .text.replace(/nx-docker-stages managed "base:go"/g, 'nx-docker-stages kept "base:go"')
      .replace('RUN go mod download', body);

  it('leaves it exactly as it is, and reports nothing while the generated body is the one it was taken from', () => {
    const text = takenOver('RUN go mod download -x\nCOPY certs/ /etc/ssl/certs/');
    expect(mergeManagedBlocks(text, [generated, { id: 'app:api', body: 'FROM go-base AS api' }], 'Dockerfile')).toEqual({ text, editedBlocks: [], staleKeptBlocks: [] });
    // The other blocks are still the generator's.
    const updated = mergeManagedBlocks(text, [generated, { id: 'app:api', body: 'FROM go-base AS api\nCOPY x /src/x/' }], 'Dockerfile');
    expect(updated.text).toContain('RUN go mod download -x\nCOPY certs/ /etc/ssl/certs/');
    expect(updated.text).toContain('COPY x /src/x/');
  });

  it('reports, with what it would write now, a kept block whose generated body changed, and leaves it as it is even when forced', () => {
    const text = takenOver('RUN go mod download -x');
    const now = { id: 'base:go', body: 'FROM golang:1.24 AS go-base\nRUN go mod download' };
    const merged = mergeManagedBlocks(text, [now], 'Dockerfile', true);
    expect(merged.staleKeptBlocks).toEqual([{ id: 'base:go', now: { body: now.body, checksum: checksumOf(now.body) } }]);
    expect(merged.text).toContain('# >>> nx-docker-stages kept "base:go"');
    expect(merged.text).toContain('FROM golang:1.23 AS go-base\nRUN go mod download -x\n');
    // Following the change by hand and writing the new checksum makes it current again.
    const followed = text.replace('golang:1.23', 'golang:1.24').replace(checksumOf(generated.body), checksumOf(now.body));
    expect(mergeManagedBlocks(followed, [now], 'Dockerfile').staleKeptBlocks).toEqual([]);
  });

  it('keeps and reports a kept block the generator no longer writes, and refuses markers that do not agree', () => {
    const merged = mergeManagedBlocks(takenOver('RUN true'), [{ id: 'app:api', body: 'FROM go-base AS api' }], 'Dockerfile');
    expect(merged.staleKeptBlocks).toEqual([{ id: 'base:go', now: null }]);
    expect(merged.text).toContain('# <<< nx-docker-stages kept "base:go"');
    const mixed = takenOver('RUN true').replace('# <<< nx-docker-stages kept "base:go"', '# <<< nx-docker-stages managed "base:go"');
    expect(() => parseManagedFile(mixed, 'Dockerfile')).toThrow(/^Dockerfile:\d+: the end marker of block "base:go" says managed, its begin marker kept; make both say the same$/);
  });
});
