package dev.linea.backend.vector;

import dev.linea.backend.CpuCaches;
import dev.linea.backend.Parallel;
import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the Vector API: {@code C[m×n] = op(A)[m×k] · op(B)[k×n]} (or {@code +=}),
 * row-major, with the contract of {@link dev.linea.backend.Backend#sgemm}.
 *
 * <p>GotoBLAS/BLIS structure: N blocks of at most {@value #NC} columns, K blocks of at most {@value #KC}
 * (balanced, so 784 becomes 4×196), B packed into {@code NR}-wide column strips, A packed into
 * MR-row strips of M blocks of at most {@value #MC} rows, and an MR×{@code NR} register-blocked micro-kernel
 * ({@code NR} = two vectors; MR = 8 with AVX-512's 32 vector registers, 6 with AVX2's 16: W7 median 173 vs
 * 159 steps/s with 8 rows against 6, 8 interleaved runs, AMD EPYC). Transposes are absorbed by the packing,
 * and a transposed A's full row groups are read in place where that is faster ({@code directRows}), so all four
 * combinations share one kernel.
 *
 * <p>Reproducibility: every element of C is computed by the same chain of operations (per K block an
 * FMA chain from zero over p, then one add into C) whatever thread or tile computes it, and work is
 * split only along M and N, so results are bitwise identical for any thread count.
 */
public final class VectorGemm {

    private static final VectorSpecies<Float> S = species();
    private static final int L = S.length();
    /**
     * Register block: MR rows of A times NR = 2 vectors of B columns. 8 rows (16 accumulators) where there are
     * 32 vector registers (AVX-512), 6 rows (12 accumulators) with 16 (AVX2); {@code -Dlinea.gemm.mr=6|8}
     * forces one for tuning experiments.
     */
    static final int MR = rows(Integer.getInteger("linea.gemm.mr", S.length() >= 16 ? 8 : 6));
    static final int NR = 2 * L;
    /** 8 lanes: packs an MR-row group of a transposed A in one copy (with MR = 6, one overlapping by 2). */
    private static final VectorSpecies<Float> A8 = FloatVector.SPECIES_256;
    /** Slack after a packed A block for the overlapping copies. */
    private static final int A_SLACK = 8;
    /**
     * The level-2 cache (bytes; 1M if unknown). Many rows and several K blocks: where one K block of packed B
     * fits half of L2, {@code runSharedB} shares it (hot) among the M blocks; where it does not, the tiled
     * {@code runPacked} keeps C's tiles contiguous instead. Tiled ÷ shared, 1 thread, AMD EPYC Zen 3 (L2 512K),
     * both versions in one JVM alternating, medians of 30-40 calls, bits identical: 1024³ 0.94-1.15 (7 runs, 5 of
     * them ≥ 1.05), 2048³ 1.05-1.21 (4), 512³ 0.94-1.08 (6), (1000, 512, 784) 1.02-1.10 (3); 1024³ on 2 threads
     * 1.07. Tiled everywhere, W1 batch 256 (a (256, 128, 784) product, 134 KB a K block) gave a median of 83.5k
     * against 95.5k samples/s (8 alternating runs each), so a K block that fits stays shared.
     */
    private static final long L2 = CpuCaches.l2() > 0 ? CpuCaches.l2() : 1 << 20;
    /** The level-1 data cache the K blocking is sized for (bytes; -1 if unknown). */
    private static final long L1D = CpuCaches.l1d();
    /**
     * Blocking; {@code -Dlinea.gemm.kc / .mc} override it for tuning experiments. KC from the L1 data cache: a
     * packed B strip (KC × NR floats) filling two thirds of L1, leaving room for the A panel's lines and C's,
     * between 128 and 512 (256 if L1 is unknown). 1024³, 1 thread, NR 32, L1d 48K, best of 25 runs: Intel Xeon
     * (Emerald Rapids) KC 192 120-136, 256 137-139, 384 74-90 GFLOP/s; AMD EPYC (Zen 5) 256 188, 384 192, 512 199.
     */
    static final int KC = Integer.getInteger("linea.gemm.kc", kcForCache(L1D));
    static final int MC = Integer.getInteger("linea.gemm.mc", 144);
    static final int NC = 4096;
    /**
     * Most floats of a whole packed B that the tiled path packs up front (32 MB: 2048² takes 16.8 MB); beyond,
     * B is shared a K block at a time.
     */
    private static final int B_PANEL_MAX = 8 << 20;
    /** Below this many multiply-adds, packing and threading cost more than they save. */
    static final long SMALL = 32 * 1024;
    /** Minimum multiply-adds per tile before a second tile (and thread) is worth it. */
    private static final long MIN_TILE_WORK = 256 * 1024;

    private VectorGemm() {}

    /** KC for an L1 data cache of {@code l1d} bytes: {@code (2/3)·l1d / (4·NR)} rounded down to 64, within [128, 512]. */
    static int kcForCache(long l1d) {
        if (l1d <= 0) {
            return 256;
        }
        long kc = l1d * 2 / 3 / (4L * NR) / 64 * 64;
        return (int) Math.max(128, Math.min(512, kc));
    }

    private static int rows(int mr) {
        if (mr != 6 && mr != 8) {
            throw new IllegalArgumentException("linea.gemm.mr must be 6 or 8, got " + mr);
        }
        return mr;
    }

    /** The register block and cache blocking in use, e.g. {@code "micro-kernel 6x16 (256-bit), KC 320 (L1d 32K), MC 144, NC 4096, ..."}. */
    public static String describe() {
        return "micro-kernel " + MR + "x" + NR + " (" + S.vectorBitSize() + "-bit), KC " + KC
                + (L1D > 0 ? " (L1d " + L1D / 1024 + "K)" : " (L1d unknown)") + ", MC " + MC + ", NC " + NC
                + ", C in tiles where a K block of B exceeds " + L2 / 2 / 1024 + "K (half of L2) and all of B fits "
                + B_PANEL_MAX / (1024 * 1024 / 4) + " MB"
                + ", dot-product path for <= " + DOT_MAX_M + " rows and k > 8 rows";
    }

    /** The preferred species, or the width forced by {@code -Dlinea.gemm.bits=256|512}. */
    private static VectorSpecies<Float> species() {
        return switch (Integer.getInteger("linea.gemm.bits", 0)) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }

    /** Per-thread packing buffers, grown on demand. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] tiles = new float[0];
        final float[] tmp = new float[MR * NR];

        float[] a(int size) {
            return a.length >= size ? a : (a = new float[size]);
        }

        float[] b(int size) {
            return b.length >= size ? b : (b = new float[size]);
        }

        float[] tiles(int size) {
            return tiles.length >= size ? tiles : (tiles = new float[size]);
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** See {@link dev.linea.backend.Backend#sgemm}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if ((long) m * n * k <= SMALL) {
            small(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (!transA && transB && k >= 4 * L && k <= DOT_MAX_K && ((m <= DOT_MAX_M && k > 8 * m) || n < NR)) {
            dotProducts(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        new Gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate).run();
    }

    /** The K block depth for depth {@code k}: K blocks of at most KC, balanced (784 → 4 × 196). */
    private static int kcFor(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /** The M block height for {@code m} rows: at most MC, a multiple of MR, an even count of blocks below 8. */
    private static int mcFor(int m) {
        int mBlocks = ceilDiv(m, MC);
        // An even number of M blocks keeps two cores equally busy; it depends only on m.
        if (mBlocks > 1 && mBlocks < 8 && (mBlocks & 1) == 1) {
            mBlocks++;
        }
        return roundUp(ceilDiv(m, mBlocks), MR);
    }

    /** See {@link dev.linea.backend.Backend#pack}: every K block of op(B), as {@link Gemm#runPacked} reads them. */
    static float[] pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        float[] bp = new float[packedSize(k, n)];
        packInto(transB, k, n, b, bOff, ldb, bp);
        return bp;
    }

    /** Floats of a whole op(B) of {@code k×n} packed by {@link #packInto}. */
    private static int packedSize(int k, int n) {
        int kc = kcFor(Math.max(k, 1));
        return ceilDiv(k, kc) * ceilDiv(n, NR) * kc * NR;
    }

    /** Packs every K block of op(B) into {@code bp}: K block pb at {@code pb·strips·kc·NR}, strips as {@link Gemm#packB} lays them out. */
    private static void packInto(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] bp) {
        int kc = kcFor(Math.max(k, 1)), strips = ceilDiv(n, NR);
        Gemm g = new Gemm(false, transB, 0, n, k, null, 0, 0, b, bOff, ldb, null, 0, 0, false);
        // Packing is a copy: how it is split has no effect on the numbers.
        int grain = Math.max(1, (64 * 1024) / (kc * NR));
        Parallel.forRange(ceilDiv(k, kc) * strips, grain, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int pb = t / strips, p0 = pb * kc, s = t % strips;
                g.packB(p0, Math.min(kc, k - p0), 0, n, bp, pb * strips * kc * NR, s, s + 1);
            }
        });
    }

    /** See {@link dev.linea.backend.Backend#sgemm(int, float[], int, int, dev.linea.backend.PackedMatrix, float[], int, int, boolean)}. */
    static void sgemmPacked(int m, int n, int k, float[] a, int aOff, int lda, float[] bp,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        new Gemm(false, false, m, n, k, a, aOff, lda, null, 0, 0, c, cOff, ldc, accumulate).runPacked(bp);
    }

    /** Longest rows for the dot-product path: 4 rows of A and 3 of B must stay in L1/L2. */
    static final int DOT_MAX_K = 2048;
    /**
     * The dot-product path is for few rows against long ones (k > 8m) or very few columns: each C element
     * pays a lane sum, the packed path a transposing pack of B shared by all rows (A is read in place).
     * GFLOP/s dot vs packed, 1 thread, AMD EPYC 512-bit, (m, n, k): (8, 128, 784) 114 vs 37,
     * (32, 128, 784) 99 vs 80, (64, 128, 784) 115 vs 115, (32, 256, 256) 65 vs 89, (32, 512, 128) 53 vs 104,
     * (32, 64, 128) 41 vs 79.
     */
    static final int DOT_MAX_M = Integer.getInteger("linea.gemm.dotMaxM", 96);

    /**
     * {@code A·Bᵀ} with both operands row-major along k (a linear layer's forward pass, x·Wᵀ): every
     * C element is a dot product of two contiguous rows, so nothing is packed. 4 rows of A × 3 rows of B
     * are blocked into 12 vector accumulators; lanes are summed at the end and the k tail is added in
     * scalar, in an order that depends only on k. Threads split the rows of C in fixed chunks.
     */
    private static void dotProducts(int m, int n, int k, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int rowBlocks = ceilDiv(m, 4);
        // Fixed chunks of ~1M multiply-adds (at least one 4-row block): independent of the thread count.
        int grain = (int) Math.max(1, Math.min(rowBlocks, (1L << 20) / Math.max(1L, 4L * n * k)));
        Parallel.forRange(rowBlocks, grain, (r0, r1) -> {
            float[] lanes = new float[12 * L];
            for (int rb = r0; rb < r1; rb++) {
                int i = rb * 4;
                int h = Math.min(4, m - i);
                int j = 0;
                if (h == 4) {
                    for (; j + 3 <= n; j += 3) {
                        dot4x3(k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc, accumulate,
                                lanes);
                    }
                }
                for (int ii = 0; ii < h; ii++) {
                    for (int jj = j; jj < n; jj++) {
                        float v = dot(k, a, aOff + (i + ii) * lda, b, bOff + jj * ldb, lanes);
                        int ci = cOff + (i + ii) * ldc + jj;
                        c[ci] = accumulate ? c[ci] + v : v;
                    }
                }
            }
        });
    }

    /** {@code C[4×3] (+)= A[4 rows] · B[3 rows]ᵀ}; per element the same operation order as {@link #dot}. */
    private static void dot4x3(int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float[] c, int co, int ldc, boolean add, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        int a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda, b1 = bo + ldb, b2 = bo + 2 * ldb;
        int p = 0;
        for (; p <= k - L; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, bo + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, ao + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        // Scalar arguments only from here on: no vector has to be materialised.
        s00.intoArray(lanes, 0 * L);
        s01.intoArray(lanes, 1 * L);
        s02.intoArray(lanes, 2 * L);
        s10.intoArray(lanes, 3 * L);
        s11.intoArray(lanes, 4 * L);
        s12.intoArray(lanes, 5 * L);
        s20.intoArray(lanes, 6 * L);
        s21.intoArray(lanes, 7 * L);
        s22.intoArray(lanes, 8 * L);
        s30.intoArray(lanes, 9 * L);
        s31.intoArray(lanes, 10 * L);
        s32.intoArray(lanes, 11 * L);
        int c1 = co + ldc, c2 = co + 2 * ldc, c3 = co + 3 * ldc;
        finish(sumLanes(lanes, 0 * L), k, p, a, ao, b, bo, c, co, add);
        finish(sumLanes(lanes, 1 * L), k, p, a, ao, b, b1, c, co + 1, add);
        finish(sumLanes(lanes, 2 * L), k, p, a, ao, b, b2, c, co + 2, add);
        finish(sumLanes(lanes, 3 * L), k, p, a, a1, b, bo, c, c1, add);
        finish(sumLanes(lanes, 4 * L), k, p, a, a1, b, b1, c, c1 + 1, add);
        finish(sumLanes(lanes, 5 * L), k, p, a, a1, b, b2, c, c1 + 2, add);
        finish(sumLanes(lanes, 6 * L), k, p, a, a2, b, bo, c, c2, add);
        finish(sumLanes(lanes, 7 * L), k, p, a, a2, b, b1, c, c2 + 1, add);
        finish(sumLanes(lanes, 8 * L), k, p, a, a2, b, b2, c, c2 + 2, add);
        finish(sumLanes(lanes, 9 * L), k, p, a, a3, b, bo, c, c3, add);
        finish(sumLanes(lanes, 10 * L), k, p, a, a3, b, b1, c, c3 + 1, add);
        finish(sumLanes(lanes, 11 * L), k, p, a, a3, b, b2, c, c3 + 2, add);
    }

    /** Adds the scalar k tail {@code [p, k)} to a lane sum and writes (or adds) it to {@code c[ci]}. */
    private static void finish(float acc, int k, int p, float[] a, int ai, float[] b, int bj,
                               float[] c, int ci, boolean add) {
        for (; p < k; p++) {
            acc = Math.fma(a[ai + p], b[bj + p], acc);
        }
        c[ci] = add ? c[ci] + acc : acc;
    }

    /**
     * Sum of {@code L} stored lanes, left to right. Lanes go through memory on purpose: {@code reduceLanes(ADD)}
     * leaves the order open, and its C2 intrinsic and its Java fallback round differently, so a result would
     * depend on whether the calling code was compiled yet (seen as a 1-vs-2-thread mismatch).
     */
    private static float sumLanes(float[] lanes, int off) {
        float acc = lanes[off];
        for (int l = 1; l < L; l++) {
            acc += lanes[off + l];
        }
        return acc;
    }

    /** One dot product of two contiguous rows: vector lanes, lane sum, then the scalar tail. */
    private static float dot(int k, float[] a, int ao, float[] b, int bo, float[] lanes) {
        FloatVector s = FloatVector.zero(S);
        int p = 0;
        for (; p <= k - L; p += L) {
            s = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), s);
        }
        s.intoArray(lanes, 0);
        float acc = sumLanes(lanes, 0);
        for (; p < k; p++) {
            acc = Math.fma(a[ao + p], b[bo + p], acc);
        }
        return acc;
    }

    /** One blocked multiplication: the problem, its blocking, and the two threading schemes. */
    private record Gemm(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, boolean accumulate) {

        void run() {
            int kc = kcFor(k);
            int mc = mcFor(m);
            int mBlocks = ceilDiv(m, mc);
            if (mBlocks == 1) {
                runColumnTiles(kc);
                return;
            }
            int packed = packedSize(k, n);
            if (k > kc && (long) kc * n * 4 > L2 / 2 && packed <= B_PANEL_MAX) {
                // Many rows, several K blocks, and a K block of packed B too wide to stay in L2: all of B packed
                // up front, M blocks outer with C's tiles buffered (runPacked's tiled mode).
                float[] bp = WORKSPACE.get().b(packed);
                packInto(transB, k, n, b, bOff, ldb, bp);
                runPacked(bp, true);
            } else {
                runSharedB(kc, mc, mBlocks);
            }
        }

        /**
         * C from a whole op(B) packed by {@link VectorGemm#pack}: K block {@code pb} of depth {@code kc} (the
         * last one shorter) at {@code pb·strips·kc·NR}, its strips as {@link #packB} lays them out. Few rows: the
         * column strips are shared out, each thread packing A itself; many rows: the M blocks are.
         */
        void runPacked(float[] bp) {
            runPacked(bp, false);
        }

        /**
         * {@link #runPacked(float[])}; {@code tiled} (many rows only) sums each M block's full MR×NR tiles of C in a
         * per-thread buffer, tile after tile, and writes them to C once. C's own rows lie ldc apart: the micro-kernel
         * adding into them every K block ran 15-16 % slower than into contiguous tiles (one JVM, alternating, 128
         * rows × 1024 columns, AMD EPYC Zen 3: 49 vs 58 and 56 vs 66 GFLOP/s). The same operations in the same
         * order as adding into C, so the same bits.
         */
        private void runPacked(float[] bp, boolean tiled) {
            int kc = kcFor(k), mc = mcFor(m), mBlocks = ceilDiv(m, mc), strips = ceilDiv(n, NR);
            long work = (long) m * n * k;
            int tiles = mBlocks > 1 ? 1 : Math.max(1, (int) Math.min(Math.min(strips, Parallel.availableThreads()),
                    work / MIN_TILE_WORK));
            int stripsPerTile = ceilDiv(strips, tiles);
            int tasks = mBlocks * ceilDiv(strips, stripsPerTile);
            int tileCount = ceilDiv(strips, stripsPerTile);
            boolean buffered = tiled && mBlocks > 1;
            Parallel.forRange(tasks, 1, (t0, t1) -> {
                Workspace ws = WORKSPACE.get();
                float[] ap = ws.a(mc * kc + A_SLACK);
                float[] ct = buffered ? ws.tiles(ceilDiv(mc, MR) * strips * MR * NR) : null;
                for (int t = t0; t < t1; t++) {
                    int i0 = (t / tileCount) * mc, mcur = Math.min(mc, m - i0);
                    int s0 = (t % tileCount) * stripsPerTile, s1 = Math.min(strips, s0 + stripsPerTile);
                    if (buffered && accumulate) {
                        copyTiles(ct, i0, mcur, true);
                    }
                    for (int p0 = 0, pb = 0; p0 < k; p0 += kc, pb++) {
                        int kcur = Math.min(kc, k - p0);
                        packRows(p0, kcur, i0, mcur, ap);
                        macro(ap, bp, pb * strips * kc * NR, kcur, p0, i0, mcur, 0, n, s0, s1, accumulate || p0 > 0, ws.tmp, ct);
                    }
                    if (buffered) {
                        copyTiles(ct, i0, mcur, false);
                    }
                }
            });
        }

        /**
         * Few rows (one M block): tiles of C columns, each running the whole K loop with its own packing.
         * One parallel region, and no B strip is packed twice.
         */
        private void runColumnTiles(int kc) {
            int strips = ceilDiv(n, NR);
            long work = (long) m * n * k;
            // More than one tile only pays where another thread takes it: each tile packs all of A again.
            // (Tiles split the columns of C, so their number never changes a result.)
            int spread = Math.min(Math.min(strips, 2), Parallel.availableThreads());
            int tiles = Math.max(ceilDiv(n, NC), (int) Math.min(spread, work / MIN_TILE_WORK));
            tiles = Math.max(tiles, 1);
            int stripsPerTile = ceilDiv(strips, tiles);
            int tileCount = ceilDiv(strips, stripsPerTile);
            Parallel.forRange(tileCount, 1, (t0, t1) -> {
                Workspace ws = WORKSPACE.get();
                for (int t = t0; t < t1; t++) {
                    int j0 = t * stripsPerTile * NR;
                    int nc = Math.min(n - j0, stripsPerTile * NR);
                    int ns = ceilDiv(nc, NR);
                    float[] bp = ws.b(ns * NR * kc);
                    float[] ap = ws.a(roundUp(m, MR) * kc + A_SLACK);
                    for (int p0 = 0; p0 < k; p0 += kc) {
                        int kcur = Math.min(kc, k - p0);
                        packB(p0, kcur, j0, nc, bp, 0, 0, ns);
                        packRows(p0, kcur, 0, m, ap);
                        macro(ap, bp, 0, kcur, p0, 0, m, j0, nc, 0, ns, accumulate || p0 > 0, ws.tmp, null);
                    }
                }
            });
        }

        /** Many rows: per N and K block, B is packed once (in parallel) and M blocks are shared out. */
        private void runSharedB(int kc, int mc, int mBlocks) {
            int nBlocks = ceilDiv(n, NC);
            int ncMax = roundUp(ceilDiv(n, nBlocks), NR);
            float[] bp = WORKSPACE.get().b(ncMax * kc);
            for (int j0 = 0; j0 < n; j0 += ncMax) {
                int nc = Math.min(ncMax, n - j0);
                int ns = ceilDiv(nc, NR);
                for (int p0 = 0; p0 < k; p0 += kc) {
                    int kcur = Math.min(kc, k - p0);
                    int jStart = j0;
                    int pStart = p0;
                    // Packing is a copy: how it is split has no effect on the numbers.
                    int grain = Math.max(1, (64 * 1024) / (kcur * NR));
                    Parallel.forRange(ns, grain, (s0, s1) -> packB(pStart, kcur, jStart, nc, bp, 0, s0, s1));
                    boolean add = accumulate || p0 > 0;
                    Parallel.forRange(mBlocks, 1, (b0, b1) -> {
                        Workspace ws = WORKSPACE.get();
                        float[] ap = ws.a(mc * kcur + A_SLACK);
                        for (int blk = b0; blk < b1; blk++) {
                            int i0 = blk * mc;
                            int mcur = Math.min(mc, m - i0);
                            packRows(pStart, kcur, i0, mcur, ap);
                            macro(ap, bp, 0, kcur, pStart, i0, mcur, jStart, nc, 0, ns, add, ws.tmp, null);
                        }
                    });
                }
            }
        }

        /**
         * Copies the full MR×NR tiles of C rows {@code [i0, i0+mc)} between C and {@code tiles} ({@code fromC}: into
         * the buffer), where tile (strip s, row group r) lies at {@link #tileOffset}. The tiles at the edges (fewer
         * rows or columns) are never buffered.
         */
        private void copyTiles(float[] tiles, int i0, int mc, boolean fromC) {
            int groups = ceilDiv(mc, MR);
            for (int s = 0; s < n / NR; s++) {
                for (int r0 = 0; r0 + MR <= mc; r0 += MR) {
                    int t = tileOffset(s, r0 / MR, groups);
                    int co = cOff + (i0 + r0) * ldc + s * NR;
                    for (int ii = 0; ii < MR; ii++, co += ldc, t += NR) {
                        if (fromC) {
                            System.arraycopy(c, co, tiles, t, NR);
                        } else {
                            System.arraycopy(tiles, t, c, co, NR);
                        }
                    }
                }
            }
        }

        /** Where tile (strip {@code s}, row group {@code r}) of an M block with {@code groups} row groups is buffered. */
        private static int tileOffset(int s, int r, int groups) {
            return (s * groups + r) * MR * NR;
        }

        /**
         * Packs B rows {@code [p0, p0+kc)} and the strips {@code [s0, s1)} of columns starting at {@code j0}
         * (at most {@code nc} columns): strip s holds {@code B(p0+p, j0+s·NR+jj)} at {@code dOff + s·kc·NR + p·NR + jj},
         * zero-padded to NR columns.
         */
        private void packB(int p0, int kc, int j0, int nc, float[] dst, int dOff, int s0, int s1) {
            for (int s = s0; s < s1; s++) {
                int j = j0 + s * NR;
                int w = Math.min(NR, j0 + nc - j);
                int d = dOff + s * kc * NR;
                if (!transB) {
                    int src = bOff + p0 * ldb + j;
                    if (w == NR) {
                        for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                            FloatVector.fromArray(S, b, src).intoArray(dst, d);
                            FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                        }
                    } else {
                        for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                            for (int jj = 0; jj < NR; jj++) {
                                dst[d + jj] = jj < w ? b[src + jj] : 0f;
                            }
                        }
                    }
                } else {
                    // B(p, j) = b[bOff + j·ldb + p]: each column of the strip is a contiguous row of b.
                    for (int jj = 0; jj < NR; jj++) {
                        if (jj < w) {
                            int src = bOff + (j + jj) * ldb + p0;
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * NR + jj] = b[src + p];
                            }
                        } else {
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * NR + jj] = 0f;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Packs A rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)}: strip r holds
         * {@code A(i0+r·MR+ii, p0+p)} at {@code r·kc·MR + p·MR + ii}, zero-padded to MR rows.
         */
        private void packA(int p0, int kc, int i0, int mc, float[] dst) {
            for (int r0 = 0; r0 < mc; r0 += MR) {
                int h = Math.min(MR, mc - r0);
                int d = r0 * kc;
                if (transA) {
                    // A(i, p) = a[aOff + p·lda + i]: the MR values of one p are contiguous.
                    int src = aOff + p0 * lda + i0 + r0;
                    if (h == MR && src + (kc - 1) * lda + A8.length() <= a.length) {
                        // One 8-wide copy per p: the 2 extra floats land where the next p (or the next
                        // strip, or the buffer's slack) is written afterwards.
                        for (int p = 0; p < kc; p++, src += lda, d += MR) {
                            FloatVector.fromArray(A8, a, src).intoArray(dst, d);
                        }
                    } else if (h == MR && MR == 6) {
                        for (int p = 0; p < kc; p++, src += lda, d += MR) {
                            dst[d] = a[src];
                            dst[d + 1] = a[src + 1];
                            dst[d + 2] = a[src + 2];
                            dst[d + 3] = a[src + 3];
                            dst[d + 4] = a[src + 4];
                            dst[d + 5] = a[src + 5];
                        }
                    } else {
                        for (int p = 0; p < kc; p++, src += lda, d += MR) {
                            for (int ii = 0; ii < MR; ii++) {
                                dst[d + ii] = ii < h ? a[src + ii] : 0f;
                            }
                        }
                    }
                } else {
                    for (int ii = 0; ii < MR; ii++) {
                        if (ii < h) {
                            int src = aOff + (i0 + r0 + ii) * lda + p0;
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * MR + ii] = a[src + p];
                            }
                        } else {
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * MR + ii] = 0f;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Rows {@code [i0, i0+mc)} from A's K block at {@code p0}, in the groups of MR that the kernels read from the
         * packed buffer: those {@link #directRows} leaves (the kernels read the others straight from A).
         */
        private void packRows(int p0, int kc, int i0, int mc, float[] dst) {
            int direct = directRows(mc);
            packA(p0, kc, i0 + direct, mc - direct, dst);
        }

        /**
         * How many of {@code mc} rows the kernels read from A in place, as full groups of MR: those of a transposed
         * A where B has at most 4 strips (few reuses of a packed panel), where A's MR values of one step are
         * contiguous and one address stepped by lda reaches them. GFLOP/s packed vs in place, 1 thread, AMD EPYC
         * 512-bit, Aᵀ·B (m, n, k): (512, 64, 1120) 132 vs 165, (512, 128, 1120) 138 vs 163, (1024, 1024, 1024)
         * 153 vs 118.
         *
         * <p>A row-major A is always packed. Read in place, its MR row addresses are more general registers than C2
         * has on x86: with MR = 8 it moved them through vector registers every step (Intel Xeon, Emerald Rapids,
         * 1024³: 87-95 in place vs 136-138 GFLOP/s packed), and with MR = 6 on AVX2 it loaded all six broadcasts
         * at the top of the step, which spilled three of the twelve accumulators to the stack (AMD EPYC Zen 3,
         * 1 thread, best of 25: 1024³ 27-29 in place vs 52-63 packed, (1120, 64, 512) 34 vs 65, (32, 512, 128)
         * 33 vs 60).
         */
        private int directRows(int mc) {
            return transA && n <= 4 * NR ? mc / MR * MR : 0;
        }

        /**
         * C rows {@code [i0, i0+mc)} × B strips {@code [s0, s1)} (columns from {@code j0}, {@code nc} in all)
         * over K block {@code [p0, p0+kc)}, from packed B panels (strip s at {@code bBase + s·kc·NR}) and A as
         * {@link #packRows} left it. B strip outer (it stays in L1), A strips inner (the A block stays in L2).
         * With {@code tiles} (not null), full MR×NR tiles are summed there ({@link #tileOffset}, strips counted
         * from {@code s0}) instead of in C.
         */
        private void macro(float[] ap, float[] bp, int bBase, int kc, int p0, int i0, int mc, int j0, int nc,
                           int s0, int s1, boolean add, float[] tmp, float[] tiles) {
            int groups = ceilDiv(mc, MR);
            int direct = directRows(mc);
            for (int s = s0; s < s1; s++) {
                int j = j0 + s * NR;
                int w = Math.min(NR, j0 + nc - j);
                int bo = bBase + s * kc * NR;
                for (int r0 = 0; r0 < mc; r0 += MR) {
                    int h = Math.min(MR, mc - r0);
                    boolean fromA = r0 < direct;
                    int ao = fromA ? aOff + p0 * lda + i0 + r0 : (r0 - direct) * kc;
                    int co = cOff + (i0 + r0) * ldc + j;
                    if (w == NR) {
                        // A full tile goes to its buffered tile where there is one (fromA groups are full).
                        boolean buffered = tiles != null && h == MR;
                        float[] ct = buffered ? tiles : c;
                        int cto = buffered ? tileOffset(s - s0, r0 / MR, groups) : co;
                        int ldt = buffered ? NR : ldc;
                        if (fromA) {
                            kernel(kc, a, ao, lda, bp, bo, ct, cto, ldt, add);
                        } else if (h == MR) {
                            kernel(kc, ap, ao, MR, bp, bo, ct, cto, ldt, add);
                        } else {
                            edgeRows(h, kc, ap, ao, bp, bo, c, co, ldc, add);
                        }
                    } else {
                        // Column tail: full kernel into a scratch tile (padding is zero), then the valid part.
                        if (fromA) {
                            kernel(kc, a, ao, lda, bp, bo, tmp, 0, NR, false);
                        } else {
                            kernel(kc, ap, ao, MR, bp, bo, tmp, 0, NR, false);
                        }
                        for (int ii = 0; ii < h; ii++) {
                            int ci = co + ii * ldc;
                            for (int jj = 0; jj < w; jj++) {
                                float v = tmp[ii * NR + jj];
                                c[ci + jj] = add ? c[ci + jj] + v : v;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Fewer than MR rows of full width, written straight into C as 4 + 2 + 1 row kernels. */
    private static void edgeRows(int h, int kc, float[] ap, int ao, float[] bp, int bo,
                                 float[] c, int co, int ldc, boolean add) {
        int r = 0;
        if (h - r >= 4) {
            kernel4(kc, ap, ao + r, bp, bo, c, co + r * ldc, ldc, add);
            r += 4;
        }
        if (h - r >= 2) {
            kernel2(kc, ap, ao + r, bp, bo, c, co + r * ldc, ldc, add);
            r += 2;
        }
        if (h - r >= 1) {
            kernel1(kc, ap, ao + r, bp, bo, c, co + r * ldc, ldc, add);
        }
    }

    /** The MR×NR micro-kernel in use: {@link #kernel8} or {@link #kernel6}. */
    private static void kernel(int kc, float[] ap, int ao, int aStep, float[] bp, int bo,
                               float[] c, int co, int ldc, boolean add) {
        if (MR == 8) {
            kernel8(kc, ap, ao, aStep, bp, bo, c, co, ldc, add);
        } else {
            kernel6(kc, ap, ao, aStep, bp, bo, c, co, ldc, add);
        }
    }

    /**
     * The 6×NR micro-kernel: {@code C[6×NR] (+)= Apanel[6×kc] · Bpanel[kc×NR]}, with A's six values of step p at
     * {@code ap[ao + p·aStep ..]} (a panel packed p-major in groups of MR: {@code aStep = MR}; a transposed A
     * read in place: its leading dimension) and B packed in groups of NR. The {@code loadLoadFence} calls emit no instruction on x86 but stop
     * C2 from hoisting all six broadcasts to the loop top, which would spill an accumulator (2.5× slower).
     * The stores are written out with no helper and no vector reassigned across the {@code add} branch: a
     * vector-valued phi or a helper that C2 declines to inline (node-count cutoff) boxes the accumulators,
     * measured 2× slower.
     */
    static void kernel6(int kc, float[] ap, int ao, int aStep, float[] bp, int bo,
                        float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += aStep, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector av = FloatVector.broadcast(S, ap[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L)).intoArray(c, co + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L)).intoArray(c, co + 5 * ldc + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc);
            c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc);
            c51.intoArray(c, co + 5 * ldc + L);
        }
    }

    /**
     * The 8×NR micro-kernel, {@link #kernel6} with two more rows: 16 accumulators, for 32 vector registers.
     * Kept beside kernel6 (a kernel cannot hold a variable number of vectors in registers).
     */
    static void kernel8(int kc, float[] ap, int ao, int aStep, float[] bp, int bo,
                        float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += aStep, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector av = FloatVector.broadcast(S, ap[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L)).intoArray(c, co + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L)).intoArray(c, co + 5 * ldc + L);
            c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L)).intoArray(c, co + 6 * ldc + L);
            c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L)).intoArray(c, co + 7 * ldc + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc);
            c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc);
            c51.intoArray(c, co + 5 * ldc + L);
            c60.intoArray(c, co + 6 * ldc);
            c61.intoArray(c, co + 6 * ldc + L);
            c70.intoArray(c, co + 7 * ldc);
            c71.intoArray(c, co + 7 * ldc + L);
        }
    }

    /** 4×NR edge kernel; same per-element operation chain as {@link #kernel6}. */
    static void kernel4(int kc, float[] ap, int ao, float[] bp, int bo,
                        float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector av = FloatVector.broadcast(S, ap[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
        }
    }

    /** 2×NR edge kernel. */
    static void kernel2(int kc, float[] ap, int ao, float[] bp, int bo,
                        float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector av = FloatVector.broadcast(S, ap[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
        }
    }

    /** 1×NR edge kernel. */
    static void kernel1(int kc, float[] ap, int ao, float[] bp, int bo,
                        float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector av = FloatVector.broadcast(S, ap[ao]);
            c00 = av.fma(FloatVector.fromArray(S, bp, bo), c00);
            c01 = av.fma(FloatVector.fromArray(S, bp, bo + L), c01);
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
        }
    }

    /**
     * Small problems: no packing, no threads. Without transB, row i of C is a sum of rows of B scaled by
     * A(i, p) (vectorised over j); with transB, each element is a dot product over p.
     */
    private static void small(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        int sa = transA ? 1 : lda;   // step between rows i of A
        int pa = transA ? lda : 1;   // step between columns p of A
        float[] lanes = new float[L];
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * sa;
            int ci = cOff + i * ldc;
            if (!transB) {
                int j = 0;
                for (; j <= n - L; j += L) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int p = 0, ao = ai, bo = bOff + j; p < k; p++, ao += pa, bo += ldb) {
                        acc = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, b, bo), acc);
                    }
                    if (accumulate) {
                        acc = acc.add(FloatVector.fromArray(S, c, ci + j));
                    }
                    acc.intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    float acc = 0f;
                    for (int p = 0, ao = ai, bo = bOff + j; p < k; p++, ao += pa, bo += ldb) {
                        acc = Math.fma(a[ao], b[bo], acc);
                    }
                    c[ci + j] = accumulate ? c[ci + j] + acc : acc;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float acc;
                    int p = 0;
                    if (!transA && k >= L) {
                        FloatVector v = FloatVector.zero(S);
                        for (; p <= k - L; p += L) {
                            v = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), v);
                        }
                        v.intoArray(lanes, 0);
                        acc = sumLanes(lanes, 0);
                    } else {
                        acc = 0f;
                    }
                    for (; p < k; p++) {
                        acc = Math.fma(a[ai + p * pa], b[bj + p], acc);
                    }
                    c[ci + j] = accumulate ? c[ci + j] + acc : acc;
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
