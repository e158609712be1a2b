/** The machine a run measured on, and how busy it was. */
const { existsSync, readFileSync } = require('node:fs');
const os = require('node:os');
const docker = require('./docker');
const { run } = require('./exec');

function osName() {
  const file = '/etc/os-release';
  if (!existsSync(file)) return `${os.type()} ${os.release()}`;
  return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync(file, 'utf8'))?.[1] ?? os.type();
}

/** 1-minute load average: above the core count means other work competed for the CPUs. */
const load = () => Math.round(os.loadavg()[0] * 100) / 100;

async function machine() {
  const npm = (await run('npm', ['--version'], { cwd: process.cwd(), allowFailure: true })).output.trim();
  return {
    os: osName(),
    kernel: os.release(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    npm,
    dockerEngine: await docker.serverVersion(),
    dockerClient: docker.client,
    loadAtStart: load(),
  };
}

/** Samples the 1-minute load average every 5 s until stopped; returns min, mean and max. */
function startLoadSampler() {
  const samples = [load()];
  const timer = setInterval(() => samples.push(load()), 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    samples.push(load());
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return { samples: samples.length, min: Math.min(...samples), mean: Math.round(mean * 100) / 100, max: Math.max(...samples) };
  };
}

module.exports = { machine, load, startLoadSampler };
