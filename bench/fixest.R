# fixest on the benchmark file, for the ratio in `npm run bench` (bench/run.ts runs this when R has fixest).
# fixest is built here from its public source (see tests/reference/fixest.R); data.table from apt.
#   Rscript bench/fixest.R FILE.csv THREADS   → one JSON line: read_s, fit_s, total_s, peak_rss_mb, x0 estimate/SE
suppressPackageStartupMessages({ library(data.table); library(fixest) })
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]; threads <- as.integer(args[2])
setFixest_nthreads(threads); setDTthreads(threads)
c0 <- proc.time()
t0 <- Sys.time()
d <- fread(file)
t1 <- Sys.time()
m <- feols(y ~ x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 | id + t, data = d, cluster = ~id)
t2 <- Sys.time()
cpu <- proc.time() - c0
status <- readLines("/proc/self/status")
peak_kb <- as.numeric(gsub("[^0-9]", "", status[grepl("^VmHWM", status)]))
cat(sprintf('{"rows": %d, "threads": %d, "read_s": %.4f, "fit_s": %.4f, "total_s": %.4f, "peak_rss_mb": %.1f, "cpu_s": %.3f, "x0": %.15g, "x0_se": %.15g, "fixest": "%s"}\n',
            nrow(d), threads, as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"),
            as.numeric(t2 - t0, units = "secs"), peak_kb / 1024,
            sum(cpu[c("user.self", "sys.self")]), coef(m)[["x0"]], se(m)[["x0"]],
            as.character(packageVersion("fixest"))))
