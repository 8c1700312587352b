package dev.linea.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linea.cli.train.RunModel;
import dev.linea.cli.train.Training;
import dev.linea.data.ImageFiles;
import dev.linea.data.ImageSet;
import dev.linea.data.Split;
import dev.linea.inference.Prediction;
import dev.linea.inference.Predictor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code linea serve}'s page in a real browser: Debian's headless Chromium loads it from the server, the page
 * of a model trained for one epoch on the embedded sample submits a picture (a Fashion-MNIST test image, as an
 * upload would) or a stroke drawn with pointer events, and
 * the top classes the page then shows are read back from the DOM; a screenshot is kept under
 * {@code cli/target/browser/}. Nothing is downloaded: the browser is driven by its command line
 * ({@code --dump-dom}, {@code --screenshot}). Skipped when no Chromium is installed, unless
 * {@code LINEA_REQUIRE_BROWSER} is set (CI sets it, after {@code .ci/run} installs {@code chromium}).
 */
class BrowserTest {
    private static final Path OUT = Path.of("target", "browser");
    private static final Pattern ROW = Pattern.compile(
            "<li class=\"prediction\"><span class=\"label\">([^<]*)</span>.*?<span class=\"pct\">([0-9.]+)%</span></li>");

    static Predictor predictor;
    static PredictionServer server;
    static String chromium;

    @BeforeAll
    static void start() throws IOException {
        chromium = findChromium().orElse(null);
        if (chromium == null) {
            String hint = "no Chromium found (chromium, chromium-browser or google-chrome on PATH, or LINEA_CHROMIUM): "
                    + "apt-get install -y chromium";
            if (System.getenv("LINEA_REQUIRE_BROWSER") != null) {
                fail(hint + " (LINEA_REQUIRE_BROWSER is set, so the browser test must run)");
            }
            Assumptions.abort("browser test skipped: " + hint);
        }
        Files.createDirectories(OUT);
        // A model trained for one epoch on the embedded sample, opened as ./linea serve RUN opens it: the
        // screenshot then shows a real answer.
        Path run = Files.createTempDirectory("linea-browser-run-");
        Training.start(Training.settings("fcnn", "sample", null, 1, 64, "adam", 1e-3, 0, 7, 2, 0f, "none", 0, 0, 0), run,
                new PrintStream(OutputStream.nullOutputStream()));
        predictor = RunModel.open(run, false).predictor();
        server = new PredictionServer(predictor, new InetSocketAddress("127.0.0.1", 0), 1 << 20, 4);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Optional<String> findChromium() {
        String given = System.getenv("LINEA_CHROMIUM");
        if (given != null && new File(given).canExecute()) {
            return Optional.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return Optional.of(f.getPath());
                }
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium on {@code url} with {@code action} (--dump-dom or --screenshot=...); its stdout. */
    static String chromium(String url, String action, String name) throws Exception {
        Path profile = Files.createTempDirectory("linea-chromium-");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=900,560", "--virtual-time-budget=15000", action, url));
        Path stdout = OUT.resolve(name + ".out"), stderr = OUT.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s: " + String.join(" ", cmd) + "\nstderr: " + Files.readString(stderr));
            }
            assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
            return Files.readString(stdout);
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    record Row(String label, double percent) {}

    static List<Row> rows(String dom) {
        List<Row> out = new ArrayList<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            out.add(new Row(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"),
                    Double.parseDouble(m.group(2))));
        }
        return out;
    }

    static byte[] testImagePng() throws IOException {
        ImageSet test = ImageSet.loadSample(Split.TEST);
        BufferedImage img = new BufferedImage(test.cols(), test.rows(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < test.rows(); y++) {
            for (int x = 0; x < test.cols(); x++) {
                img.getRaster().setSample(x, y, 0, test.pixel(0, y, x));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void thePageSubmitsAPictureAndShowsThePredictorsTopClasses() throws Exception {
        byte[] png = testImagePng();
        String url = server.uri() + "?image=" + URLEncoder.encode("data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png), StandardCharsets.UTF_8);
        String dom = chromium(url, "--dump-dom", "upload");
        assertTrue(dom.contains("data-state=\"done\""), "the page did not finish predicting:\n" + dom);
        List<Prediction> expected = predictor.predict(ImageFiles.read(png, "test image"), PredictionServer.DEFAULT_K);
        List<Row> shown = rows(dom);
        assertEquals(expected.stream().map(Prediction::label).toList(), shown.stream().map(Row::label).toList(), dom);
        for (int i = 0; i < shown.size(); i++) {
            assertEquals(100.0 * expected.get(i).probability(), shown.get(i).percent(), 0.051, shown.get(i).label());
        }
        assertTrue(dom.contains("Model: fcnn, input 1×28×28, 10 classes"), dom);

        Path shot = OUT.resolve("serve-upload.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(url, "--screenshot=" + shot, "screenshot");
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(900, image.getWidth());
        // The top class's bar is drawn in green (#2f855a): the answer is on screen, not only in the DOM.
        int green = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (Math.abs((rgb >> 16) - 0x2f) < 8 && Math.abs(((rgb >> 8) & 0xff) - 0x85) < 8
                        && Math.abs((rgb & 0xff) - 0x5a) < 8) {
                    green++;
                }
            }
        }
        assertTrue(green > 20, "no green bar in " + shot + " (" + green + " pixels)");
    }

    @Test
    void aStrokeDrawnOnThePadIsSentAndAnswered() throws Exception {
        String dom = chromium(server.uri() + "?stroke=140,30;140,90;140,150;140,250", "--dump-dom", "stroke");
        assertTrue(dom.contains("data-state=\"done\""), "the page did not finish predicting:\n" + dom);
        List<Row> shown = rows(dom);
        assertEquals(PredictionServer.DEFAULT_K, shown.size(), dom);
        double sum = 0;
        for (Row r : shown) {
            assertTrue(PredictionServerTest.NAMES.contains(r.label()), r.label());
            sum += r.percent();
        }
        assertTrue(sum > 0 && sum <= 100.3, "percentages add to " + sum);
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(shown.get(i - 1).percent() >= shown.get(i).percent(), "highest first: " + shown);
        }
    }
}
