/**
 * A small SVG renderer for grouped horizontal bar charts (median bars with a
 * min-max whisker), written by hand so the suite needs no charting tool.
 */
const WIDTH = 960;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 120;
const BAR = 16;
const GAP = 4;
const GROUP_GAP = 14;
const PALETTE = ['#2b6cb0', '#dd6b20', '#718096', '#38a169', '#805ad5'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One panel. `series` names the bars of every group (one colour each);
 * `groups` are [{ label, values: [{ median, min, max } | null per series] }].
 * Returns the panel's SVG elements (placed at `y`) and its height.
 */
function panel({ title, subtitle, unit, format, series, groups }, y) {
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.values.filter(Boolean).map((v) => v.max ?? v.median)));
  const scale = (v) => (v / max) * plotWidth;
  const parts = [];
  let cy = y;
  parts.push(`<text x="10" y="${cy + 18}" font-size="16" font-weight="bold">${esc(title)}</text>`);
  cy += 26;
  if (subtitle) {
    parts.push(`<text x="10" y="${cy + 12}" font-size="12" fill="#4a5568">${esc(subtitle)}</text>`);
    cy += 18;
  }
  // Legend.
  let lx = 10;
  series.forEach((name, i) => {
    parts.push(`<rect x="${lx}" y="${cy + 2}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(`<text x="${lx + 16}" y="${cy + 12}" font-size="12">${esc(name)}</text>`);
    lx += 26 + name.length * 7;
  });
  cy += 24;
  for (const group of groups) {
    const rows = group.values.length;
    const groupHeight = rows * (BAR + GAP) - GAP;
    parts.push(`<text x="${LABEL_WIDTH - 10}" y="${cy + groupHeight / 2 + 4}" font-size="13" text-anchor="end">${esc(group.label)}</text>`);
    group.values.forEach((v, i) => {
      const by = cy + i * (BAR + GAP);
      if (!v) {
        parts.push(`<text x="${LABEL_WIDTH + 4}" y="${by + 12}" font-size="11" fill="#718096">not measured</text>`);
        return;
      }
      const colour = PALETTE[i % PALETTE.length];
      parts.push(`<rect x="${LABEL_WIDTH}" y="${by}" width="${Math.max(1, scale(v.median)).toFixed(1)}" height="${BAR}" fill="${colour}"/>`);
      if (v.min != null && v.max != null && v.max > v.min) {
        const wy = by + BAR / 2;
        parts.push(
          `<line x1="${(LABEL_WIDTH + scale(v.min)).toFixed(1)}" y1="${wy}" x2="${(LABEL_WIDTH + scale(v.max)).toFixed(1)}" y2="${wy}" stroke="#1a202c" stroke-width="1.5"/>`,
        );
      }
      const end = LABEL_WIDTH + scale(Math.max(v.median, v.max ?? 0)) + 6;
      parts.push(`<text x="${end.toFixed(1)}" y="${by + 12}" font-size="11">${esc(format(v.median))}${unit ? ` ${esc(unit)}` : ''}</text>`);
    });
    cy += groupHeight + GROUP_GAP;
  }
  return { svg: parts.join('\n'), height: cy - y + 6 };
}

/** Panels stacked into one SVG document, with a footer line. */
function chart(panels, footer) {
  let y = 8;
  const parts = [];
  for (const p of panels) {
    const rendered = panel(p, y);
    parts.push(rendered.svg);
    y += rendered.height + 10;
  }
  parts.push(`<text x="10" y="${y + 10}" font-size="11" fill="#4a5568">${esc(footer)}</text>`);
  const height = y + 24;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">\n` +
    `<rect width="100%" height="100%" fill="#ffffff"/>\n${parts.join('\n')}\n</svg>\n`
  );
}

module.exports = { chart };
