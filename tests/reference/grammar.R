# Reference values for tests/estimate/grammar.test.ts: fixest itself on formulas with interactions, i(), I() and
# log(x, base). Coefficient names, estimates and clustered SEs; the fixture records each call and fixest's version.
# Run: Rscript tests/reference/grammar.R   (writes tests/fixtures/grammar-reference.json)
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
fixdir <- file.path(here, "..", "fixtures")
produc <- read.csv(file.path(fixdir, "produc.csv"), colClasses = c(region = "character"))
grunfeld <- read.csv(file.path(fixdir, "grunfeld.csv"))
datasets <- list(produc = produc, grunfeld = grunfeld)
cases <- list()
add <- function(id, data, fml, cluster) {
  m <- feols(as.formula(fml), data = datasets[[data]], cluster = as.formula(cluster))
  ct <- coeftable(m)
  cases[[length(cases) + 1]] <<- list(
    id = id, data = data, formula = fml, cluster = sub("^~", "", cluster),
    call = sprintf("feols(%s, data = %s, cluster = %s)", fml, data, cluster),
    terms = rownames(ct), estimate = unname(ct[, 1]), std_error = unname(ct[, 2]), nobs = nobs(m))
}
add("colon", "produc", "lgsp ~ lpcap:unemp + lpc | state + year", "~state")
add("star", "produc", "lgsp ~ lpcap*unemp + lpc | state + year", "~state")
add("star3", "grunfeld", "inv ~ value*capital*year | firm", "~firm")
# An ill-conditioned design (products of year with values in the thousands): fixest's demeaning stops at its
# fixef.tol (1e-6 by default, 2.2e-12 at least), which moves the estimates by up to 5e-8 relative. The estimates
# are also taken from lm with explicit firm dummies (QR on the full design), the exact reference here.
lm3 <- lm(inv ~ value*capital*year + factor(firm), data = grunfeld)
cases[[length(cases)]]$lm_estimate <- unname(coef(lm3)[cases[[length(cases)]]$terms])
cases[[length(cases)]]$lm_call <- "lm(inv ~ value*capital*year + factor(firm), data = grunfeld)"
add("I_square", "produc", "lgsp ~ lpcap + I(lpcap^2) + lpc | state + year", "~state")
add("I_product", "produc", "lgsp ~ I(lpcap*unemp) + lpc | state + year", "~state")
add("i_slopes", "produc", "lgsp ~ i(region, lpcap, ref = \"5\") + lpc | state + year", "~state")
add("i_slopes_all", "produc", "lgsp ~ i(region, lpcap) + lpc | state + year", "~state")
add("i_dummies", "grunfeld", "inv ~ value + capital + i(year, ref = 1935) | firm", "~firm")
add("log_base", "produc", "lgsp ~ log(unemp, 10) + lpc | state + year", "~state")
add("log_base2", "grunfeld", "log(inv, 2) ~ log(value) + capital | firm + year", "~firm")
add("colon_lag_free", "grunfeld", "inv ~ value:capital + value | firm + year", "~firm")
out <- list(generated_by = "tests/reference/grammar.R", fixest = as.character(packageVersion("fixest")),
            R = R.version.string, cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(fixdir, "grammar-reference.json"))
cat("wrote", length(cases), "cases\n")
