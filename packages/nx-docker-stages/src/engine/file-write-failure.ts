/**
 * A failed write of one of the plugin's own files, said as the plugin's message: the file, what
 * the system said in words, and the fix, never a raw stack. Pure.
 */
import { EngineError } from './engine-error';

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full (ENOSPC); free space (old images: docker image prune; the build cache: docker builder prune; old build output under dist/) and run again',
  EDQUOT: 'the disk quota is used up (EDQUOT); free space and run again',
  EACCES: 'permission denied (EACCES); make the folder writable by this user',
  EPERM: 'operation not permitted (EPERM); make the folder writable by this user',
  EROFS: 'the file system is read-only (EROFS); build in a writable checkout',
};

/** `writing <file> failed: <cause in words and the fix>`, as an EngineError. */
export function fileWriteFailure(file: string, error: unknown): EngineError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = (code && CAUSES[code]) ?? (error as Error | undefined)?.message ?? String(error);
  return new EngineError(`writing ${file} failed: ${cause}`);
}
