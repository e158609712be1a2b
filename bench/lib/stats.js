/** Summaries of repeated timings: median, min, max, and the runs themselves. */
function summarize(values) {
  const runs = values.map((v) => Math.round(v));
  if (runs.length === 0) return null;
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** a / b rounded to 3 decimals, or null when either is missing. */
function ratio(a, b) {
  if (a == null || b == null || b === 0) return null;
  return Math.round((a / b) * 1000) / 1000;
}

/** Geometric mean of ratios (nulls skipped), rounded to 3 decimals. */
function geomean(ratios) {
  const present = ratios.filter((r) => r != null && r > 0);
  if (!present.length) return null;
  return Math.round(Math.exp(present.reduce((s, r) => s + Math.log(r), 0) / present.length) * 1000) / 1000;
}

module.exports = { summarize, ratio, geomean };
