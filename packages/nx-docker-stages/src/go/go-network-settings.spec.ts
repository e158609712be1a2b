import { GO_NETWORK_SETTINGS, goEnvFilePath, goEnvFileText, machineGoNetworkSettings } from './go-network-settings';

describe("the machine's Go module settings", () => {
  it('finds Go\'s env file as cmd/go does: $GOENV, none for "off", else the user config folder', () => {
    expect(goEnvFilePath({ GOENV: '/etc/go.env', HOME: '/root' })).toBe('/etc/go.env');
    expect(goEnvFilePath({ GOENV: 'off', HOME: '/root' })).toBeUndefined();
    expect(goEnvFilePath({ XDG_CONFIG_HOME: '/cfg', HOME: '/root' })).toBe('/cfg/go/env');
    expect(goEnvFilePath({ HOME: '/root' })).toBe('/root/.config/go/env');
    expect(goEnvFilePath({})).toBeUndefined();
  });

  it('takes each setting from the environment when set and not empty, else from the env file, as cmd/go does', () => {
    const file = 'GOPROXY=https://file.example\nGOPRIVATE=git.corp.example/*\nGOTOOLCHAIN=go1.99\n\nnot a setting\n';
    expect(machineGoNetworkSettings({ GOPROXY: 'https://env.example,direct', GOSUMDB: '', GONOSUMDB: 'x.example' }, file)).toEqual([
      ['GOPROXY', 'https://env.example,direct'],
      ['GOPRIVATE', 'git.corp.example/*'],
      ['GONOSUMDB', 'x.example'],
    ]);
    expect(machineGoNetworkSettings({ GOPROXY: '' }, 'GOPROXY=https://file.example\r\n')).toEqual([['GOPROXY', 'https://file.example']]);
  });

  it('never takes what changes the code built (GOFLAGS, GOOS, CGO_ENABLED, GOTOOLCHAIN): a secret is in no cache key', () => {
    const env = { GOFLAGS: '-tags=netgo', GOOS: 'windows', CGO_ENABLED: '1', GOTOOLCHAIN: 'go1.99', GOPATH: '/home/me/go' };
    expect(machineGoNetworkSettings(env, 'GOFLAGS=-mod=mod\n')).toEqual([]);
    expect(GO_NETWORK_SETTINGS).not.toContain('GOFLAGS');
  });

  it('leaves out a value with a line break, which would forge another line of the env file', () => {
    expect(machineGoNetworkSettings({ GOPROXY: 'https://a.example\nGOFLAGS=-mod=mod', GOSUMDB: 'off' })).toEqual([['GOSUMDB', 'off']]);
  });

  it("writes Go's env-file format, which Go reads back through GOENV", () => {
    expect(goEnvFileText([['GOPROXY', 'https://u:tok@proxy.example'], ['GOSUMDB', 'off']])).toBe('GOPROXY=https://u:tok@proxy.example\nGOSUMDB=off\n');
    expect(goEnvFileText([])).toBe('');
  });
});
