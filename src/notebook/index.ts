export { TslabKernel, type CellOutput, type ExecuteResult } from './kernel';
export {
  runNotebook,
  reproduce,
  checkOutputFolder,
  writeWhole,
  injectData,
  DATA_SETTING,
  NOTEBOOKS,
  type RunOptions,
  type NotebookRun,
} from './run';
export { notebookToHtml, markdownToHtml, VEGALITE_MIME, type Notebook, type NotebookCell } from './html';
export { writeKernelspec, userJupyterDir, kernelspecMeta, KERNEL_NAME, DENO_KERNEL_NAME } from './kernelspec';
export { kernelName, requireDeno, denoBin, KERNELS, DENO_PERMISSIONS, DENO_REVOKED, type KernelName } from './kernels';
export { show, bundleFor, liveHtml, type Displayable } from './display';
export { injectLang, lang as notebookLang, LANG_SETTING, withZhPrompt } from './lang';
