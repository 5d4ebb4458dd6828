/**
 * One source notebook, two languages. The settings cell holds `const LANG = 'en' as 'en' | 'zh';` (the package
 * follows it through `setLang(LANG)`); markdown cells carry their Chinese text in `metadata.nqp.zh` and exercise
 * cells their Chinese prompt in `metadata.nqp.zh_prompt` (the teacher kit reads the same fields). `nqp reproduce
 * --lang zh` writes the setting and puts the Chinese texts in place before the kernel runs, as `--data` writes DATA.
 */
import { cellSource, type Notebook, type NotebookCell } from './html';
import { setSettingLine } from './settings-line';

/** The settings line every notebook carries; `nqp reproduce --lang` rewrites its value. */
export const LANG_SETTING = /^const LANG = '(en|zh)' as 'en' \| 'zh';/m;

const toSource = (s: string) => s.split(/(?<=\n)/);
const nqpMeta = (c: NotebookCell) => (c.metadata?.nqp ?? {}) as { zh?: unknown; zh_prompt?: unknown };

/** The notebook's LANG setting ('en' when it has none). */
export function lang(nb: Notebook): 'en' | 'zh' {
  for (const c of nb.cells) {
    const m = c.cell_type === 'code' ? LANG_SETTING.exec(cellSource(c)) : null;
    if (m) return m[1] as 'en' | 'zh';
  }
  return 'en';
}

/** An exercise cell's source with the comment lines above its solution region in Chinese. */
export function withZhPrompt(src: string, prompt: string): string {
  const lines = src.split('\n');
  let k = 0;
  while (k < lines.length && /^\s*\/\/(?!\s*BEGIN SOLUTION)/.test(lines[k])) k++;
  return [...prompt.split('\n').map((l) => `// ${l}`), ...lines.slice(k)].join('\n');
}

/** Set the notebook's LANG to `language`; for 'zh', swap in the Chinese markdown and exercise prompts. */
export function injectLang(nb: Notebook, name: string, language: 'en' | 'zh'): void {
  setSettingLine(nb, name, LANG_SETTING, `const LANG = '${language}' as 'en' | 'zh';`, '--lang');
  if (language !== 'zh') return;
  for (const c of nb.cells) {
    const { zh, zh_prompt } = nqpMeta(c);
    if (c.cell_type === 'markdown' && typeof zh === 'string') c.source = toSource(zh);
    if (c.cell_type === 'code' && typeof zh_prompt === 'string')
      c.source = toSource(withZhPrompt(cellSource(c), zh_prompt));
  }
}
