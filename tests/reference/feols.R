# Reference values for tests/estimate/feols.test.ts, from R (Debian packages r-base-core, r-cran-plm,
# r-cran-sandwich, r-cran-aer). fixest is not packaged in Debian, so its default small-sample correction
# (fixef.K = "nested", G/(G-1), t with G-1 df; equal to Stata reghdfe) is applied explicitly to the
# least-squares-with-dummies fits: vcovCL(..., type = "HC1") uses K_full = all coefficients incl. dummies;
# fixest uses K_nested (fixed effects nested in the cluster not counted), so the reference multiplies by
# (n - K_full) / (n - K_nested). Two-way clustering follows fixest's cluster.df = "min":
#   V = (n-1)/(n-K) * Gmin/(Gmin-1) * B (M_1 + M_2 - M_12) B.
# Run: Rscript tests/reference/feols.R   (writes tests/fixtures/feols-reference.json and the data CSVs)
suppressPackageStartupMessages({ library(plm); library(sandwich); library(lmtest); library(AER) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
fixdir <- file.path(here, "..", "fixtures")

num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
named <- function(x) paste0("{", paste(sprintf('"%s": %s', names(x), num(x)), collapse = ", "), "}")
cases <- list()
add <- function(id, data, formula, vcov, call, coef, se, extra = NULL, terms = names(coef)) {
  s <- sprintf('{"id": "%s", "data": "%s", "formula": "%s", "vcov": "%s", "call": "%s", "terms": [%s], "estimate": %s, "std_error": %s%s}',
    id, data, formula, vcov, gsub('"', '\\\\"', call), paste0('"', terms, '"', collapse = ", "), vec(coef), vec(se),
    if (is.null(extra)) "" else paste0(", ", extra))
  cases[[length(cases) + 1]] <<- s
}

twoway <- function(X, e, g1, g2, K) {
  n <- nrow(X); B <- solve(crossprod(X)); S <- X * e
  M <- function(g) crossprod(rowsum(S, g))
  G <- min(length(unique(g1)), length(unique(g2)))
  B %*% (M(g1) + M(g2) - M(paste(g1, g2))) %*% B * (n - 1) / (n - K) * G / (G - 1)
}

## Grunfeld (plm): 10 firms x 20 years
data("Grunfeld", package = "plm")
write.csv(Grunfeld, file.path(fixdir, "grunfeld.csv"), row.names = FALSE)
g <- Grunfeld; n <- nrow(g); v <- c("value", "capital")

m <- lm(inv ~ value + capital, g)
add("grunfeld-ols-iid", "grunfeld.csv", "inv ~ value + capital", "iid", "summary(lm(inv ~ value + capital, Grunfeld))",
    coef(m), sqrt(diag(vcov(m))), sprintf('"r2": %s, "adj_r2": %s, "f_stat": %s', num(summary(m)$r.squared), num(summary(m)$adj.r.squared), num(summary(m)$fstatistic[["value"]])), terms = c("(Intercept)", v))
add("grunfeld-ols-hc1", "grunfeld.csv", "inv ~ value + capital", "hc1", "vcovHC(lm(inv ~ value + capital, Grunfeld), type = 'HC1')",
    coef(m), sqrt(diag(vcovHC(m, type = "HC1"))), terms = c("(Intercept)", v))

m1 <- lm(inv ~ value + capital + factor(firm), g)
Kf <- m1$rank; Kn <- 2 + 1
V <- vcovCL(m1, cluster = ~firm, type = "HC1") * (n - Kf) / (n - Kn)
add("grunfeld-fe1-cluster", "grunfeld.csv", "inv ~ value + capital | firm", "cluster:firm",
    "vcovCL(lm(inv ~ value + capital + factor(firm)), cluster = ~firm, type = 'HC1') * (n - 12) / (n - 3)",
    coef(m1)[v], sqrt(diag(V)[v]), sprintf('"r2": %s, "p_value": %s', num(summary(m1)$r.squared), vec(2 * pt(-abs(coef(m1)[v] / sqrt(diag(V)[v])), 10 - 1))))

m2 <- lm(inv ~ value + capital + factor(firm) + factor(year), g)
Kf <- m2$rank
X <- model.matrix(m2)
within_r2 <- { yt <- resid(lm(inv ~ factor(firm) + factor(year), g)); 1 - sum(resid(m2)^2) / sum(yt^2) }
add("grunfeld-fe2-iid", "grunfeld.csv", "inv ~ value + capital | firm + year", "iid", "summary(lm(inv ~ value + capital + factor(firm) + factor(year)))",
    coef(m2)[v], sqrt(diag(vcov(m2))[v]), sprintf('"r2": %s, "r2_within": %s, "adj_r2": %s, "p_value": %s', num(summary(m2)$r.squared), num(within_r2), num(summary(m2)$adj.r.squared),
    vec(2 * pt(-abs(coef(m2)[v] / sqrt(diag(vcov(m2))[v])), n - Kf))))
add("grunfeld-fe2-hc1", "grunfeld.csv", "inv ~ value + capital | firm + year", "hc1", "vcovHC(lm(inv ~ value + capital + factor(firm) + factor(year)), type = 'HC1')",
    coef(m2)[v], sqrt(diag(vcovHC(m2, type = "HC1"))[v]))
Kn <- 2 + (10 + 20 - 1) - 9
V <- vcovCL(m2, cluster = ~firm, type = "HC1") * (n - Kf) / (n - Kn)
add("grunfeld-fe2-cluster", "grunfeld.csv", "inv ~ value + capital | firm + year", "cluster:firm",
    sprintf("vcovCL(lm(inv ~ value + capital + factor(firm) + factor(year)), cluster = ~firm, type = 'HC1') * (n - %d) / (n - %d)", Kf, Kn),
    coef(m2)[v], sqrt(diag(V)[v]))
V2 <- twoway(X, resid(m2), g$firm, g$year, 2 + 1)
add("grunfeld-fe2-twoway", "grunfeld.csv", "inv ~ value + capital | firm + year", "cluster:firm+year",
    "B (M_firm + M_year - M_firm:year) B * (n-1)/(n-3) * 10/9 on lm(inv ~ value + capital + factor(firm) + factor(year))",
    coef(m2)[v], sqrt(diag(V2)[v]))

## Produc (plm): 48 states x 17 years
data("Produc", package = "plm")
p <- Produc
p$lgsp <- log(p$gsp); p$lpcap <- log(p$pcap); p$lpc <- log(p$pc); p$lemp <- log(p$emp)
write.csv(p[, c("state", "year", "region", "lgsp", "lpcap", "lpc", "lemp", "unemp")], file.path(fixdir, "produc.csv"), row.names = FALSE)
n <- nrow(p); v <- c("lpcap", "lpc", "lemp", "unemp")
m3 <- lm(lgsp ~ lpcap + lpc + lemp + unemp + factor(state) + factor(year), p)
Kf <- m3$rank; X <- model.matrix(m3)
add("produc-fe2-iid", "produc.csv", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "iid", "summary(lm(lgsp ~ lpcap + lpc + lemp + unemp + factor(state) + factor(year)))",
    coef(m3)[v], sqrt(diag(vcov(m3))[v]))
Kn <- 4 + (48 + 17 - 1) - 47
V <- vcovCL(m3, cluster = ~state, type = "HC1") * (n - Kf) / (n - Kn)
add("produc-fe2-cluster", "produc.csv", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "cluster:state",
    sprintf("vcovCL(lm(lgsp ~ lpcap + lpc + lemp + unemp + factor(state) + factor(year)), cluster = ~state, type = 'HC1') * (n - %d) / (n - %d)", Kf, Kn),
    coef(m3)[v], sqrt(diag(V)[v]), sprintf('"p_value": %s', vec(2 * pt(-abs(coef(m3)[v] / sqrt(diag(V)[v])), 48 - 1))))
V2 <- twoway(X, resid(m3), p$state, p$year, 4 + 1)
add("produc-fe2-twoway", "produc.csv", "lgsp ~ lpcap + lpc + lemp + unemp | state + year", "cluster:state+year",
    "B (M_state + M_year - M_state:year) B * (n-1)/(n-5) * 17/16 on lm with state and year dummies",
    coef(m3)[v], sqrt(diag(V2)[v]))
# region^year next to state, clustered by state: see tests/reference/fixest.R, which takes the number from fixest
# itself (this script used to re-type a K rule here, and the rule was wrong: it subtracted the state/region-year
# redundancies on top of not counting the nested state effects).

## IV: CigarettesSW (AER), 48 states x 2 years; Stock & Watson's cigarette demand
data("CigarettesSW", package = "AER")
cg <- CigarettesSW
cg$lpacks <- log(cg$packs); cg$lrprice <- log(cg$price / cg$cpi); cg$lrincome <- log(cg$income / cg$population / cg$cpi)
cg$tdiff <- (cg$taxs - cg$tax) / cg$cpi; cg$rtax <- cg$tax / cg$cpi
write.csv(cg[, c("state", "year", "lpacks", "lrprice", "lrincome", "tdiff", "rtax")], file.path(fixdir, "cigarettes.csv"), row.names = FALSE)
n <- nrow(cg); v <- c("lrincome", "lrprice")
iv <- ivreg(lpacks ~ lrincome + lrprice + factor(state) + factor(year) | lrincome + tdiff + rtax + factor(state) + factor(year), data = cg)
Kf <- iv$rank; Kn <- 2 + (48 + 2 - 1) - 47
V <- vcovCL(iv, cluster = ~state, type = "HC1") * (n - Kf) / (n - Kn)
# First stage and diagnostics on partialled data (state and year dummies and lrincome partialled out).
fs_full <- lm(lrprice ~ lrincome + tdiff + rtax + factor(state) + factor(year), cg)
fs_rest <- lm(lrprice ~ lrincome + factor(state) + factor(year), cg)
F_iid <- anova(fs_rest, fs_full)$F[2]
Kfs <- fs_full$rank; Kfs_n <- 3 + (48 + 2 - 1) - 47
Vfs <- vcovCL(fs_full, cluster = ~state, type = "HC1")[c("tdiff", "rtax"), c("tdiff", "rtax")] * (n - Kfs) / (n - Kfs_n)
bfs <- coef(fs_full)[c("tdiff", "rtax")]
F_cl <- drop(t(bfs) %*% solve(Vfs) %*% bfs) / 2
part <- function(x) resid(lm(x ~ lrincome + factor(state) + factor(year), cg))
xe <- part(cg$lrprice); Z <- cbind(part(cg$tdiff), part(cg$rtax)); G <- length(unique(cg$state))
ZZi <- solve(crossprod(Z)); Pi <- ZZi %*% crossprod(Z, xe)
rk <- function(e) { S <- crossprod(rowsum(Z * e, cg$state)); Vp <- ZZi %*% S %*% ZZi; drop(t(Pi) %*% solve(Vp) %*% Pi) }
e1 <- drop(xe - Z %*% Pi)
kp_lm <- rk(xe); kp_wald <- rk(e1)
# ivreg2's clustered rk Wald F (ivreg2.ado, weak-identification block):
#   rkf = chi2/(N - 1) * (N - iv1_ct - sdofminus) * (N_clust - 1)/N_clust / exex1_ct
# with the absorbed fixed effects in sdofminus as ivreghdfe counts them under clustering (state nested in the
# state clusters drops out): iv1_ct + sdofminus = lrincome, tdiff, rtax, intercept and the year effect = Kfs_n.
kp_f <- kp_wald / (n - 1) * (n - Kfs_n) * (G - 1) / G / 2
u <- resid(iv)
gsum <- colSums(Z * u); Sj <- crossprod(rowsum(Z * u, cg$state)); J <- drop(t(gsum) %*% solve(Sj) %*% gsum)
add("cig-iv-cluster", "cigarettes.csv", "lpacks ~ lrincome | state + year | lrprice ~ tdiff + rtax", "cluster:state",
    sprintf("ivreg(lpacks ~ lrincome + lrprice + factor(state) + factor(year) | lrincome + tdiff + rtax + factor(state) + factor(year)); vcovCL(type = 'HC1') * (n - %d) / (n - %d)", Kf, Kn),
    coef(iv)[v], sqrt(diag(V)[v]),
    sprintf('"first_stage_f_iid": %s, "first_stage_f_cluster": %s, "kp_lm": %s, "kp_wald_f": %s, "hansen_j": %s, "diag_call": "%s"',
      num(F_iid), num(F_cl), num(kp_lm), num(kp_wald_f <- kp_f), num(J),
      "F_iid = anova(first stage without/with tdiff, rtax); F_cluster = Wald/2 with vcovCL*(n-Kfull)/(n-Knested); KP on FWL-partialled data: rk = Pi' V^-1 Pi with V = (Z'Z)^-1 (sum_g Z_g'e_g e_g'Z_g) (Z'Z)^-1, e = x (LM) or first-stage residual (Wald), F = rk/(N-1) * (N - L_K) * (G-1)/G / L (ivreg2), L_K = 5; J = g' S^-1 g, g = Z'u, S = sum_g (Z_g'u_g)(Z_g'u_g)'"))
ivi <- ivreg(lpacks ~ lrincome + lrprice + factor(state) + factor(year) | lrincome + tdiff + rtax + factor(state) + factor(year), data = cg)
sargan <- { uu <- resid(ivi); n * summary(lm(uu ~ lrincome + tdiff + rtax + factor(state) + factor(year), cg))$r.squared }
add("cig-iv-iid", "cigarettes.csv", "lpacks ~ lrincome | state + year | lrprice ~ tdiff + rtax", "iid",
    "summary(ivreg(lpacks ~ lrincome + lrprice + factor(state) + factor(year) | lrincome + tdiff + rtax + factor(state) + factor(year)))",
    coef(ivi)[v], sqrt(diag(vcov(ivi))[v]), sprintf('"cragg_donald_f": %s, "sargan": %s', num(F_iid), num(sargan)))

## Longley (NIST StRD; R's datasets::longley rescaled to NIST's units)
L <- data.frame(y = round(longley$Employed * 1000), x1 = longley$GNP.deflator, x2 = round(longley$GNP * 1000),
                x3 = round(longley$Unemployed * 10), x4 = round(longley$Armed.Forces * 10), x5 = round(longley$Population * 1000), x6 = longley$Year)
write.csv(L, file.path(fixdir, "longley.csv"), row.names = FALSE)
ml <- lm(y ~ ., L)
add("longley-r", "longley.csv", "y ~ x1 + x2 + x3 + x4 + x5 + x6", "iid", "summary(lm(y ~ ., longley in NIST units))", coef(ml), sqrt(diag(vcov(ml))), terms = c("(Intercept)", paste0("x", 1:6)))

writeLines(c(sprintf('{"generated_by": "tests/reference/feols.R", "r_version": "%s", "sandwich": "%s", "AER": "%s", "plm": "%s", "cases": [', R.version.string,
  packageVersion("sandwich"), packageVersion("AER"), packageVersion("plm")), paste(unlist(cases), collapse = ",\n"), "]}"), file.path(fixdir, "feols-reference.json"))
cat("wrote", length(cases), "cases\n")
