# Reference values for tests/math/distributions.test.ts from R's own pt, qt, pf, pchisq and lbeta (R's nmath,
# accurate to about 1e-15 relative in these ranges), including large degrees of freedom, where a log-beta
# computed as a difference of log-gammas cancels.
# Run: Rscript tests/reference/distributions.R   (writes tests/fixtures/distributions-reference.json)
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
dfs <- c(1, 2.5, 5, 29, 229, 2759, 1e4, 1e6, 1e9)
ps <- c(0.975, 0.995, 0.9995, 0.95, 0.6, 1e-10, 0.025)
ts <- c(0.1, 1.96, 3, 10, 40)
qt_rows <- do.call(rbind, lapply(dfs, function(d) data.frame(p = ps, df = d, q = qt(ps, d))))
pt_rows <- do.call(rbind, lapply(dfs, function(d) data.frame(t = ts, df = d, two_sided = 2 * pt(-ts, d))))
lbeta_rows <- expand.grid(a = c(0.5, 1.5, 7, 12.5, 500, 5e5, 5e8), b = c(0.5, 1, 3.5, 20))
lbeta_rows$lbeta <- lbeta(lbeta_rows$a, lbeta_rows$b)
pf_rows <- data.frame(f = c(0.5, 3, 40, 189), d1 = c(1, 3, 7, 1), d2 = c(10, 229, 2759, 1e6))
pf_rows$upper <- pf(pf_rows$f, pf_rows$d1, pf_rows$d2, lower.tail = FALSE)
chi_rows <- data.frame(x = c(0.5, 3, 40, 200), df = c(1, 2, 7, 150))
chi_rows$upper <- pchisq(chi_rows$x, chi_rows$df, lower.tail = FALSE)
out <- list(generated_by = "tests/reference/distributions.R", R = R.version.string,
            calls = c("qt(p, df)", "2 * pt(-t, df)", "lbeta(a, b)", "pf(f, d1, d2, lower.tail = FALSE)",
                      "pchisq(x, df, lower.tail = FALSE)"),
            qt = qt_rows, pt = pt_rows, lbeta = lbeta_rows, pf = pf_rows, pchisq = chi_rows)
writeLines(toJSON(out, digits = NA, pretty = TRUE), file.path(here, "..", "fixtures", "distributions-reference.json"))
cat("wrote distributions-reference.json\n")
