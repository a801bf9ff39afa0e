//! Deterministic download content: any byte range of a file is computed from its seed, so
//! files of any size are served in constant memory and resumed downloads can be checked.

/// Bytes per generated block.
const BLOCK: u64 = 8;

/// SplitMix64: a well-mixed 64-bit value for each input.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A seed from a text key (FNV-1a), so that the same item always has the same bytes.
pub fn seed(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Fills `out` with the bytes of the file `seed` starting at `offset`.
pub fn fill(seed: u64, offset: u64, out: &mut [u8]) {
    let mut position = offset;
    let mut written = 0;
    while written < out.len() {
        let block = position / BLOCK;
        let within = (position % BLOCK) as usize;
        let bytes = splitmix64(seed ^ block.wrapping_mul(0xD6E8_FEB8_6659_FD93)).to_le_bytes();
        let take = (BLOCK as usize - within).min(out.len() - written);
        out[written..written + take].copy_from_slice(&bytes[within..within + take]);
        written += take;
        position += take as u64;
    }
}

/// The whole file `seed` of `size` bytes (for tests and small files).
pub fn bytes(seed: u64, size: u64) -> Vec<u8> {
    let mut out = vec![0; usize::try_from(size).unwrap_or(0)];
    fill(seed, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_range_matches_the_whole() {
        let whole = bytes(42, 1000);
        for (start, len) in [(0, 1000), (1, 7), (7, 9), (333, 500), (999, 1)] {
            let mut part = vec![0; len];
            fill(42, start as u64, &mut part);
            assert_eq!(part, whole[start..start + len]);
        }
        assert_ne!(bytes(1, 64), bytes(2, 64));
        assert_eq!(seed("purchase-1"), seed("purchase-1"));
    }
}
