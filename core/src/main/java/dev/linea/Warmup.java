package dev.linea;

import dev.linea.kernels.KernelProvider;

/**
 * Compiles the hot paths early. The Vector API runs its operations as slow, boxing Java code until C2
 * has compiled the method that uses them, and C2 compiles a method only after thousands of calls: a
 * kernel called once per training step (Adam's update, the fused cross-entropy) would stay slow for the
 * first few thousand steps. So on first use Linea runs a few thousand tiny training steps of a small
 * network on a background daemon thread, taking the same code paths as real work.
 *
 * <p>It touches no shared state: its own generator (the global one's sequence is untouched), sizes small
 * enough that kernels run on the calling thread (no shared worker), no grad mode change on other
 * threads. Results do not depend on it, since every kernel gives the same bits compiled or not. Disable
 * with {@code -Dlinea.warmup=false}.
 */
final class Warmup {
    private static final int STEPS = 3000;

    private Warmup() {}

    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("linea.warmup", "true"))
                || KernelProvider.get().name().equals("scalar")) {
            return;
        }
        Thread t = new Thread(Warmup::run, "linea-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        try {
            Generator g = new Generator(0x11EA);
            // Shapes that take each GEMM path: packed (A·Bᵀ forward and A·B input gradient), the
            // dot-product path and the transposed-A weight gradient.
            int batch = 16, in = 196, hidden = 48, out = 10;
            Tensor w1 = Tensor.randn(g, hidden, in).mul(0.05f).requiresGrad(true);
            Tensor b1 = Tensor.zeros(hidden).requiresGrad(true);
            Tensor w2 = Tensor.randn(g, out, hidden).mul(0.1f).requiresGrad(true);
            Tensor b2 = Tensor.zeros(out).requiresGrad(true);
            Tensor x = Tensor.randn(g, batch, in);
            Tensor y = Tensor.randint(g, 0, out, batch);
            Tensor[] params = {w1, b1, w2, b2};
            Tensor[] m = new Tensor[4], v = new Tensor[4];
            for (int i = 0; i < 4; i++) {
                m[i] = Tensor.zerosLike(params[i]);
                v[i] = Tensor.zerosLike(params[i]);
            }
            for (int step = 0; step < STEPS; step++) {
                Tensor h = Tensor.linear(x, w1, b1).relu();
                Tensor logits = Tensor.linear(h, w2, b2);
                Tensor loss = logits.logSoftmax(1).mul(-1f).mean().add(crossEntropy(logits, y));
                for (Tensor p : params) {
                    p.setGrad(null);
                }
                loss.backward();
                for (int i = 0; i < 4; i++) {
                    Tensor p = params[i];
                    KernelProvider.get().adamUpdate(p.storage(), p.grad().storage(), m[i].storage(), v[i].storage(), 0,
                            p.numel(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.5f, 0.5f);
                }
            }
        } catch (RuntimeException | Error e) {
            // Warm-up is an optimisation only; never disturb the program.
        }
    }

    /** The fused cross-entropy kernel, as CrossEntropyLoss calls it. */
    private static Tensor crossEntropy(Tensor logits, Tensor y) {
        int n = logits.size(0), c = logits.size(1);
        float[] grad = new float[n * c];
        float loss = KernelProvider.get().crossEntropyRows(logits.contiguous().storage(), 0, n, c, y.storage(), 0, grad, 0, 1f / n);
        return Autograd.record("NllLossBackward0", Tensor.scalar(loss / n),
                gr -> new Tensor[] {Tensor.wrap(grad, n, c).mul(gr.item())}, logits);
    }
}
