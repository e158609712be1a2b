/** What an Nx run did, read from its plain (static) output. */

/** Projects whose `target` task Nx ran or restored, sorted. */
function tasksIn(output, target) {
  const names = new Set();
  for (const m of output.matchAll(new RegExp(`nx run (\\S+?):${target}\\b`, 'g'))) names.add(m[1]);
  return [...names].sort();
}

/** How many of the run's tasks came from the cache: "... for 14 out of 14 tasks". */
function cacheHits(output) {
  const m = /from the cache instead of running the command for (\d+) out of (\d+) tasks?/.exec(output);
  return m ? { hits: Number(m[1]), total: Number(m[2]) } : { hits: 0, total: null };
}

module.exports = { tasksIn, cacheHits };
