package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Without the linea-sample-data jar on the class path, asking for the sample names that jar. */
class SampleMissingTest {

    @Test
    void sampleWithoutItsJarNamesTheArtifactToAdd() throws Exception {
        // core's own classes alone (target/classes: the sample is only among the test resources), in a loader
        // that cannot see the test class path, also set as the thread's context loader.
        URL coreClasses = ImageSet.class.getProtectionDomain().getCodeSource().getLocation();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader coreOnly = new URLClassLoader(new URL[] {coreClasses}, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(coreOnly);
            Class<?> imageSet = coreOnly.loadClass(ImageSet.class.getName());
            Class<?> split = coreOnly.loadClass(Split.class.getName());
            Method loadSample = imageSet.getMethod("loadSample", split);
            Object train = split.getEnumConstants()[0];
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> loadSample.invoke(null, train));
            NoSuchFileException missing = assertInstanceOf(NoSuchFileException.class, thrown.getCause());
            assertEquals("classpath:dev/linea/sample-data/fashion-mnist/train-images-idx3-ubyte.gz: the Fashion-MNIST"
                    + " sample is not on the class path; it ships in dev.linea:linea-sample-data (add it as a"
                    + " dependency, same version as linea-core)", missing.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
