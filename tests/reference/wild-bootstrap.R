# Reference values for tests/estimate/wild-bootstrap.test.ts, computed outside our code in two ways:
#  1. fwildclusterboot itself (0.14.3, built here from its public source with `R CMD INSTALL`; its dependencies
#     summclust and JuliaConnectoR likewise; collapse, dqrng, gtools, generics, Formula, rlang from apt), on
#     fixest models; each case records the exact call.
#  2. brute force: for every one of the 2^G Rademacher sign vectors, build y* = fitted under H0 + v_g * residual,
#     refit `lm` with explicit fixed-effect dummies, and take the cluster-robust t (sandwich::vcovCL); the
#     p-value is the share of |t*| > |t|; the draws v = ±1 reproduce ±t exactly, and these ties count as not
#     exceeding (a relative margin of 1e-9 keeps rounding out of it). With full enumeration there is no Monte Carlo error: the values are exact.
# Run: Rscript tests/reference/wild-bootstrap.R   (writes tests/fixtures/wild-bootstrap-reference.json)
suppressPackageStartupMessages({
  library(fixest); suppressWarnings(library(fwildclusterboot)); library(sandwich); library(jsonlite)
})
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
fixdir <- file.path(here, "..", "fixtures")
produc <- read.csv(file.path(fixdir, "produc.csv"), colClasses = c(region = "character"))
grunfeld <- read.csv(file.path(fixdir, "grunfeld.csv"))
# fwildclusterboot rebuilds a model frame in which "state + year" is evaluated as arithmetic, so the text codes
# are replaced by integer codes for it (the same groups: the model is unchanged).
produc$state <- as.integer(factor(produc$state))
produc$region <- as.integer(produc$region)
datasets <- list(produc = produc, grunfeld = grunfeld)
cases <- list()

add <- function(id, data, fml, param, clustid, B, type = "rademacher", impose_null = TRUE, seed = 1) {
  # fwildclusterboot re-evaluates the model's data argument in the global environment.
  assign("bootdata", datasets[[data]], envir = globalenv())
  m <- do.call(feols, list(fml = as.formula(fml), data = quote(bootdata),
                           cluster = as.formula(paste0("~", clustid))))
  dqrng::dqset.seed(seed); set.seed(seed)
  b <- boottest(m, param = param, clustid = clustid, B = B, type = type, impose_null = impose_null,
                sign_level = 0.05, tol = 1e-10, maxiter = 200)
  call <- sprintf('boottest(feols(%s, data = %s, cluster = ~%s), param = "%s", clustid = "%s", B = %d, type = "%s", impose_null = %s, tol = 1e-10, maxiter = 200)',
                  fml, data, clustid, param, clustid, B, type, impose_null)
  cases[[length(cases) + 1]] <<- list(
    id = id, data = data, formula = fml, term = param, cluster = clustid, reps = B, weights = type,
    impose_null = impose_null, call = call, fwildclusterboot = as.character(packageVersion("fwildclusterboot")),
    boot_iter = b$boot_iter, p_value = b$p_val, conf_int = unname(b$conf_int), t_stat = unname(b$t_stat))
}

# Brute force with enumeration: y ~ x + factor dummies, H0 imposed, every sign vector.
brute <- function(id, data, y, xs, fes, param, clustid, beta0 = 0) {
  d <- datasets[[data]]
  fe_terms <- paste0("factor(", fes, ")")
  rhs <- c(xs, fe_terms)
  full <- as.formula(paste(y, "~", paste(rhs, collapse = " + ")))
  restricted_rhs <- c(setdiff(xs, param), fe_terms)
  d$y_null <- d[[y]] - beta0 * d[[param]]
  rfit <- lm(as.formula(paste("y_null ~", paste(restricted_rhs, collapse = " + "))), data = d)
  fitted0 <- fitted(rfit) + beta0 * d[[param]]
  u0 <- residuals(rfit)
  tstat <- function(yy) {
    d$yy <- yy
    f <- lm(update(full, yy ~ .), data = d)
    (coef(f)[[param]] - beta0) / sqrt(vcovCL(f, cluster = d[[clustid]], type = "HC0", cadjust = FALSE)[param, param])
  }
  t0 <- tstat(d[[y]])
  g <- as.integer(factor(d[[clustid]]))
  G <- max(g)
  tb <- vapply(0:(2^G - 1), function(b) {
    v <- ifelse(bitwAnd(b, 2^(0:(G - 1))) > 0, -1, 1)
    tstat(fitted0 + u0 * v[g])
  }, numeric(1))
  cases[[length(cases) + 1]] <<- list(
    id = id, data = data, formula = paste(y, "~", paste(xs, collapse = " + "), "|", paste(fes, collapse = " + ")),
    term = param, cluster = clustid, beta0 = beta0, weights = "rademacher", impose_null = TRUE,
    call = sprintf("brute force: lm(%s ~ %s) refit for all 2^%d sign vectors, vcovCL(type = 'HC0')", y,
                   paste(rhs, collapse = " + "), G),
    boot_iter = 2^G, p_value = mean(abs(tb) > abs(t0) * (1 + 1e-9)), t_stat_unscaled = t0)
}

# Full enumeration (2^G < B): exact, no Monte Carlo error.
add("grunfeld_firm_year_cl_firm", "grunfeld", "inv ~ value + capital | firm + year", "value", "firm", 9999)
add("grunfeld_firm_year_cl_firm_capital", "grunfeld", "inv ~ value + capital | firm + year", "capital", "firm", 9999)
add("grunfeld_ols_cl_firm", "grunfeld", "inv ~ value + capital", "capital", "firm", 9999)
add("grunfeld_firm_year_wcu", "grunfeld", "inv ~ value + capital | firm + year", "capital", "firm", 9999,
    impose_null = FALSE)
add("produc_state_year_cl_region", "produc", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "lpcap",
    "region", 9999)
# Random draws (Monte Carlo error): 48 clusters.
add("produc_state_year_cl_state_webb", "produc", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "lpcap",
    "state", 9999, type = "webb")
add("produc_state_year_cl_state_rademacher", "produc", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "unemp",
    "state", 9999)

brute("brute_grunfeld_firm_year", "grunfeld", "inv", c("value", "capital"), c("firm", "year"), "capital", "firm")
brute("brute_grunfeld_firm_year_b0", "grunfeld", "inv", c("value", "capital"), c("firm", "year"), "capital", "firm",
      beta0 = 0.2)
brute("brute_produc_state_year_cl_region", "produc", "lgsp", c("lpcap", "lpc", "lemp", "unemp"),
      c("state", "year"), "lpcap", "region")

out <- list(generated_by = "tests/reference/wild-bootstrap.R", fixest = as.character(packageVersion("fixest")),
            fwildclusterboot = as.character(packageVersion("fwildclusterboot")), R = R.version.string,
            cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(fixdir, "wild-bootstrap-reference.json"))
cat("wrote", length(cases), "cases\n")
