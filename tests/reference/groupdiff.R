# Reference values for tests/estimate/groupdiff.test.ts: interaction-term and SUEST tests of a coefficient
# difference between two groups of states (Produc, plm), with state and year fixed effects, clustered by state.
#   interaction: lm(lgsp ~ lpcap + lpcap:g + lpc + lemp + unemp + factor(state) + factor(year)), vcovCL(HC1) with the
#                fixest nested-K correction (n - K_full)/(n - K_nested), p from t with G - 1 df;
#   interaction with group-specific year effects: fixest::feols(lgsp ~ lpcap + lpcap:g + lpc + lemp + unemp |
#                state + g^year, cluster = ~state) itself (its K counts g^year's levels net of the two redundant with
#                the nested state effects); the estimate is also checked against lm with factor(g):factor(year);
#   SUEST: influence sums per state of each subsample model, IF_i = [(X'X)^-1 x_i e_i] for lpcap, stacked,
#          V = G/(G-1) sum_c IF_c IF_c' with G = all 48 states (Stata's suest convention), Wald chi2(1).
# Run: Rscript tests/reference/groupdiff.R  (writes tests/fixtures/groupdiff-reference.json)
suppressPackageStartupMessages({ library(plm); library(sandwich) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
data("Produc", package = "plm")
p <- Produc
p$lgsp <- log(p$gsp); p$lpcap <- log(p$pcap); p$lpc <- log(p$pc); p$lemp <- log(p$emp)
p$g <- as.numeric(p$region %in% c(1, 2, 3, 4))
n <- nrow(p); G <- length(unique(p$state))
mi <- lm(lgsp ~ lpcap + I(lpcap * g) + lpc + lemp + unemp + factor(state) + factor(year), p)
Kf <- mi$rank; Kn <- Kf - (G - 1)
V <- vcovCL(mi, cluster = ~state, type = "HC1") * (n - Kf) / (n - Kn)
b <- coef(mi)["I(lpcap * g)"]; se <- sqrt(V["I(lpcap * g)", "I(lpcap * g)"]); pi <- 2 * pt(-abs(b / se), G - 1)
fy <- fixest::feols(lgsp ~ lpcap + lpcap:g + lpc + lemp + unemp | state + g^year, p, cluster = ~state)
by <- coef(fy)["lpcap:g"]; sey <- fixest::se(fy)["lpcap:g"]; py <- fixest::pvalue(fy)["lpcap:g"]
my <- lm(lgsp ~ lpcap + I(lpcap * g) + lpc + lemp + unemp + factor(state) + factor(g):factor(year), p)
stopifnot(abs(coef(my)["I(lpcap * g)"] - by) < 1e-8 * abs(by))
infl <- function(d) {
  m <- lm(lgsp ~ lpcap + lpc + lemp + unemp + factor(state) + factor(year), d)
  X <- model.matrix(m); B <- solve(crossprod(X)); IF <- (X * resid(m)) %*% B
  list(b = coef(m)["lpcap"], IF = rowsum(IF[, "lpcap"], d$state))
}
a1 <- infl(p[p$g == 1, ]); a0 <- infl(p[p$g == 0, ])
v <- (sum(a1$IF^2) + sum(a0$IF^2)) * G / (G - 1)
d <- a1$b - a0$b; chi2 <- d^2 / v
writeLines(sprintf('{"generated_by": "tests/reference/groupdiff.R", "data": "produc.csv", "group": "region in 1-4", "formula": "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "interaction": {"estimate": %.17g, "std_error": %.17g, "p_value": %.17g}, "interaction_group_year": {"estimate": %.17g, "std_error": %.17g, "p_value": %.17g}, "suest": {"b1": %.17g, "b0": %.17g, "difference": %.17g, "std_error": %.17g, "chi2": %.17g, "p_value": %.17g}}',
  b, se, pi, by, sey, py, a1$b, a0$b, d, sqrt(v), chi2, pchisq(chi2, 1, lower.tail = FALSE)), file.path(here, "..", "fixtures", "groupdiff-reference.json"))
cat("ok\n")
