"""PyTorch reference for issue 17's digits comparison (run by `pnpm demo:full`, apps/demos/src/full/vae-digits.ts).

Trains the same architecture as `fitVAE` (MLP encoder D-H-(2×L), decoder L-H-D, tanh, Bernoulli logits, float64,
Adam, minibatches of `batch`, dynamic binarisation every epoch) on the same training digits, with the ELBO
(analytic KL, one sample) and/or the IWAE bound (k samples), then estimates the test log-likelihood of each
model by the same importance estimate log (1/K) Σ p(x, z_s)/q(z_s | x) with K = `k_eval` draws per image.

Usage: python3 vae_digits_torch.py DATA_DIR  (DATA_DIR holds train.f64, test.f64 as raw little-endian float64
row-major arrays and config.json; results are printed as one JSON line on stdout).
The initialisation is fitVAE's (Glorot-uniform weights, zero biases); the random streams (initial weights,
shuffling, binarisation, noise) are PyTorch's, so the two runs agree in distribution, not draw by draw.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch


def main():
    data_dir = sys.argv[1]
    cfg = json.load(open(os.path.join(data_dir, "config.json")))
    torch.set_num_threads(int(cfg.get("threads", 1)))
    D = cfg["dimension"]
    train = torch.from_numpy(np.fromfile(os.path.join(data_dir, "train.f64"), dtype="<f8").reshape(-1, D))
    test = torch.from_numpy(np.fromfile(os.path.join(data_dir, "test.f64"), dtype="<f8").reshape(-1, D))
    H, L = cfg["hidden"], cfg["latentDim"]
    out = {"threads": torch.get_num_threads(), "torch": torch.__version__, "models": []}
    for spec in cfg["models"]:
        torch.manual_seed(cfg["seed"])
        enc = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.Tanh(), torch.nn.Linear(H, 2 * L)).double()
        dec = torch.nn.Sequential(torch.nn.Linear(L, H), torch.nn.Tanh(), torch.nn.Linear(H, D)).double()
        for m in list(enc) + list(dec):
            if isinstance(m, torch.nn.Linear):  # fitVAE's initialisation: Glorot-uniform weights, zero biases
                torch.nn.init.xavier_uniform_(m.weight)
                torch.nn.init.zeros_(m.bias)
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=cfg["lr"])
        k = spec["samples"]
        n = train.shape[0]
        B = cfg["batchSize"]
        trace = []
        c0, t0 = time.process_time(), time.perf_counter()
        for epoch in range(cfg["epochs"]):
            perm = torch.randperm(n)
            total = 0.0
            for s in range(0, n, B):
                x = torch.bernoulli(train[perm[s:s + B]])
                opt.zero_grad()
                bound = bounds(enc, dec, x, k, L, D, spec["objective"])
                loss = -bound.mean()
                loss.backward()
                opt.step()
                total += loss.item() * x.shape[0]
            trace.append(total / n)
            print(f"torch {spec['objective']} k={k} epoch {epoch + 1}: {total / n:.3f}", file=sys.stderr, flush=True)
        train_cpu, train_wall = time.process_time() - c0, time.perf_counter() - t0
        c1 = time.process_time()
        with torch.no_grad():
            ll = log_likelihood(enc, dec, test, cfg["kEval"], L, D)
        out["models"].append({
            "objective": spec["objective"], "samples": k, "trace": trace,
            "trainCpuSeconds": train_cpu, "trainWallSeconds": train_wall, "evalCpuSeconds": time.process_time() - c1,
            "testLogLikelihood": float(ll.mean()), "testLogLikelihoodSE": float(ll.std(unbiased=True) / math.sqrt(ll.numel())),
            "perImage": [float(v) for v in ll],
        })
    print(json.dumps(out))


def bounds(enc, dec, x, k, L, D, objective):
    e = enc(x)
    mu, lv = e[:, :L], e[:, L:]
    B = x.shape[0]
    eps = torch.randn(k, B, L, dtype=torch.float64)
    z = mu + torch.exp(0.5 * lv) * eps
    logits = dec(z.reshape(k * B, L)).reshape(k, B, D)
    logpx = (x * logits - torch.nn.functional.softplus(logits)).sum(-1)
    if objective == "elbo":
        kl = 0.5 * (mu ** 2 + lv.exp() - 1 - lv).sum(-1)
        return logpx.mean(0) - kl
    logw = logpx - 0.5 * (z ** 2).sum(-1) + 0.5 * (eps ** 2 + lv).sum(-1)
    return torch.logsumexp(logw, 0) - math.log(k)


def log_likelihood(enc, dec, X, K, L, D, chunk=500):
    res = []
    for i in range(X.shape[0]):
        x = X[i:i + 1]
        e = enc(x)
        mu, lv = e[:, :L], e[:, L:]
        parts = []
        for s in range(0, K, chunk):
            c = min(chunk, K - s)
            eps = torch.randn(c, L, dtype=torch.float64)
            z = mu + torch.exp(0.5 * lv) * eps
            logits = dec(z)
            logpx = (x * logits - torch.nn.functional.softplus(logits)).sum(-1)
            parts.append(logpx - 0.5 * (z ** 2).sum(-1) + 0.5 * (eps ** 2 + lv).sum(-1))
        logw = torch.cat(parts)
        res.append(torch.logsumexp(logw, 0) - math.log(K))
    return torch.stack(res)


if __name__ == "__main__":
    main()
