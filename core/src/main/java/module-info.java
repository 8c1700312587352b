/**
 * Linea: a deep-learning library for Java. Tensors with autograd ({@code dev.linea}), layers and losses
 * ({@code dev.linea.nn}), optimizers ({@code dev.linea.optim}), learning-rate schedules
 * ({@code dev.linea.optim.lr}), gradient clipping ({@code dev.linea.nn.utils}), weight initialisation
 * ({@code dev.linea.nn.init}), data loading ({@code dev.linea.data}), checkpoints in the safetensors
 * format ({@code dev.linea.io}),
 * over kernels that know nothing of autograd ({@code dev.linea.backend}).
 *
 * <p>The Vector API is optional: without {@code jdk.incubator.vector} the scalar kernels are used.
 */
module dev.linea.core {
    requires static jdk.incubator.vector;

    exports dev.linea;
    exports dev.linea.backend;
    exports dev.linea.nn;
    exports dev.linea.optim;
    exports dev.linea.optim.lr;
    exports dev.linea.nn.utils;
    exports dev.linea.nn.init;
    exports dev.linea.data;
    exports dev.linea.io;
    exports dev.linea.models;
}
