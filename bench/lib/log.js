/** Progress messages on stderr, with the time since the suite started. */
const started = Date.now();
const stamp = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return `[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
};
const log = (message) => process.stderr.write(`${stamp()} ${message}\n`);
log.debug = (message) => {
  if (process.env.BENCH_DEBUG) log(message);
};
log.elapsedMs = () => Date.now() - started;
module.exports = { log };
