"""
pyfixest's example data set, `pyfixest.get_data()` (defaults: N=1000, seed=1234, beta_type="1", error_type="1",
model="Feols"), rebuilt with numpy alone and written to tests/fixtures/pyfixest-data.csv.

Why: pyfixest's guide "Translating Stata to PyFixest" (docs/how-to/stata-2-pyfixest.qmd in
github.com/py-econometrics/pyfixest) prints Stata reghdfe output on this data set (saved with
`df.to_stata(...)`); tests/fixtures/reghdfe-reference.json copies those numbers.

The draws follow get_data's source (pyfixest/utils/utils.py) in order. Its model matrix (formulaic,
"~ X1 + X2 + f1 + f2 + f3" with f1..f3 categorical) is: intercept, X1, X2, then treatment dummies of f1, f2, f3
(levels sorted, the first left out); only Y depends on it. Draws after `group_id` (Z1, Z2, weights) are not needed.
That the Stata numbers are met to every printed digit (tests/estimate/reghdfe.test.ts) checks this rebuild.

Run: python3 tests/reference/pyfixest-data.py   (numpy; checked with numpy 2.4)
"""
import os
import numpy as np

N, seed = 1000, 1234
rng = np.random.default_rng(seed)
G = rng.choice(list(range(10, 20))).astype("int64")
fe_dims = rng.choice(list(range(2, int(np.floor(np.sqrt(N))))), 3, True).astype("int64")
X = rng.normal(0, 3, N * 5).reshape((N, 5))
X[:, 0] = rng.choice(range(3), N, True)
X[:, 2] = rng.choice(list(range(fe_dims[0])), N, True)
X[:, 3] = rng.choice(list(range(fe_dims[1])), N, True)
X[:, 4] = rng.choice(list(range(fe_dims[2])), N, True)

cols = [np.ones(N), X[:, 0], X[:, 1]]
for j in (2, 3, 4):
    levels = np.unique(X[:, j])
    cols += [(X[:, j] == lv).astype(float) for lv in levels[1:]]
mm = np.column_stack(cols)
k = mm.shape[1]
beta = rng.normal(0, 1, k).reshape(k, 1)
u = rng.normal(0, 1, N).reshape(N, 1)
Y = (1 + mm @ beta + u).flatten()
Y2 = Y + rng.normal(0, 5, N)
cluster = rng.choice(list(range(G)), N)

Y[0] = np.nan
X[1, 0] = np.nan
X[2, 2] = np.nan

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "pyfixest-data.csv")
with open(out, "w") as f:
    f.write("Y,Y2,X1,X2,f1,f2,f3,group_id\n")
    for i in range(N):
        row = [Y[i], Y2[i], X[i, 0], X[i, 1], X[i, 2], X[i, 3], X[i, 4], float(cluster[i])]
        f.write(",".join("" if np.isnan(v) else repr(float(v)) for v in row) + "\n")
print(f"wrote {out}: {N} rows, G = {G}, fe_dims = {list(fe_dims)}, k = {k}")
