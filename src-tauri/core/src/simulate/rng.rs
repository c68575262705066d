//! Seeded, serialisable randomness: xoshiro256++ with its state in the open (so a checkpoint
//! holds it exactly) and Walker/Vose alias tables for drawing segments in O(1).

use rand::RngCore;
use serde::{Deserialize, Serialize};

/// xoshiro256++ (Blackman & Vigna, 2019), the generator `rand_xoshiro` ships, with a
/// serialisable state. Implements [`RngCore`], so `rand`/`rand_distr` samplers work on it.
///
/// Invariant: the state is never all zero (guaranteed by [`SimRng::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    /// The generator for `seed` and an independent `stream` (users, policy, statistics …):
    /// the state is four SplitMix64 outputs of `seed` mixed with the stream number.
    pub fn new(seed: u64, stream: u64) -> SimRng {
        let mut x = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut s = [splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x)];
        if s == [0; 4] {
            s[0] = 1;
        }
        SimRng { s }
    }

    /// The next 64 random bits.
    #[inline(always)]
    #[allow(clippy::should_implement_trait, reason = "an infinite generator, not an Iterator; renaming it would touch every caller")]
    pub fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// A uniform number in [0, 1) with 53 random bits.
    #[inline(always)]
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform index below `n` (Lemire's multiply-high; the bias is below n / 2⁶⁴).
    #[inline(always)]
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }

    /// A standard normal draw (rand_distr's ziggurat).
    #[inline(always)]
    pub fn normal(&mut self) -> f64 {
        use rand::Rng;
        self.sample(rand_distr::StandardNormal)
    }
}

impl RngCore for SimRng {
    fn next_u32(&mut self) -> u32 {
        (self.next() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.next()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// A Walker/Vose alias table: draws index `i` with probability `w[i] / Σw` from one 64-bit
/// random number (32 bits pick the column, 32 bits the coin).
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    prob: Vec<f64>,
    alias: Vec<u32>,
}

impl Alias {
    /// The table of positive, finite `weights` (callers validate; a non-positive total
    /// falls back to equal weights).
    pub fn new(weights: &[f64]) -> Alias {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        let scaled: Vec<f64> = if total > 0.0 && total.is_finite() { weights.iter().map(|w| w * n as f64 / total).collect() } else { vec![1.0; n] };
        let mut prob = vec![1.0; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
        let mut p = scaled;
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            prob[s] = p[s];
            alias[s] = l as u32;
            p[l] -= 1.0 - p[s];
            if p[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        Alias { prob, alias }
    }

    /// The index drawn by the random bits `x`.
    #[inline(always)]
    pub fn sample(&self, x: u64) -> usize {
        let i = (((x >> 32) * self.prob.len() as u64) >> 32) as usize;
        let coin = (x & 0xFFFF_FFFF) as f64 * (1.0 / 4_294_967_296.0);
        if coin < self.prob[i] {
            i
        } else {
            self.alias[i] as usize
        }
    }
}
