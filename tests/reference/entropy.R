# Independent step-by-step entropy weights and PCA eigenvalues in base R, for tests/measure/indices.test.ts.
# Run: Rscript tests/reference/entropy.R  (writes tests/fixtures/entropy-reference.json)
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
X <- data.frame(
  a = c(3.1, 4.5, 2.2, 8.9, 5.5, 6.1, 7.3, 4.0),
  b = c(120, 95, 143, 88, 101, 130, 77, 110),      # negative direction
  c = c(0.12, 0.40, 0.33, 0.29, 0.18, 0.51, 0.47, 0.22),
  d = c(15, 18, 16, 30, 22, 19, 25, 17)
)
dir <- c(1, -1, 1, 1)
shift <- 1e-4
Z <- sapply(1:4, function(j) { x <- X[[j]]; if (dir[j] > 0) (x - min(x)) / (max(x) - min(x)) else (max(x) - x) / (max(x) - min(x)) })
P <- sweep(Z + shift, 2, colSums(Z + shift), "/")
m <- nrow(X)
e <- -colSums(P * log(P)) / log(m)
w <- (1 - e) / sum(1 - e)
idx <- drop(Z %*% w)
S <- scale(sweep(as.matrix(X), 2, dir, "*"))
ev <- eigen(cor(S))$values
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
writeLines(sprintf('{"generated_by": "tests/reference/entropy.R", "call": "base R: min-max by direction, p = (z + 1e-4) / colSums, e = -sum(p log p) / log(m), w = (1 - e) / sum(1 - e); eigen(cor(X))", "data": {"a": %s, "b": %s, "c": %s, "d": %s}, "directions": %s, "entropy": %s, "weights": %s, "index": %s, "pca_eigenvalues": %s}',
  num(X$a), num(X$b), num(X$c), num(X$d), num(dir), num(e), num(w), num(idx), num(ev)), file.path(here, "..", "fixtures", "entropy-reference.json"))
cat("ok\n")
