/**
 * A regression or descriptive table as a Word document (.docx, Office Open XML), the format Chinese journals ask
 * for: the title as a bold paragraph, the table in the three-line style papers print (rules above and below the
 * header and at the bottom, one before the fit rows), the first column left-aligned and the others right-aligned,
 * and the notes as small italic paragraphs. Zipped with fflate; opened by Word, LibreOffice and python-docx.
 */
import { escapeHtml as xmlEsc } from '../html';

export interface DocxGrid {
  title: string;
  header: string[];
  body: string[][];
  footer: string[][];
  notes: string[];
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const rule = (side: string, size: number) => `<w:${side} w:val="single" w:sz="${size}" w:space="0" w:color="000000"/>`;

function run(text: string, props = ''): string {
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${xmlEsc(text)}</w:t></w:r>`;
}

function para(text: string, opts: { bold?: boolean; italic?: boolean; size?: number; align?: string } = {}): string {
  const size = opts.size ? `<w:sz w:val="${opts.size}"/>` : '';
  const rp = `${opts.bold ? '<w:b/>' : ''}${opts.italic ? '<w:i/>' : ''}${size}`;
  const pp = opts.align ? `<w:pPr><w:jc w:val="${opts.align}"/><w:spacing w:before="0" w:after="0"/></w:pPr>` : '';
  return `<w:p>${pp}${run(text, rp)}</w:p>`;
}

function row(cells: string[], borders: { top?: boolean; bottom?: boolean }, header = false): string {
  const tcs = cells.map((c, i) => {
    const b = `${borders.top ? rule('top', 8) : ''}${borders.bottom ? rule('bottom', 8) : ''}`;
    const tcPr = b ? `<w:tcPr><w:tcBorders>${b}</w:tcBorders></w:tcPr>` : '';
    const align = i === 0 ? 'left' : header ? 'center' : 'right';
    return `<w:tc>${tcPr}${para(c, { align, size: 20 })}</w:tc>`;
  });
  return `<w:tr>${tcs.join('')}</w:tr>`;
}

/** The .docx bytes of a table grid. */
export function gridToDocx(g: DocxGrid): Uint8Array {
  const { zipSync, strToU8 } = require('fflate') as typeof import('fflate');
  const rows = [
    row(g.header, { top: true, bottom: true }, true),
    ...g.body.map((r, i) => row(r, { bottom: i === g.body.length - 1 && !g.footer.length })),
    ...g.footer.map((r, i) => row(r, { top: i === 0, bottom: i === g.footer.length - 1 })),
  ];
  const tblPr =
    `<w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders>${rule('top', 12)}` +
    `${rule('bottom', 12)}</w:tblBorders></w:tblPr>`;
  const body =
    (g.title ? para(g.title, { bold: true, align: 'center' }) : '') +
    `<w:tbl>${tblPr}<w:tblGrid>${g.header.map(() => '<w:gridCol/>').join('')}</w:tblGrid>${rows.join('')}</w:tbl>` +
    g.notes.map((n) => para(n, { italic: true, size: 18 })).join('');
  const files = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ' +
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/' +
        'officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}` +
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" ' +
        'w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>',
    ),
  };
  return zipSync(files);
}
