import { parseGoMod, parseGoWork } from './go-mod';
import { FALLBACK_GO_IMAGE, goImageFor } from './go-image';

describe('the Go image of a unit without the goImage option', () => {
  const imageOf = (goMod: string) => goImageFor(parseGoMod(`module example.com/m\n${goMod}`).goVersion, 'go.mod');

  it('is the toolchain line exactly, else the release of the go line, else the fallback', () => {
    expect(imageOf('go 1.24\n\ntoolchain go1.24.2\n')).toEqual({ image: 'golang:1.24.2-bookworm', reason: 'the "toolchain go1.24.2" line of go.mod' });
    expect(imageOf('go 1.24\n')).toEqual({ image: 'golang:1.24-bookworm', reason: 'the "go 1.24" line of go.mod' });
    expect(imageOf('go 1.25.5\n')).toEqual({ image: 'golang:1.25-bookworm', reason: 'the "go 1.25.5" line of go.mod' });
    expect(imageOf('require example.com/x v1.0.0\n')).toEqual({ image: FALLBACK_GO_IMAGE, reason: 'go.mod names no Go version' });
  });

  it('never picks a Go older than the floor: a go line is a minimum, and old releases have no bookworm image or fixes', () => {
    expect(imageOf('go 1.16\n')).toEqual({ image: FALLBACK_GO_IMAGE, reason: 'the "go 1.16" line of go.mod, a minimum older than 1.23, the oldest Go the plugin picks' });
    expect(imageOf('go 1.19\n').image).toBe('golang:1.23-bookworm');
    expect(imageOf('go 1.21\ntoolchain go1.21.3\n').image).toBe('golang:1.23-bookworm');
    expect(imageOf('go 1.23.0\n').image).toBe('golang:1.23-bookworm');
    expect(imageOf('go 1.21\ntoolchain go1.23.4\n').image).toBe('golang:1.23.4-bookworm');
  });

  it('ignores a toolchain older than the go line, as Go does, and directives that are not versions', () => {
    expect(imageOf('go 1.25.0\ntoolchain go1.24.9\n').image).toBe('golang:1.25-bookworm');
    expect(imageOf('go 1.24.0\ntoolchain go1.24\n').image).toBe('golang:1.24-bookworm');
    expect(imageOf('go banana\ntoolchain default\n').image).toBe(FALLBACK_GO_IMAGE);
    expect(imageOf('go 1.24\ntoolchain go1.24.4-custom\n').image).toBe('golang:1.24.4-bookworm');
  });

  it("reads a go.work's own directives for its unit", () => {
    expect(goImageFor(parseGoWork('go 1.25.1\n\nuse ./a\n').goVersion, 'go.work')).toEqual({ image: 'golang:1.25-bookworm', reason: 'the "go 1.25.1" line of go.work' });
  });
});
