// Preloaded into a child process by bench/run.ts (`node -r bench/rss-report.js …`): prints the process's peak
// resident memory on exit, so the command line is measured as users run it.
'use strict';
// Worker threads load preloads too; only the main thread reports (maxRSS is the whole process's).
if (require('node:worker_threads').isMainThread) {
  process.on('exit', () => {
    process.stderr.write(`\nNQP_PEAK_RSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
  });
}
