package dev.linea.models;

import dev.linea.Linea;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CNNTest {

    @Test
    void hasTheLessonsParameterCountAndPyTorchsStateDictKeys() {
        CNN model = new CNN();
        assertEquals(225_034, model.parameterCount());
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias"), List.copyOf(model.stateDict().keySet()));
    }

    @Test
    void printsLikePyTorch() {
        String expected = """
                CNN(
                  (conv1): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))
                  (conv2): Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1))
                  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (fc1): Linear(in_features=1600, out_features=128, bias=True)
                  (fc2): Linear(in_features=128, out_features=10, bias=True)
                )""";
        assertEquals(expected, new CNN().toString());
        assertEquals(expected, new CNN(0.25f).toString());
    }

    /** Pinned from the command line's CNN (and the benchmark's Sequential of the same layers) before they became this one. */
    @Test
    void seed42BuildsTheSameWeightsBitForBitAsTheClassesItReplaced() {
        Linea.manualSeed(42);
        assertEquals(Map.of(
                "conv1.weight", "[32, 1, 3, 3] hash=2074769242 first=0xbd6ba6e8 last=0xbdf47990",
                "conv1.bias", "[32] hash=42724340 first=0x3daacf24 last=0x3dcd924c",
                "conv2.weight", "[64, 32, 3, 3] hash=1425956553 first=0xbd4189c9 last=0xbb96d518",
                "conv2.bias", "[64] hash=1261741496 first=0xbb8e6240 last=0xbd3aa62e",
                "fc1.weight", "[128, 1600] hash=-608117355 first=0xbc7455dd last=0x3c69faca",
                "fc1.bias", "[128] hash=922152607 first=0xbc29521d last=0xbcc521ab",
                "fc2.weight", "[10, 128] hash=673525343 first=0x3cea1cdc last=0x3ca575d8",
                "fc2.bias", "[10] hash=-2131885821 first=0xbbf15440 last=0xbc5501e8"), WeightBits.of(new CNN()));
    }

    @Test
    void mapsImagesToOneLogitPerClass() {
        assertArrayEquals(new int[] {2, 10}, new CNN().forward(Tensor.randn(2, 1, 28, 28)).shape());
    }

    @Test
    void aNaNWeightGivesANaNLossThroughReluAndMaxPooling() {
        NaNWeightChecks.reachesTheLoss(CNN::new, "conv1.weight", Tensor.rand(2, 1, 28, 28), Tensor.ofLongs(5, 9));
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        DropoutChecks.actsOnlyWhileTraining(p -> new CNN((float) p), Tensor.randn(2, 1, 28, 28));
    }

    @Test
    void rejectsADropoutProbabilityOutsideZeroToOne() {
        assertEquals("dropout probability has to be between 0 and 1, but got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new CNN(-0.1f)).getMessage());
    }
}
