/**
 * Linea: a deep-learning library for Java. The public API, top to bottom:
 * tensors ({@code dev.linea}) with autograd ({@code dev.linea.autograd}); layers and losses
 * ({@code dev.linea.nn}) over their functional forms ({@code dev.linea.nn.functional}); weight
 * initialisation ({@code dev.linea.nn.init}); gradient clipping ({@code dev.linea.nn.utils}); ready-made
 * models ({@code dev.linea.models}); optimizers ({@code dev.linea.optim}) and learning-rate schedules
 * ({@code dev.linea.optim.lr}); data loading ({@code dev.linea.data}); safetensors files and checkpoints
 * ({@code dev.linea.io}); predictions from trained models ({@code dev.linea.inference}); classification
 * metrics ({@code dev.linea.metrics}); a training loop with callbacks ({@code dev.linea.train}); ONNX files,
 * read and written, imported as trainable modules ({@code dev.linea.onnx}).
 *
 * <p>Not exported: {@code dev.linea.compute} (tensor arithmetic on storage, the one road to the backend),
 * {@code dev.linea.backend} (the kernels, chosen once at start-up) and {@code dev.linea.internal}. See
 * docs/ARCHITECTURE.md. The Vector API is optional: without {@code jdk.incubator.vector} the scalar
 * backend is used.
 */
module dev.linea.core {
    requires static jdk.incubator.vector;
    // Image files for prediction (dev.linea.data.ImageFiles): ImageIO and BufferedImage.
    requires java.desktop;

    exports dev.linea;
    exports dev.linea.autograd;
    exports dev.linea.nn;
    exports dev.linea.nn.functional;
    exports dev.linea.nn.init;
    exports dev.linea.nn.utils;
    exports dev.linea.models;
    exports dev.linea.optim;
    exports dev.linea.optim.lr;
    exports dev.linea.data;
    exports dev.linea.io;
    exports dev.linea.inference;
    exports dev.linea.onnx;
    exports dev.linea.metrics;
    exports dev.linea.train;

    // Linea's own modules on top: the benchmarks time the kernels themselves; the command line and the
    // charts write files atomically and read JSON with core's helpers.
    exports dev.linea.backend to dev.linea.bench;
    exports dev.linea.internal.io to dev.linea.cli, dev.linea.plot;

    uses dev.linea.backend.BackendProvider;
    provides dev.linea.backend.BackendProvider with
            dev.linea.backend.vector.VectorBackendProvider, dev.linea.backend.ScalarBackendProvider;
}
