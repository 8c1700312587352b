package dev.linea.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.data.ImageFiles;
import dev.linea.inference.Prediction;
import dev.linea.inference.Predictor;
import dev.linea.internal.io.Json;
import dev.linea.models.FCNN;
import dev.linea.models.ModelCard;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code linea serve}'s endpoint over real HTTP (java.net.http) on an ephemeral port. */
class PredictionServerTest {
    static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    static final int LIMIT = 64 * 1024;

    static Predictor predictor;
    static PredictionServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    static Predictor testPredictor() {
        Linea.manualSeed(21);
        return new Predictor(new FCNN(), ModelCard.of("fcnn", Map.of(), new int[] {1, 28, 28},
                ModelCard.Preprocessing.normalize(0.2860f, 0.3530f, true), NAMES));
    }

    @BeforeAll
    static void start() throws IOException {
        predictor = testPredictor();
        server = new PredictionServer(predictor, new InetSocketAddress("127.0.0.1", 0), LIMIT, 4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A bright vertical bar on black, 56 × 56: a trouser-like picture. */
    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        var g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(20, 4, 16, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static HttpResponse<String> send(String method, String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return (Map<String, Object>) Json.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    static void assertAnswer(List<Prediction> expected, Map<String, Object> answer) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get("predictions");
        assertEquals(expected.size(), rows.size(), answer.toString());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i).label(), rows.get(i).get("label"));
            assertEquals((long) expected.get(i).index(), rows.get(i).get("index"));
            assertEquals(expected.get(i).probability(), ((Number) rows.get(i).get("probability")).floatValue());
        }
    }

    @Test
    void anImagePostedGetsThePredictorsTopClasses() throws Exception {
        byte[] png = png();
        HttpResponse<String> r = send("POST", "predict?k=3", "image/png", png);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> answer = json(r);
        assertAnswer(predictor.predict(ImageFiles.read(png, "test"), 3), answer);
        assertEquals(false, answer.get("inverted"));
        r = send("POST", "predict", "image/png", png);
        assertEquals(PredictionServer.DEFAULT_K, ((List<?>) json(r).get("predictions")).size());
    }

    @Test
    void aJsonArrayOfValuesGetsThePredictorsTopClasses() throws Exception {
        Random rnd = new Random(9);
        float[] v = new float[784];
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
            list.add((double) v[i]);
        }
        HttpResponse<String> r = send("POST", "predict?k=10", "application/json; charset=utf-8",
                Json.write(list).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertAnswer(predictor.predict(v, 10), json(r));
    }

    @Test
    void healthDescribesTheModel() throws Exception {
        HttpResponse<String> r = send("GET", "health", null, null);
        assertEquals(200, r.statusCode());
        Map<String, Object> h = json(r);
        assertEquals("ok", h.get("status"));
        assertEquals("fcnn", h.get("architecture"));
        assertEquals(List.of(1L, 28L, 28L), h.get("input_shape"));
        assertEquals(NAMES, h.get("class_names"));
        assertEquals(Linea.version(), h.get("linea_version"));
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> r = send("GET", "", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("<canvas id=\"pad\"") && r.body().contains("fetch(\"predict?k=5\""), r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        Map<String, Object> e = json(r);
        assertEquals((long) status, e.get("status"));
        assertEquals(message, e.get("error"));
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        assertError(send("POST", "predict", "image/png", "not a png".getBytes(StandardCharsets.UTF_8)), 400,
                "the request body: is not an image Java can read (PNG, JPEG, GIF, BMP)");
        assertError(send("POST", "predict", "image/png", new byte[0]), 400, "the request body: is empty (0 bytes), not an image");
        assertError(send("POST", "predict", "application/json", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8)), 400,
                "input has 3 values, the model takes 784 (input shape [1, 28, 28])");
        assertError(send("POST", "predict", "application/json", "{\"x\": 1}".getBytes(StandardCharsets.UTF_8)), 400,
                "the body must be a JSON array of 784 numbers");
        assertError(send("POST", "predict", "application/json", "[1, \"a\"]".getBytes(StandardCharsets.UTF_8)), 400,
                "element 1 of the array is a, not a finite number");
        HttpResponse<String> r = send("POST", "predict", "application/json", "[1,".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertTrue(((String) json(r).get("error")).startsWith("the body is not valid JSON: "), r.body());
        assertError(send("POST", "predict?k=0", "image/png", png()), 400, "k must be a whole number of at least 1, got '0'");
        assertError(send("POST", "predict", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415,
                "content type text/plain: /predict takes an image (image/png, image/jpeg, image/gif, image/bmp) or a JSON "
                        + "array of 784 numbers (application/json)");
        assertError(send("POST", "predict", "image/tiff", png()), 415,
                "content type image/tiff is not an image type Linea reads (image/png, image/jpeg, image/gif, image/bmp)");
        r = send("GET", "predict", null, null);
        assertError(r, 405, "/predict takes POST (an image or a JSON array of values), not GET");
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertError(send("DELETE", "health", null, null), 405, "/health takes GET, not DELETE");
        assertError(send("GET", "nope", null, null), 404, "no such page: /nope (there are /, /health and /predict)");
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        byte[] big = new byte[LIMIT + 1];
        assertError(send("POST", "predict", "image/png", big), 413,
                "the request body is " + (LIMIT + 1) + " bytes, more than the limit of " + LIMIT
                        + " bytes (./linea serve --max-bytes)");
        // Without a declared length (chunked), the server stops reading at the limit.
        HttpRequest chunked = HttpRequest.newBuilder(server.uri().resolve("predict")).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        HttpResponse<String> r = http.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertError(r, 413, "the request body is more than " + LIMIT + " bytes, more than the limit of " + LIMIT
                + " bytes (./linea serve --max-bytes)");
    }

    @Test
    void aHugeDeclaredLengthIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 10000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
    }

    @Test
    void concurrentClientsGetTheirOwnAnswers() throws Exception {
        Random rnd = new Random(10);
        int n = 24;
        List<float[]> inputs = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[784];
            List<Object> list = new ArrayList<>();
            for (int j = 0; j < v.length; j++) {
                v[j] = rnd.nextFloat();
                list.add((double) v[j]);
            }
            inputs.add(v);
            futures.add(http.sendAsync(HttpRequest.newBuilder(server.uri().resolve("predict?k=2"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(list))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = futures.get(i).get();
            assertEquals(200, r.statusCode(), r.body());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) json(r).get("predictions");
            List<Prediction> expected = predictor.predict(inputs.get(i), 2);
            for (int j = 0; j < 2; j++) {
                assertEquals((long) expected.get(j).index(), rows.get(j).get("index"), "request " + i);
                assertEquals(expected.get(j).probability(), ((Number) rows.get(j).get("probability")).floatValue(), 1e-6f);
            }
        }
    }
}
