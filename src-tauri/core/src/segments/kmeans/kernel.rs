//! The hot part of k-means: nearest-centroid assignment of every row, with the rows split
//! across threads and the distances computed by a register-blocked kernel.

use ndarray::{Array1, Array2, ArrayView2};

/// Per-thread partial result of one assignment pass.
pub(super) struct Partial {
    pub labels: Vec<usize>,
    pub dists: Vec<f64>,
    pub sums: Vec<f64>,
    pub counts: Vec<usize>,
}

/// Nearest centroid and squared distance of every row (one pass, all threads).
pub(super) fn assign(x: ArrayView2<f64>, centroids: &Array2<f64>, threads: usize) -> (Vec<usize>, Vec<f64>) {
    let norms: Array1<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let threads = if threads == 0 { std::thread::available_parallelism().map_or(1, |t| t.get()) } else { threads };
    let parts = pass(x, &norms, centroids, threads);
    let labels = parts.iter().flat_map(|p| p.labels.iter().copied()).collect();
    let dists = parts.iter().flat_map(|p| p.dists.iter().copied()).collect();
    (labels, dists)
}

/// One assignment pass that also sums the rows per cluster (the next update step).
///
/// With few centroids the distance step is a very skinny matrix product, where a GEMM library
/// spends more time packing its input than multiplying; a direct kernel over contiguous rows
/// (‖x‖² − 2·x·c + ‖c‖², SIMD lanes, AVX2 when the CPU has it) is several times faster.
pub(super) fn pass(x: ArrayView2<f64>, norms: &Array1<f64>, centroids: &Array2<f64>, threads: usize) -> Vec<Partial> {
    let (n, d) = x.dim();
    let k = centroids.nrows();
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let cn: Vec<f64> = centroids.rows().into_iter().map(|r| r.dot(&r)).collect();
    let ct = blocked_transpose(centroids);
    let cs = &ct;
    let norms = norms.as_slice().expect("contiguous norms");
    let per = n.div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n.div_ceil(per))
            .map(|t| {
                let (lo, hi) = (t * per, ((t + 1) * per).min(n));
                let cn = &cn;
                scope.spawn(move || {
                    let mut part = Partial { labels: Vec::with_capacity(hi - lo), dists: Vec::with_capacity(hi - lo), sums: vec![0.0; k * d], counts: vec![0; k] };
                    let mut dots = vec![0.0; k];
                    for i in lo..hi {
                        let row = &xs[i * d..(i + 1) * d];
                        dot_all(row, cs, &mut dots);
                        let (mut bj, mut bd) = (0, f64::INFINITY);
                        for (j, (&g, &c2)) in dots.iter().zip(cn.iter()).enumerate() {
                            let dist = norms[i] - 2.0 * g + c2;
                            if dist < bd {
                                (bj, bd) = (j, dist);
                            }
                        }
                        part.labels.push(bj);
                        part.dists.push(bd.max(0.0));
                        part.counts[bj] += 1;
                        part.sums[bj * d..(bj + 1) * d].iter_mut().zip(row).for_each(|(s, v)| *s += v);
                    }
                    part
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("k-means worker panicked")).collect()
    })
}

/// Centroids per register block of the distance kernel.
const LANES: usize = 8;

/// The centroids transposed in blocks of [`LANES`]: for each block, for each feature `t`,
/// the block's `LANES` values of feature `t` (zero-padded past k).
pub(super) fn blocked_transpose(centroids: &Array2<f64>) -> Vec<f64> {
    let (k, d) = centroids.dim();
    let blocks = k.div_ceil(LANES);
    let mut out = vec![0.0; blocks * d * LANES];
    for (j, c) in centroids.rows().into_iter().enumerate() {
        let (b, l) = (j / LANES, j % LANES);
        for (t, &v) in c.iter().enumerate() {
            out[(b * d + t) * LANES + l] = v;
        }
    }
    out
}

/// `out[j] = row · c[j]` for every centroid, `ct` from [`blocked_transpose`]: each feature adds
/// `x[t] · ct[t]` to a block of `LANES` sums held in registers (no horizontal reduction).
pub(super) fn dot_all(row: &[f64], ct: &[f64], out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above); the function is otherwise safe.
            return unsafe { dot_all_avx2(row, ct, out) };
        }
    }
    dot_all_portable(row, ct, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_all_avx2(row: &[f64], ct: &[f64], out: &mut [f64]) {
    dot_all_portable(row, ct, out)
}

#[inline(always)]
fn dot_all_portable(row: &[f64], ct: &[f64], out: &mut [f64]) {
    let d = row.len();
    for (block, outs) in ct.chunks_exact(d * LANES).zip(out.chunks_mut(LANES)) {
        let mut acc = [0.0f64; LANES];
        for (&xv, c) in row.iter().zip(block.chunks_exact(LANES)) {
            for l in 0..LANES {
                acc[l] += xv * c[l];
            }
        }
        outs.copy_from_slice(&acc[..outs.len()]);
    }
}
