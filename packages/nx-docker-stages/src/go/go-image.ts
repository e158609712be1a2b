/**
 * The Go toolchain image of a unit's stages when the `goImage` option is not set: the official
 * image of the Go its go.work or go.mod asks for, so a module that needs Go 1.24 builds with Go
 * 1.24 and two units of different Go versions each get theirs. Pure.
 */
import { pathInDir } from '../workspace/workspace-paths';
import { GoVersionDirectives } from './go-mod';
import { GoUnit } from './go-workspace';

/**
 * The oldest Go the plugin picks: the image when the unit names no Go version, and for a unit that
 * asks for an older one (a `go` line is a minimum, and Go builds older modules; images of old
 * releases may not exist for bookworm and get no fixes).
 */
export const FLOOR_GO_RELEASE = '1.23';
export const FALLBACK_GO_IMAGE = `golang:${FLOOR_GO_RELEASE}-bookworm`;

export interface GoImageChoice {
  image: string;
  /** Why this image, for setup's report: the directive it follows. */
  reason: string;
}

/**
 * `toolchain go1.24.2` wins (the exact toolchain the unit asks for: golang:1.24.2-bookworm); else
 * `go 1.24` or `go 1.24.1`, a minimum, gives the newest patch of that release (golang:1.24-bookworm);
 * else the fallback. A toolchain older than the `go` line is ignored, as Go ignores it; a version
 * older than the floor gives the floor's image.
 */
export function goImageFor(version: GoVersionDirectives, file: string): GoImageChoice {
  const release = (v: string) => v.split('.').slice(0, 2).join('.');
  const belowFloor = (v: string) => compareVersions(release(v), FLOOR_GO_RELEASE) < 0;
  const floor = (line: string) => ({ image: FALLBACK_GO_IMAGE, reason: `the "${line}" line of ${file}, a minimum older than ${FLOOR_GO_RELEASE}, the oldest Go the plugin picks` });
  if (version.toolchain && (!version.go || compareVersions(version.toolchain, version.go) >= 0)) {
    if (belowFloor(version.toolchain)) return floor(`toolchain go${version.toolchain}`);
    return { image: `golang:${version.toolchain}-bookworm`, reason: `the "toolchain go${version.toolchain}" line of ${file}` };
  }
  if (version.go) {
    if (belowFloor(version.go)) return floor(`go ${version.go}`);
    return { image: `golang:${release(version.go)}-bookworm`, reason: `the "go ${version.go}" line of ${file}` };
  }
  return { image: FALLBACK_GO_IMAGE, reason: `${file} names no Go version` };
}

/** The image of the Go a unit's go.work or go.mod asks for, and why. */
export function goImageOfUnit(unit: Pick<GoUnit, 'dir' | 'kind' | 'goVersion'>): GoImageChoice {
  return goImageFor(unit.goVersion, pathInDir(unit.dir, unit.kind === 'work' ? 'go.work' : 'go.mod'));
}

/** Compares dotted versions (1.24 < 1.24.0 < 1.24.1). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
