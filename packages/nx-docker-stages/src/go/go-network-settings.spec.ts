import { GO_NETWORK_SETTINGS, goEnvFilePath, goEnvFileText, goNetrcPaths, machineGoNetworkSettings, machineOnlySettings } from './go-network-settings';

describe("the machine's Go module settings", () => {
  it('finds Go\'s env file as cmd/go does: $GOENV, none for "off", else the user config folder (Linux)', () => {
    expect(goEnvFilePath({ GOENV: '/etc/go.env', HOME: '/root' }, 'linux')).toBe('/etc/go.env');
    expect(goEnvFilePath({ GOENV: 'off', HOME: '/root' }, 'linux')).toBeUndefined();
    expect(goEnvFilePath({ XDG_CONFIG_HOME: '/cfg', HOME: '/root' }, 'linux')).toBe('/cfg/go/env');
    expect(goEnvFilePath({ HOME: '/root' }, 'linux')).toBe('/root/.config/go/env');
    expect(goEnvFilePath({}, 'linux')).toBeUndefined();
  });

  it("finds it in each platform's user config folder, as Go's os.UserConfigDir does", () => {
    expect(goEnvFilePath({ HOME: '/home/me', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/go/env');
    expect(goEnvFilePath({ HOME: '/Users/me', XDG_CONFIG_HOME: '/cfg' }, 'darwin')).toBe('/Users/me/Library/Application Support/go/env');
    expect(goEnvFilePath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe('C:\\Users\\me\\AppData\\Roaming\\go\\env');
    expect(goEnvFilePath({ GOENV: '/etc/go.env' }, 'darwin')).toBe('/etc/go.env');
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

  it('names the settings only this machine can follow: a loopback proxy or a file: URL, never other hosts', () => {
    expect(machineOnlySettings([['GOPROXY', 'http://localhost:3000'], ['GOSUMDB', 'off']])).toEqual(['GOPROXY']);
    expect(machineOnlySettings([['GOPROXY', 'https://proxy.golang.org,file:///var/goproxy,direct']])).toEqual(['GOPROXY']);
    expect(machineOnlySettings([['GOPROXY', 'http://u:p@127.0.0.1:8080|direct']])).toEqual(['GOPROXY']);
    expect(machineOnlySettings([['GOPROXY', 'https://localhost.corp.example,direct'], ['GOPRIVATE', 'localhost']])).toEqual([]);
    expect(machineOnlySettings([['GOPROXY', 'https://goproxy.io,direct']])).toEqual([]);
  });
});


describe("the machine's .netrc, as Go finds it", () => {
  it('is $NETRC alone when set, else .netrc in the home folder, _netrc first on Windows', () => {
    expect(goNetrcPaths({ NETRC: '/ci/netrc', HOME: '/home/me' }, 'linux')).toEqual(['/ci/netrc']);
    expect(goNetrcPaths({ HOME: '/home/me' }, 'linux')).toEqual(['/home/me/.netrc']);
    expect(goNetrcPaths({ HOME: '/Users/me' }, 'darwin')).toEqual(['/Users/me/.netrc']);
    expect(goNetrcPaths({ USERPROFILE: 'C:\\Users\\me', HOME: '/ignored' }, 'win32')).toEqual(['C:\\Users\\me\\_netrc', 'C:\\Users\\me\\.netrc']);
    expect(goNetrcPaths({ NETRC: '', HOME: '/home/me' }, 'linux')).toEqual(['/home/me/.netrc']);
    expect(goNetrcPaths({}, 'linux')).toEqual([]);
  });
});
