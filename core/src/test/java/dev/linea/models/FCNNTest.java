package dev.linea.models;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FCNNTest {

    @Test
    void hasTheTutorialsParameterCountAndPyTorchsStateDictKeys() {
        FCNN model = new FCNN();
        assertEquals(109_386, model.parameterCount());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"),
                List.copyOf(model.stateDict().keySet()));
        assertEquals(model.stateDict().keySet(), new FCNN(0.3f).stateDict().keySet());
    }

    @Test
    void sizedToOtherDataItHasOneInputPerFeatureAndOneOutputPerClass() {
        FCNN model = new FCNN(4, 3, 0.1f);
        assertEquals(4, model.inFeatures());
        assertEquals(4 * 128 + 128 + 128 * 64 + 64 + 64 * 3 + 3, model.parameterCount());
        assertArrayEquals(new int[] {5, 3}, model.forward(Tensor.randn(5, 4)).shape());
        assertEquals("FCNN needs at least 1 input and 1 class, got in_features 0 and num_classes 3",
                assertThrows(IllegalArgumentException.class, () -> new FCNN(0, 3, 0f)).getMessage());
        // The tutorial's sizes draw the same weights as the tutorial's constructor.
        Linea.manualSeed(3);
        float[] a = new FCNN().fc3.weight.toFloatArray();
        Linea.manualSeed(3);
        assertArrayEquals(a, new FCNN(784, 10, 0f).fc3.weight.toFloatArray());
        assertArrayEquals(new int[] {2, 5}, new CNN(5, 0f).forward(Tensor.randn(2, 1, 28, 28)).shape());
    }

    @Test
    void printsLikePyTorchWithOrWithoutDropout() {
        String expected = """
                FCNN(
                  (fc1): Linear(in_features=784, out_features=128, bias=True)
                  (fc2): Linear(in_features=128, out_features=64, bias=True)
                  (fc3): Linear(in_features=64, out_features=10, bias=True)
                )""";
        assertEquals(expected, new FCNN().toString());
        assertEquals(expected, new FCNN(0.1f).toString());
    }

    /** Pinned from the tutorial's and the command line's own FCNN classes before they became this one. */
    private static final Map<String, String> SEED_42 = Map.of(
            "fc1.weight", "[128, 784] hash=1212251393 first=0xbbc9fcc8 last=0xbd0f6664",
            "fc1.bias", "[128] hash=-1854839910 first=0xbb34ca80 last=0xbc1f471c",
            "fc2.weight", "[64, 128] hash=-108533186 first=0x3d33ebd6 last=0xbb559940",
            "fc2.bias", "[64] hash=-521320732 first=0xbd1294cf last=0x3d94d785",
            "fc3.weight", "[10, 64] hash=644824999 first=0xbda3fad0 last=0xbde37016",
            "fc3.bias", "[10] hash=-2058964897 first=0xbcba2330 last=0xbda9f20c");

    @Test
    void seed42BuildsTheSameWeightsBitForBitAsTheClassesItReplaced() {
        Linea.manualSeed(42);
        assertEquals(SEED_42, WeightBits.of(new FCNN()));
        Linea.manualSeed(42);
        assertEquals(SEED_42, WeightBits.of(new FCNN(0.5f)), "Dropout must not change the weights");
    }

    @Test
    void takesImagesOrFlatRowsAndReturnsOneLogitPerClass() {
        FCNN model = new FCNN();
        assertArrayEquals(new int[] {3, 10}, model.forward(Tensor.randn(3, 1, 28, 28)).shape());
        assertArrayEquals(new int[] {5, 10}, model.forward(Tensor.randn(5, 784)).shape());
        Tensor p = model.predict(Tensor.randn(4, 1, 28, 28));
        assertArrayEquals(new int[] {4, 10}, p.shape());
        for (float rowSum : p.sum(1, false).toFloatArray()) {
            assertEquals(1f, rowSum, 1e-5f);
        }
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        DropoutChecks.actsOnlyWhileTraining(p -> new FCNN((float) p), Tensor.randn(8, 784));
    }

    @Test
    void rejectsADropoutProbabilityOutsideZeroToOne() {
        assertEquals("dropout probability has to be between 0 and 1, but got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new FCNN(1.5f)).getMessage());
        assertEquals("dropout probability has to be between 0 and 1, but got NaN",
                assertThrows(IllegalArgumentException.class, () -> new FCNN(Float.NaN)).getMessage());
    }

    /**
     * A fixed, learnable problem: ten random prototype "images", samples are prototypes plus noise. The
     * network must drive the loss far below its starting value (ln 10 ≈ 2.30) and classify held-out samples.
     */
    @Test
    void learnsASyntheticClassificationProblem() {
        Linea.manualSeed(7);
        Tensor prototypes = Tensor.randn(10, 784);
        FCNN model = new FCNN();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), 0.001);
        float first = Float.NaN, last = Float.NaN;
        for (int step = 0; step < 60; step++) {
            Tensor y = Tensor.randint(0, 10, 64);
            Tensor x = batch(prototypes, y);
            Tensor loss = criterion.forward(model.forward(x), y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(first > 2.0f, "initial loss " + first);
        assertTrue(last < 0.1f * first, "loss fell from " + first + " only to " + last);
        Tensor y = Tensor.randint(0, 10, 200);
        float accuracy = model.forward(batch(prototypes, y)).argmax(1, false).eq(y).toFloat().mean().item();
        assertTrue(accuracy > 0.95f, "held-out accuracy " + accuracy);
    }

    @Test
    void aNaNWeightGivesANaNLossThroughRelu() {
        NaNWeightChecks.reachesTheLoss(FCNN::new, "fc1.weight", Tensor.rand(4, 1, 28, 28), Tensor.ofLongs(3, 1, 4, 1));
    }

    /** Samples of the given classes: prototype rows plus unit Gaussian noise, shaped (N, 1, 28, 28). */
    private static Tensor batch(Tensor prototypes, Tensor labels) {
        List<Tensor> rows = new ArrayList<>();
        for (float label : labels.toFloatArray()) {
            rows.add(prototypes.select(0, (int) label));
        }
        int n = rows.size();
        return Tensor.stack(rows, 0).add(Tensor.randn(n, 784)).view(n, 1, 28, 28);
    }
}
