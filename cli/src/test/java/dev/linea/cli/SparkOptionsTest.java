package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code train --spark}: what a distributed run cannot do yet is refused by name, before Spark is needed. */
class SparkOptionsTest {

    @Test
    void optionsADistributedRunDoesNotSupportAreNamed() {
        assertEquals("linea: --clip-grad-norm, --augment-shift not supported with --spark yet",
                CommandLineErrorsTest.runFailing("train", "--spark", "local-cluster[2,1,1024]", "--clip-grad-norm", "1",
                        "--augment-shift", "2"));
    }

    @Test
    void withoutSparkOnTheClassPathTheErrorSaysHowToGetIt() {
        // The cli's tests have no Spark (linea-spark has it as provided), just like ./linea without SPARK_HOME.
        assertEquals("linea: --spark needs Apache Spark 4.2.0's jars: set SPARK_HOME to a Spark 4.2.0 installation "
                        + "(./linea then adds $SPARK_HOME/jars to the class path)",
                CommandLineErrorsTest.runFailing("train", "--spark", "spark://host:7077", "--ranks", "4"));
    }
}
