import { EngineError } from './engine-error';
import { fileWriteFailure } from './file-write-failure';

const errno = (code: string) => Object.assign(new Error(`${code}: raw message, write`), { code });

describe('fileWriteFailure', () => {
  it('says a full disk in words, with the fix, and names the file', () => {
    const failure = fileWriteFailure('dist/docker/api/image.tar.gz', errno('ENOSPC'));
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure.message).toBe(
      'writing dist/docker/api/image.tar.gz failed: the disk is full (ENOSPC); free space (old images: docker image prune; the build cache: docker builder prune; old build output under dist/) and run again',
    );
  });

  it('says permissions and read-only file systems in words, and anything else as the system said it', () => {
    expect(fileWriteFailure('f', errno('EACCES')).message).toMatch(/^writing f failed: permission denied \(EACCES\); make the folder writable/);
    expect(fileWriteFailure('f', errno('EROFS')).message).toMatch(/read-only \(EROFS\)/);
    expect(fileWriteFailure('f', errno('EIO')).message).toBe('writing f failed: EIO: raw message, write');
  });
});
