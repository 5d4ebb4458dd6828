/**
 * Provenance on every result: the default panel's study stamps its tables (HTML, Markdown, LaTeX, Word, text) and
 * its charts (the Vega-Lite title, hence the SVG and PNG) with "Simulated data — panel.csv (sha256 …)", N and the
 * registered settings; the Controls row comes from each model's terms; show refuses results built under other
 * settings (STALE_RESULT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { binScatter, renderSvg, stampChart } from '../../src/charts';
import { resetSession, settings } from '../../src/data';
import { feols } from '../../src/estimate';
import { show } from '../../src/notebook/display';
import { controlsRow, etable, simpleTable } from '../../src/report';
import { studyPanel } from '../../src/study';

const STAMP = /Simulated data — data\/panel\.csv \(sha256 [0-9a-f]{8}\); N = \d+/;

/** The text of word/document.xml in a .docx (stored or deflated zip entry). */
function docxText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  for (let i = 0; i + 30 < b.length; i++) {
    if (b.readUInt32LE(i) !== 0x04034b50) continue;
    const method = b.readUInt16LE(i + 8);
    const size = b.readUInt32LE(i + 18);
    const nameLen = b.readUInt16LE(i + 26);
    const extra = b.readUInt16LE(i + 28);
    const name = b.subarray(i + 30, i + 30 + nameLen).toString();
    const data = b.subarray(i + 30 + nameLen + extra, i + 30 + nameLen + extra + size);
    if (name === 'word/document.xml') return (method === 8 ? inflateRawSync(data) : data).toString();
  }
  return '';
}

test('the default panel stamps tables in every format and charts in the image; Controls derived', async () => {
  resetSession();
  const CONTROLS = ['lnpgdp', 'open'];
  settings({ DATA: undefined, CONTROLS, CLUSTER: 'city_code' });
  const study = studyPanel();
  assert.equal(study.provenance.simulated, true);
  const v = { vcov: { cluster: 'city_code' }, panel: study.panel };
  const m1 = feols(study.data, 'resilience ~ nqp', v);
  const m2 = feols(study.data, 'resilience ~ nqp + lnpgdp | city_code', v);
  const m3 = feols(study.data, 'resilience ~ nqp + lnpgdp + open | city_code + year', v);
  assert.deepEqual(controlsRow([m1, m2, m3], CONTROLS), ['No', 'Some (1/2)', 'Yes']);
  const t = etable([m1, m2, m3], { controls: CONTROLS });
  assert.match(t.toString(), /Controls\s+No\s+Some \(1\/2\)\s+Yes/);
  for (const out of [t.toHtml(), t.toMarkdown(), t.toString(), docxText(t.toDocx())]) {
    assert.match(out, STAMP);
    assert.match(out, /CONTROLS = lnpgdp, open/);
  }
  assert.match(t.toLatex(), /Simulated data — data\/panel\.csv \(sha256 [0-9a-f]{8}\)/);
  assert.match(simpleTable([{ a: 1 }]).toHtml(), STAMP);
  const chart = stampChart(binScatter([1, 2, 3, 4], [2, 3, 5, 4], { title: 'F' }));
  const svg = await renderSvg(chart);
  assert.match(svg, /Simulated data — data\/panel\.csv/);

  // The settings cell edited and re-run, the table cell not: refused, naming what changed and the cell.
  settings({ DATA: undefined, CONTROLS: [], CLUSTER: 'city_code' });
  await assert.rejects(show(t), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'STALE_RESULT');
    assert.match(e.message, /CONTROLS = lnpgdp, open → none/);
    assert.match(e.message, /studyPanel/);
    return true;
  });
  await assert.rejects(show(chart), /other settings/);
  resetSession();
});
