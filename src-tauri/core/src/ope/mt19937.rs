//! numpy's legacy random stream, `np.random.RandomState(seed)`, for bootstrap resampling that
//! draws exactly the rows obp draws.
//!
//! obp 0.5.7 resamples with `RandomState(random_state).choice(samples, size=n)`. For an integer
//! seed, `RandomState` seeds the 32-bit Mersenne Twister MT19937 with the reference
//! `init_genrand` (numpy's `mt19937_seed`); `choice(a, size)` with replacement and no `p` is
//! `randint(0, len(a), size)`, which on the legacy generator draws each index with numpy's
//! *masked rejection* sampler: for a range `0..=max` that fits in 32 bits, take 32-bit outputs
//! `x & mask` (`mask` = the smallest `2^k − 1 ≥ max`) until one is `≤ max`. `max = 0` consumes no
//! output; `max = 2^32 − 1` takes outputs as they are.
//!
//! Only that path is implemented (ranges beyond 32 bits use 64-bit draws in numpy and are not
//! needed: a log has fewer than 2^32 rows). Checked against values computed with numpy in the
//! tests below.

/// Words of MT19937 state.
const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER: u32 = 0x8000_0000;
const LOWER: u32 = 0x7fff_ffff;

/// The Mersenne Twister MT19937 in numpy's legacy (`RandomState`) form.
///
/// Each refill twists the state and tempers all N words at once into `out` (two loops the
/// compiler vectorises), so drawing is a read plus the masked rejection test.
#[derive(Clone)]
pub struct Mt19937 {
    state: Box<[u32; N]>,
    /// Tempered outputs of the current state.
    out: Box<[u32; N]>,
    /// Next output to hand out; `N` means "refill first".
    pos: usize,
}

impl std::fmt::Debug for Mt19937 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mt19937").field("pos", &self.pos).finish_non_exhaustive()
    }
}

#[inline(always)]
fn temper(mut y: u32) -> u32 {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c_5680;
    y ^= (y << 15) & 0xefc6_0000;
    y ^ (y >> 18)
}

#[inline(always)]
fn mix(a: u32, b: u32, c: u32) -> u32 {
    let y = (a & UPPER) | (b & LOWER);
    c ^ (y >> 1) ^ ((y & 1).wrapping_neg() & MATRIX_A)
}

impl Mt19937 {
    /// `np.random.RandomState(seed)`: the reference `init_genrand(seed)`.
    pub fn new(seed: u32) -> Self {
        let mut state = Box::new([0u32; N]);
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        Mt19937 { state, out: Box::new([0; N]), pos: N }
    }

    /// Regenerate all N words (the reference `genrand_int32` refill, split in the three ranges
    /// so each loop reads only old or only new words and can be vectorised), then temper them.
    fn refill(&mut self) {
        let s = &mut *self.state;
        for i in 0..N - M {
            s[i] = mix(s[i], s[i + 1], s[i + M]);
        }
        for i in N - M..N - 1 {
            s[i] = mix(s[i], s[i + 1], s[i + M - N]);
        }
        s[N - 1] = mix(s[N - 1], s[0], s[M - 1]);
        for (o, &w) in self.out.iter_mut().zip(s.iter()) {
            *o = temper(w);
        }
        self.pos = 0;
    }

