# Reference values from fixest itself (not a re-typed formula) for tests/estimate/fixest-layouts.test.ts.
# fixest is not a Debian package: build it from its public source with `R CMD INSTALL` (its dependencies
# dreamerr and stringmagic likewise; data.table, Rcpp, sandwich, nlme, numDeriv, Matrix, Formula from apt).
# Every case records the exact call; the fixture records fixest's version.
# Run: Rscript tests/reference/fixest.R   (writes tests/fixtures/fixest-reference.json)
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
fixdir <- file.path(here, "..", "fixtures")
produc <- read.csv(file.path(fixdir, "produc.csv"), colClasses = c(region = "character"))
grunfeld <- read.csv(file.path(fixdir, "grunfeld.csv"))
# An unbalanced panel: every 7th row (from the 4th) dropped; our test drops the same rows.
unbal <- produc[(seq_len(nrow(produc)) - 1) %% 7 != 3, ]
datasets <- list(produc = produc, grunfeld = grunfeld, produc_unbalanced = unbal)

cases <- list()
add <- function(id, data, fml, vcov, ssc_args = list(), ssc_text = "") {
  d <- datasets[[data]]
  s <- do.call(ssc, ssc_args)
  m <- feols(as.formula(fml), data = d, vcov = vcov, ssc = s)
  ct <- coeftable(m)
  vc <- vcov(m, attr = TRUE)
  vtext <- if (inherits(vcov, "formula")) paste(deparse(vcov), collapse = "") else vcov
  call <- sprintf('feols(%s, data = %s, vcov = %s%s)', fml, data, vtext,
                  if (nzchar(ssc_text)) paste0(", ssc = ssc(", ssc_text, ")") else "")
  cases[[length(cases) + 1]] <<- list(
    id = id, data = data, formula = fml, vcov = vtext, ssc = ssc_args, call = call,
    terms = rownames(ct), estimate = unname(ct[, 1]), std_error = unname(ct[, 2]),
    p_value = unname(ct[, 4]), nobs = nobs(m), dof_K = attr(vc, "dof.K"), df_t = attr(vc, "df.t"))
}

X <- "lgsp ~ lpcap + lpc + lemp + unemp"
add("state_year_cl_state", "produc", paste(X, "| state + year"), ~state)
add("state_regionyear_cl_state", "produc", paste(X, "| state + region^year"), ~state)
add("state_regionyear_iid", "produc", paste(X, "| state + region^year"), "iid")
add("state_regionyear_hc1", "produc", paste(X, "| state + region^year"), "hetero")
add("state_regionyear_cl_region", "produc", paste(X, "| state + region^year"), ~region)
add("three_fe_cl_state", "produc", paste(X, "| state + year + region"), ~state)
add("three_fe_regionyear_cl_state", "produc", paste(X, "| state + year + region^year"), ~state)
add("unbal_state_regionyear_cl_state", "produc_unbalanced", paste(X, "| state + region^year"), ~state)
add("unbal_state_year_iid", "produc_unbalanced", paste(X, "| state + year"), "iid")
add("twoway_cluster", "produc", paste(X, "| state + year"), ~state + year)
add("twoway_cluster_regionyear", "produc", paste(X, "| state + region^year"), ~state + year)
add("regionyear_no_adj", "produc", paste(X, "| state + region^year"), ~state, list(adj = FALSE), "adj = FALSE")
add("regionyear_no_cluster_adj", "produc", paste(X, "| state + region^year"), ~state,
    list(cluster.adj = FALSE), "cluster.adj = FALSE")
add("regionyear_fixefK_full", "produc", paste(X, "| state + region^year"), ~state,
    list(fixef.K = "full"), 'fixef.K = "full"')
add("regionyear_fixefK_none", "produc", paste(X, "| state + region^year"), ~state,
    list(fixef.K = "none"), 'fixef.K = "none"')
add("iid_no_adj", "produc", paste(X, "| state + year"), "iid", list(adj = FALSE), "adj = FALSE")
add("hc1_no_fe", "produc", X, "hetero")
add("iv_state_regionyear_cl_state", "produc", "lgsp ~ lemp + unemp | state + region^year | lpcap ~ lpc", ~state)
add("grunfeld_cl_year_few", "grunfeld", "inv ~ value + capital | firm + year", ~year)
add("grunfeld_cl_firm", "grunfeld", "inv ~ value + capital | firm + year", ~firm)

out <- list(software = paste("R", getRversion(), "fixest", as.character(packageVersion("fixest"))),
            tolerance = 1e-8, cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(fixdir, "fixest-reference.json"))
cat("wrote", length(cases), "cases\n")
