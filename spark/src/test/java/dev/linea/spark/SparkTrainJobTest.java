package dev.linea.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SparkTrainJobTest {
    private static SparkTrainJob job(String scheduler, int ranks, int maxRestarts) {
        return new SparkTrainJob("fcnn", "sample", null, 1, 32, "sgd", 0.05, 0, 0f, scheduler, 0, 1, ranks, "/tmp/x", 0,
                maxRestarts, 60);
    }

    @Test
    void optionsADistributedRunCannotHonourAreRefusedByName() {
        assertEquals("--scheduler must be none or cosine on Spark, got 'onecycle'",
                assertThrows(IllegalArgumentException.class, () -> job("onecycle", 2, 0)).getMessage());
        assertEquals("--ranks must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> job("none", 0, 0)).getMessage());
        assertEquals("--max-restarts must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> job("none", 2, -1)).getMessage());
    }

    @Test
    void theSubmitEntryNeedsARunFolderAndKnownOptions() {
        assertEquals("--run-dir DIR is required: a folder every executor can read and rank 0 can write (the checkpoint "
                + "and the model)", assertThrows(IllegalArgumentException.class,
                        () -> SparkTrain.main(new String[] {"--ranks", "2"})).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrain.main(new String[] {"--rnaks", "2"}));
        assertEquals("expected --NAME VALUE with NAME one of " + SparkTrain.DEFAULTS.keySet() + ", got '--rnaks'",
                e.getMessage());
    }

    @Test
    void aTaskAddressIsReducedToItsHost() {
        assertEquals("10.0.0.7", BarrierTask.host("10.0.0.7:41234"));
        assertEquals("10.0.0.7", BarrierTask.host("10.0.0.7"));
        assertEquals("::1", BarrierTask.host("::1"));
    }
}
