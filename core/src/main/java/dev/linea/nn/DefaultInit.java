package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.nn.init.Init;

/**
 * PyTorch's default initialisation of {@link Linear} and the convolutions ({@code reset_parameters} of
 * {@code nn.Linear} and {@code _ConvNd}), drawn from the given generator, the weight first.
 */
final class DefaultInit {
    private DefaultInit() {}

    /**
     * {@code kaiming_uniform_(weight, a=√5)}, i.e. U(−1/√fan_in, 1/√fan_in), then the bias (if any)
     * U(−1/√fan_in, 1/√fan_in), with fan_in the weight's ({@link Init#calculateFanInAndFanOut}).
     */
    static void kaimingUniformWithBias(Tensor weight, Tensor bias, Generator gen) {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound, gen);
        }
    }
}
