//! The two pieces of numpy arithmetic the estimators must reproduce bit for bit: `np.sum`'s
//! pairwise summation (so means equal `ndarray.mean()` exactly, not only to rounding) and
//! `np.percentile(…, method="linear")`.

/// numpy's block size for pairwise summation (`PW_BLOCKSIZE`).
const BLOCK: usize = 128;

/// `np.sum` of float64 values `value(0) … value(n − 1)`, in numpy's order: under 8 values a
/// plain loop; up to 128 eight interleaved accumulators combined as
/// `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))` plus the remainder; above that the halves (the first
/// rounded down to a multiple of 8) summed recursively. `value` lets callers sum a gathered
/// or computed sequence without materialising it; `T` may be a bundle of sums (see [`Sums3`])
/// added lane by lane, each lane then summed exactly as numpy sums it alone.
#[inline]
pub fn pairwise_sum<T: Summand>(n: usize, value: &impl Fn(usize) -> T) -> T {
    pairwise_from(0, n, value)
}

/// A value `pairwise_sum` can add: `f64`, or several f64 lanes added independently.
pub trait Summand: Copy + Default + std::ops::Add<Output = Self> {}
impl Summand for f64 {}

/// Three sums carried at once (one per estimator in the bootstrap).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums3(pub [f64; 3]);

impl std::ops::Add for Sums3 {
    type Output = Sums3;
    #[inline(always)]
    fn add(self, o: Sums3) -> Sums3 {
        Sums3([self.0[0] + o.0[0], self.0[1] + o.0[1], self.0[2] + o.0[2]])
    }
}
impl Summand for Sums3 {}

fn pairwise_from<T: Summand>(start: usize, n: usize, value: &impl Fn(usize) -> T) -> T {
    if n < 8 {
        let mut s = T::default();
        for i in start..start + n {
            s = s + value(i);
        }
        s
    } else if n <= BLOCK {
        let mut r = [T::default(); 8];
        for (j, r) in r.iter_mut().enumerate() {
            *r = value(start + j);
        }
        let whole = n - n % 8;
        let mut i = 8;
        while i < whole {
            for (j, r) in r.iter_mut().enumerate() {
                *r = *r + value(start + i + j);
            }
            i += 8;
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for k in whole..n {
            s = s + value(start + k);
        }
        s
    } else {
        let mut half = n / 2;
        half -= half % 8;
        pairwise_from(start, half, value) + pairwise_from(start + half, n - half, value)
    }
}

/// `np.mean` of a slice (pairwise sum, then one division).
pub fn mean(values: &[f64]) -> f64 {
    pairwise_sum(values.len(), &|i| values[i]) / values.len() as f64
}

/// `np.percentile(values, q)` with the default linear method, for `q` in percent. Sorts
/// `values` in place (NaN-free input). numpy divides `q` by 100, takes the virtual index
/// `(n − 1)·q`, and interpolates `a + (b − a)·t`, or `b − (b − a)·(1 − t)` when `t ≥ 0.5`.
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    assert!(!values.is_empty(), "percentile of no values");
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    let virtual_index = (n - 1) as f64 * (q / 100.0);
    if virtual_index >= (n - 1) as f64 {
        return values[n - 1];
    }
    if virtual_index < 0.0 {
        return values[0];
    }
    let below = virtual_index.floor();
    let t = virtual_index - below;
    let (a, b) = (values[below as usize], values[below as usize + 1]);
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Python: np.sum(np.arange(1, 301) / 7) == 6450.0 and np.sum([0.1] * 1000) ==
    // 100.00000000000001, where sequential addition gives 99.9999999999986.
    #[test]
    fn pairwise_sum_groups_like_numpy() {
        let v: Vec<f64> = (1..=300).map(|i| i as f64 / 7.0).collect();
        assert_eq!(pairwise_sum(v.len(), &|i| v[i]), 6450.0);
        let tenth = vec![0.1; 1000];
        assert_eq!(pairwise_sum(1000, &|i| tenth[i]), 100.00000000000001);
        assert_eq!(tenth.iter().sum::<f64>(), 99.9999999999986);
    }

    // np.percentile([3, 1, 2, 4], 2.5) == 1.075;
    // np.percentile(np.arange(100.), 97.5) == 96.52499999999999; np.percentile([5.0], 50) == 5.0
    #[test]
    fn percentile_interpolates_like_numpy() {
        assert_eq!(percentile(&mut [3.0, 1.0, 2.0, 4.0], 2.5), 1.075);
        let mut v: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(percentile(&mut v, 97.5), 96.52499999999999);
        assert_eq!(percentile(&mut [5.0], 50.0), 5.0);
        assert_eq!(percentile(&mut [2.0, 1.0], 100.0), 2.0);
        assert_eq!(percentile(&mut [2.0, 1.0], 0.0), 1.0);
    }
}
