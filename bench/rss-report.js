// Preloaded into a child process by bench/run.ts (`node -r bench/rss-report.js …`): prints the process's peak
// resident memory and CPU time (user + system, every thread) on exit, so the command line is measured as users run
// it.
'use strict';
// Worker threads load preloads too; only the main thread reports (maxRSS is the whole process's).
if (require('node:worker_threads').isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stderr.write(`\nNQP_PEAK_RSS_MB ${(u.maxRSS / 1024).toFixed(1)}\n`);
    process.stderr.write(`NQP_CPU_S ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(3)}\n`);
  });
}
