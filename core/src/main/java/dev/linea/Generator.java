package dev.linea;

/**
 * A seedable pseudo-random generator (xoshiro128** seeded through SplitMix64), like {@code torch.Generator}.
 * Numbers are drawn sequentially on the calling thread, so one seed gives one sequence on every run and
 * for any thread count. {@link #global()} is the generator behind {@link Linea#manualSeed(long)}.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(System.nanoTime());

    private int s0, s1, s2, s3;
    private double spareNormal;
    private boolean hasSpare;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The library-wide generator. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Resets this generator to the start of the sequence for {@code seed}. */
    public synchronized Generator manualSeed(long seed) {
        long z = seed;
        long a = splitMix(z += 0x9E3779B97F4A7C15L);
        long b = splitMix(z += 0x9E3779B97F4A7C15L);
        s0 = (int) a;
        s1 = (int) (a >>> 32);
        s2 = (int) b;
        s3 = (int) (b >>> 32);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1;
        }
        hasSpare = false;
        return this;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The generator's complete state (to save with a checkpoint): {@link #setState} on any generator
     * continues the exact same sequence.
     */
    public synchronized long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareNormal)};
    }

    /** Restores a state returned by {@link #state()}. */
    public synchronized void setState(long[] state) {
        if (state.length != 6 || (state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("not a generator state: " + java.util.Arrays.toString(state));
        }
        s0 = (int) state[0];
        s1 = (int) state[1];
        s2 = (int) state[2];
        s3 = (int) state[3];
        hasSpare = state[4] != 0;
        spareNormal = Double.longBitsToDouble(state[5]);
    }

    /** The next 32 random bits. */
    public synchronized int nextInt() {
        int result = Integer.rotateLeft(s1 * 5, 7) * 9;
        int t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Integer.rotateLeft(s3, 11);
        return result;
    }

    /** Uniform in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public synchronized double nextDouble() {
        long hi = nextInt() >>> 6 & 0x3FFFFFFL;
        long lo = nextInt() >>> 5 & 0x7FFFFFFL;
        return ((hi << 27) | lo) * 0x1.0p-53;
    }

    /** Uniform integer in {@code [0, bound)}, without modulo bias. */
    public synchronized int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long threshold = (1L << 32) % bound;
        while (true) {
            long r = nextInt() & 0xFFFFFFFFL;
            if (r >= threshold) {
                return (int) (r % bound);
            }
        }
    }

    /** Standard normal (Box-Muller, both values used). */
    public synchronized double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 <= 1e-300);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareNormal = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }
}