    /// The next 32-bit output (`genrand_int32`).
    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        if self.pos >= N {
            self.refill();
        }
        let y = self.out[self.pos];
        self.pos += 1;
        y
    }

    /// Fill `out` with uniform integers in `0..=max`, exactly as numpy's legacy
    /// `RandomState.randint(0, max + 1, size=out.len())` (and so `choice(max + 1, size)`) does.
    pub fn fill_bounded(&mut self, max: u32, out: &mut [u32]) {
        if max == 0 {
            out.fill(0);
            return;
        }
        if max == u32::MAX {
            out.iter_mut().for_each(|o| *o = self.next_u32());
            return;
        }
        let mask = u32::MAX >> max.leading_zeros();
        let mut filled = 0;
        while filled < out.len() {
            if self.pos >= N {
                self.refill();
            }
            // Consume at most as many words as indices are still missing, so the branch-free
            // loop never writes past `out` and stops on the exact word numpy stops on.
            let take = (N - self.pos).min(out.len() - filled);
            let words = &self.out[self.pos..self.pos + take];
            let tail = &mut out[filled..];
            let mut k = 0;
            for &w in words {
                let v = w & mask;
                tail[k] = v;
                k += (v <= max) as usize;
            }
            filled += k;
            self.pos += take;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed with numpy 2.4.6 (legacy stream, identical across versions):
    //   np.random.RandomState(s).randint(0, 2**32, size=k, dtype=np.uint32)
    #[test]
    fn raw_outputs_equal_numpy_random_state() {
        let raw = |seed, k| {
            let mut g = Mt19937::new(seed);
            (0..k).map(|_| g.next_u32()).collect::<Vec<_>>()
        };
        assert_eq!(raw(5489, 3), [3_499_211_612, 581_869_302, 3_890_346_734]);
        assert_eq!(raw(12345, 5), [3_992_670_690, 3_823_185_381, 1_358_822_685, 561_383_553, 789_925_284]);
        assert_eq!(raw(0, 3), [2_357_136_044, 2_546_248_239, 3_071_714_933]);
        let mut full = vec![0u32; 3];
        Mt19937::new(0).fill_bounded(u32::MAX, &mut full);
        assert_eq!(full, [2_357_136_044, 2_546_248_239, 3_071_714_933]);
    }

    fn choice(g: &mut Mt19937, n: u32, k: usize) -> Vec<u32> {
        let mut v = vec![0; k];
        g.fill_bounded(n - 1, &mut v);
        v
    }

    // np.random.RandomState(12345).choice(10000, size=10)
    #[test]
    fn choice_equals_numpy_choice() {
        let mut g = Mt19937::new(12345);
        assert_eq!(choice(&mut g, 10_000, 10), [4578, 2177, 3492, 4094, 4478, 546, 7709, 3441, 7483, 6798]);
    }

    // rs = RandomState(12345); x = rs.choice(10000, size=1000) → x[-3:] == [2530, 7475, 8749],
    // then rs.randint(0, 2**32, dtype=np.uint32) == 2415539704: the stream continues on the
    // word after the last accepted one.
    #[test]
    fn the_stream_continues_where_numpy_continues() {
        let mut g = Mt19937::new(12345);
        let x = choice(&mut g, 10_000, 1000);
        assert_eq!(x[997..], [2530, 7475, 8749]);
        assert_eq!(g.next_u32(), 2_415_539_704);
    }

    // rs = RandomState(4294967295): choice(3, 8), choice(1, 2), choice(5, 4) in sequence;
    // choice(1, …) consumes nothing.
    #[test]
    fn small_ranges_and_the_empty_range_match_numpy() {
        let mut g = Mt19937::new(u32::MAX);
        assert_eq!(choice(&mut g, 3, 8), [2, 0, 0, 0, 2, 2, 1, 0]);
        assert_eq!(choice(&mut g, 1, 2), [0, 0]);
        assert_eq!(choice(&mut g, 5, 4), [3, 2, 3, 3]);
    }

    // rs = RandomState(1); x = rs.choice(100, size=700): crosses the 624-word refill.
    #[test]
    fn draws_across_a_refill_match_numpy() {
        let mut g = Mt19937::new(1);
        let x = choice(&mut g, 100, 700);
        assert_eq!(x[620..630], [22, 18, 93, 29, 18, 52, 31, 49, 98, 83]);
        assert_eq!(x.iter().map(|&v| v as u64).sum::<u64>(), 34_188);
    }

    // Filling in pieces draws the same stream as one fill.
    #[test]
    fn split_fills_equal_one_fill() {
        let mut a = Mt19937::new(99);
        let whole = choice(&mut a, 10_000, 5000);
        let mut b = Mt19937::new(99);
        let mut parts = choice(&mut b, 10_000, 1234);
        parts.extend(choice(&mut b, 10_000, 3766));
        assert_eq!(whole, parts);
    }
}
