/**
 * What a reader sees of a page's charts, measured in Chromium: every chart's visible texts (axis titles, tick
 * labels, legends, the provenance subtitle) with their boxes, and each axis's visible tick labels. Shared by the
 * Chinese page test and the every-page test.
 */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
export interface Text extends Box {
  text: string;
  role: string;
}
export interface Chart {
  title: string;
  box: Box;
  texts: Text[];
  axes: Text[][];
}

// A string, not a function: tsx would wrap named helpers in __name(), which the page does not have.
export const CHARTS_JS = `
  [...document.querySelectorAll('.chart.vega-embed .chart-wrapper > svg')].map((svg) => {
    // Vega keeps labels it hides for overlap in the DOM with opacity 0: only what a reader sees counts.
    const seen = (t) => {
      const st = getComputedStyle(t);
      return t.getAttribute('opacity') !== '0' && st.opacity !== '0' && st.visibility !== 'hidden';
    };
    const rect = (e) => {
      const b = e.getBoundingClientRect();
      return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
    };
    const shown = [...svg.querySelectorAll('text')].filter((t) => (t.textContent || '').trim() !== '' && seen(t));
    const texts = shown.map((t) => {
      const g = t.closest('g[class*="role-"]');
      return { text: t.textContent || '', role: g ? g.getAttribute('class') : '', ...rect(t) };
    });
    const axes = [...svg.querySelectorAll('g.role-axis')].map((a) =>
      [...a.querySelectorAll('g.role-axis-label text')]
        .filter(seen)
        .map((t) => ({ text: t.textContent || '', role: '', ...rect(t) })));
    const title = svg.querySelector('g.role-title text');
    return { title: title ? title.textContent : '', box: rect(svg), texts, axes };
  })`;

/** Problems a reader would see: text clipped by the chart's edge or cut with an ellipsis, tick labels overlapping. */
export function chartProblems(c: Chart, page = ''): string[] {
  const out: string[] = [];
  const at = `${page ? `${page}: ` : ''}${c.title}`;
  for (const t of c.texts) {
    const inside =
      t.left >= c.box.left - 0.5 &&
      t.right <= c.box.right + 0.5 &&
      t.top >= c.box.top - 0.5 &&
      t.bottom <= c.box.bottom + 0.5;
    if (!inside) out.push(`${at}: "${t.text}" (${t.role}) is clipped by the chart's edge`);
    if (/…/.test(t.text)) out.push(`${at}: "${t.text}" is cut with an ellipsis`);
  }
  for (const labels of c.axes)
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const [a, b] = [labels[i], labels[j]];
        const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Side by side on one line, touching counts too: "0.0000.004" reads as one number. Stacked labels (a
        // nominal y axis) may share their boxes' padding without a reader confusing them.
        const sameLine = oy > 0.5 * Math.min(a.bottom - a.top, b.bottom - b.top);
        if ((ox > 0.5 && oy > 0.5) || (sameLine && ox > -2))
          out.push(`${at}: tick labels "${a.text}" and "${b.text}" overlap or touch`);
      }
  return out;
}
