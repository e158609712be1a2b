/** Turns a failed build's output into a message that says what went wrong and what to do. Pure. */
import { CGO_CHECK_MESSAGE } from '../dockerfile/render-go-stages';

/** The line the cgo check prints, with the packages; not the step's command line, where `$cgo` follows. */
const CGO_CHECK_LINE = new RegExp(`${CGO_CHECK_MESSAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ([^\n$"][^\n"]*)$`, 'gm');

export interface FailureContext {
  projectName: string;
  dockerfile: string;
  target: string;
  /** The `platform` option, when the build asked for one. */
  platform?: string;
}

/**
 * The image a failed `load metadata` step names (Docker 20.10 prints one such step per base image,
 * and only the failed one is the culprit), else the last one printed.
 */
function failedMetadataLoad(output: string): string | undefined {
  const failed = new Set([...output.matchAll(/^#(\d+) ERROR\b/gm)].map((m) => m[1]));
  const loads = [...output.matchAll(/^#(\d+) \[[^\]\n]*\] load metadata for (\S+)\s*$/gm)];
  return (loads.find((m) => failed.has(m[1])) ?? loads[loads.length - 1])?.[2];
}

export function explainBuildFailure(output: string, exitCode: number | undefined, ctx: FailureContext): string {
  const where = `${ctx.projectName}: building stage "${ctx.target}" of ${ctx.dockerfile}`;
  // A failed RUN step comes first: once a step ran, its base image was resolved, whatever the step printed.
  const step =
    /process "((?:[^"\\]|\\.)+)" did not complete successfully: exit code: (\d+)/.exec(output) ??
    /executor failed running \[(.*)\]: exit code: (\d+)/.exec(output);
  // Go 1.21+ with GOTOOLCHAIN=local (as the Go stages set it) refuses a module, go.work or dependency that needs a newer Go.
  const goTooOld = /go: (\S+) requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=local\)/.exec(output);
  if (goTooOld) {
    const [, what, needed, running] = goTooOld;
    return (
      `${where} failed: ${what} requires Go ${needed}, and the Go image of the stage has Go ${running}. ` +
      `Use a Go image of Go ${needed} or newer: set goImage in the nx-docker-stages options in nx.json (for example golang:${needed.split('.').slice(0, 2).join('.')}-bookworm) and run \`nx sync\`.`
    );
  }
  // A static Go app's cgo check (render-go-stages.ts) names the packages; the step's own command line holds the text too, with "$cgo".
  const cgoPackages = [...output.matchAll(CGO_CHECK_LINE)].pop()?.[1].trim();
  if (cgoPackages) {
    return (
      `${where} failed: ${cgoPackages.split(/\s+/).join(', ')} use${/\s/.test(cgoPackages) ? '' : 's'} cgo, and ${ctx.projectName} is built without it (a static binary), ` +
      'which would build their pure-Go stand-in, if they have one, instead. To build the app with cgo (on goCgoRuntimeImage), set "goEnv": { "CGO_ENABLED": "1" } ' +
      'in the docker-build options of its project.json and run `nx sync`; to build it static on purpose, set "CGO_ENABLED": "0" there.'
    );
  }
  // Go names the URL it read (user info redacted) and the status, when a proxy or module host refuses it.
  const refused = /reading (https?):\/\/(?:[^@/\s]*@)?([^/\s]+)\S*: (401 Unauthorized|403 Forbidden)/.exec(output);
  if (refused) {
    const [, scheme, host, status] = refused;
    if (scheme === 'http') {
      return (
        `${where} failed: ${host} refused a Go module download (${status}), and Go sends credentials over HTTPS only. ` +
        `Serve the proxy or module host over HTTPS (an https:// URL in GOPROXY); see docs/go.md#private-modules.`
      );
    }
    return (
      `${where} failed: ${host} refused a Go module download (${status}): the build had no credentials for it, or not the right ones. ` +
      `The Go steps get the machine's .netrc ($NETRC, else ~/.netrc) as the BuildKit secret "netrc": add "machine ${host} login <user> password <token>" to it, ` +
      `or give the builds their own with a "netrc" entry in "secrets"; see docs/go.md#private-modules.`
    );
  }
  if (step) {
    // One line, as a person reads it: BuildKit keeps the indentation of continued lines.
    const command = step[1].replace(/\\"/g, '"').replace(/^\/bin\/sh -c /, '').replace(/\s{2,}/g, ' ');
    return `${where} failed: the step \`${command}\` exited with code ${step[2]}; its output is above.`;
  }
  const missingSource = /failed to compute cache key: "?\/?([^"\s]+)"? not found/.exec(output);
  if (missingSource) {
    return (
      `${where} failed: ${missingSource[1]}, which the Dockerfile copies, is not in the build context. ` +
      'Check that it exists and that .dockerignore does not leave it out (run `nx g nx-docker-stages:setup` after adding an app).'
    );
  }
  const stageMissing = /target stage (\S+) could not be found/.exec(output);
  if (stageMissing) {
    return `${where} failed: the Dockerfile has no stage ${stageMissing[1]}; run \`nx g nx-docker-stages:setup\` to add the app's stages.`;
  }
  const namedImage =
    /(?:source metadata for|pull access denied for) (\S+?)[:,]\s/.exec(output)?.[1] ??
    failedMetadataLoad(output) ??
    /failed to (?:copy|resolve)[^\n]*?(\S+): not found/.exec(output)?.[1];
  if (/pull access denied|manifest unknown|failed to do request: Head|source metadata for|: not found/.test(output)) {
    const image = namedImage ? `"${namedImage.replace(/^docker\.io\/library\//, '')}"` : 'a base image';
    if (ctx.platform) {
      // An engine holds a local image for its own platform only: for another one, BuildKit looks for it in a registry.
      return (
        `${where} failed: ${image} for platform ${ctx.platform} is not in the engine and could not be pulled. ` +
        'The engine holds local images for its own platform only; load that platform\'s variant of the image into the engine, ' +
        'or leave out the "platform" option to build for the engine\'s own platform.'
      );
    }
    return (
      `${where} failed: ${image} is not in the engine and could not be pulled. ` +
      'Load it into the engine (docker pull / docker load), or point the plugin at an image you have: ' +
      'set goImage / goRuntimeImage / nodeImage / nodeRuntimeImage in the nx-docker-stages options in nx.json and run `nx g nx-docker-stages:setup`.'
    );
  }
  return `${where} failed (exit code ${exitCode ?? 'unknown'}); the engine's output is above.`;
}
