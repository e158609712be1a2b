/**
 * The options of one image build checked before anything runs, each problem named by its option
 * and with the fix: what the engine would otherwise refuse with a bare exit code, or a file that
 * would leave the workspace. Pure, but for `fileExists`, which the caller gives.
 */
import { mayLeaveFolder } from '../workspace/workspace-paths';
import { ImageBuildOptions } from './image-build-options';

// Operating systems and architectures Go and containerd know (`go tool dist list`; containerd's
// platform normalization adds the aliases x86_64, x86-64, aarch64, i386, armhf, armel).
const OS = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'dragonfly', 'solaris', 'illumos', 'aix', 'android', 'ios', 'plan9', 'js', 'wasip1']);
const ARCH = new Set(['amd64', 'x86_64', 'x86-64', '386', 'i386', 'arm', 'armhf', 'armel', 'arm64', 'aarch64', 'ppc64', 'ppc64le', 'mips', 'mipsle', 'mips64', 'mips64le', 'riscv64', 's390x', 'loong64', 'wasm']);

/** Whether `platform` is `os/arch[/variant]` of known names (a comma-separated list: each). */
function isPlatform(platform: string): boolean {
  return platform.split(',').every((one) => {
    const [os, arch, variant, ...rest] = one.trim().toLowerCase().split('/');
    return rest.length === 0 && OS.has(os) && ARCH.has(arch ?? '') && (variant === undefined || /^v\d+$/.test(variant));
  });
}

/** The first problem of `options`, as a message, or undefined. Paths are relative to the workspace root. */
export function buildOptionProblem(projectName: string, options: ImageBuildOptions, fileExists: (workspacePath: string) => boolean): string | undefined {
  for (const option of ['dockerfile', 'context'] as const) {
    const path = options[option];
    if (path !== undefined && mayLeaveFolder(path)) {
      return `${projectName}: the "${option}" option (${path}) must be a path inside the workspace, relative to its root, without ".."; fix it in the docker-build target's options`;
    }
  }
  const registry = options.registry;
  if (registry !== undefined) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) {
      return `${projectName}: the "registry" option (${registry}) has a scheme; give the registry host and path only, e.g. ${registry.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`;
    }
    if (registry.trim() === '' || /\s/.test(registry) || /\/\//.test(registry.replace(/\/+$/, ''))) {
      return `${projectName}: the "registry" option ("${registry}") is not a registry host and path (such as registry.example.com/team); fix it`;
    }
  }
  if (options.platform !== undefined && !isPlatform(options.platform)) {
    return `${projectName}: the "platform" option (${options.platform}) is not an os/arch platform the engine knows, such as linux/amd64 or linux/arm64; fix it`;
  }
  for (const [index, secret] of (options.secrets ?? []).entries()) {
    if (secret.src === undefined) continue;
    if (!fileExists(secret.src)) {
      return (
        `${projectName}: the file of secret "${secret.id}" ("secrets"[${index}].src: ${secret.src}) does not exist; ` +
        'create it (relative to the workspace root, or an absolute path), or remove the secret'
      );
    }
  }
  return undefined;
}
