package dev.linea.golden;

/** The cases of {@link LossOptionsGoldenTest} beyond BCEWithLogits, one group per loss. */
final class LossOptionsCases {
    private LossOptionsCases() {}

    static void addAll() {
    }
}
