package dev.linea.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.linea.data.ImageFiles;
import dev.linea.data.ImageFormatException;
import dev.linea.inference.BatchingPredictor;
import dev.linea.inference.Prediction;
import dev.linea.inference.Predictor;
import dev.linea.internal.io.Json;
import dev.linea.models.ModelCard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model served over HTTP on the JDK's own server ({@code com.sun.net.httpserver}):
 * <ul>
 * <li>{@code POST /predict} with an image body ({@code image/png}, {@code image/jpeg}, {@code image/gif},
 *     {@code image/bmp}) or a JSON array of the input's values in [0, 1] ({@code application/json}), optional
 *     query {@code k} (how many classes, default {@value #DEFAULT_K}) → {@code {"predictions":[{"label":…,
 *     "index":…,"probability":…},…],"inverted":…}}, highest first;</li>
 * <li>{@code GET /health} → the model's architecture, input shape, classes and Linea version;</li>
 * <li>{@code GET /} → a page where a person draws or uploads a picture and sees the top classes as bars.</li>
 * </ul>
 * Bodies above the size limit get 413 (before they are read when the length is declared); a bad image or
 * JSON 400, another content type 415, another method 405, another path 404: every error is a JSON object
 * {@code {"error": "…", "status": N}}. Requests are answered by a pool of threads sharing one model;
 * concurrent predictions go through a {@link BatchingPredictor} that runs what is queued as one batch
 * (no waiting: a lone request is not delayed).
 */
public final class PredictionServer implements AutoCloseable {
    /** Default request body limit: 4 MiB, far beyond a photo for a 28×28 model. */
    public static final int DEFAULT_MAX_BYTES = 4 << 20;
    /** Classes returned when the request does not say. */
    public static final int DEFAULT_K = 5;
    private static final int MAX_BATCH = 32;
    /** How much of a body over the limit is read and dropped before answering 413 (see {@link #body}). */
    private static final long SWALLOW = 16L << 20;

    private final Predictor predictor;
    private final BatchingPredictor batcher;
    private final int maxBytes;
    private final HttpServer server;
    private final ExecutorService pool;
    private final byte[] page;

    /**
     * Binds {@code address} (port 0: any free port) and starts serving.
     *
     * @param threads how many requests are handled at once
     */
    public PredictionServer(Predictor predictor, InetSocketAddress address, int maxBytes, int threads) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("--max-bytes must be at least 1, got " + maxBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        this.predictor = predictor;
        this.maxBytes = maxBytes;
        this.page = page();
        this.batcher = new BatchingPredictor(predictor, MAX_BATCH, Duration.ZERO);
        this.server = HttpServer.create(address, 64);
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("linea-http-", 0).factory());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address to open in a browser, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : server.getAddress().getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /** Stops accepting requests, lets those in progress finish (up to a second), and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
        batcher.close();
    }

    /** An error answered as JSON with its status. */
    private static final class HttpError extends Exception {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (HttpError e) {
                if (e.status == 405) {
                    ex.getResponseHeaders().set("Allow", e.getMessage().contains("POST") ? "POST" : "GET, HEAD");
                }
                sendJson(ex, e.status, Map.of("error", e.getMessage(), "status", e.status));
            } catch (RuntimeException e) {
                sendJson(ex, 500, Map.of("error", "internal error: " + e, "status", 500));
            }
        }
    }

    private void route(HttpExchange ex) throws IOException, HttpError {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/", "/index.html" -> {
                requireGet(ex, method);
                send(ex, 200, "text/html; charset=utf-8", page);
            }
            case "/health" -> {
                requireGet(ex, method);
                sendJson(ex, 200, health());
            }
            case "/predict" -> {
                if (!method.equals("POST")) {
                    throw new HttpError(405, "/predict takes POST (an image or a JSON array of values), not " + method);
                }
                sendJson(ex, 200, predict(ex));
            }
            default -> throw new HttpError(404, "no such page: " + path + " (there are /, /health and /predict)");
        }
    }

    private static void requireGet(HttpExchange ex, String method) throws HttpError {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new HttpError(405, ex.getRequestURI().getPath() + " takes GET, not " + method);
        }
    }

    private Map<String, Object> health() {
        ModelCard card = predictor.card();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("architecture", card.architecture());
        m.put("config", card.config().asMap());
        m.put("input_shape", card.inputShape());
        m.put("class_names", card.classNames());
        m.put("linea_version", card.lineaVersion());
        return m;
    }

    private Map<String, Object> predict(HttpExchange ex) throws IOException, HttpError {
        int k = k(ex.getRequestURI().getRawQuery());
        String type = contentType(ex);
        List<Prediction> top;
        Boolean inverted = null;
        if (type.startsWith("image/")) {
            if (!List.of("image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp").contains(type)) {
                throw new HttpError(415, "content type " + type + " is not an image type Linea reads (image/png, "
                        + "image/jpeg, image/gif, image/bmp)");
            }
            BufferedImage image;
            try {
                image = ImageFiles.read(body(ex), "the request body");
            } catch (ImageFormatException e) {
                throw new HttpError(400, e.getMessage());
            }
            try {
                inverted = predictor.invertsImage(image);
                top = batcher.predict(image, k);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, e.getMessage());
            }
        } else if (type.equals("application/json")) {
            float[] values = values(body(ex));
            try {
                top = batcher.predict(values, k);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, e.getMessage());
            }
        } else {
            throw new HttpError(415, (type.isEmpty() ? "no content type" : "content type " + type) + ": /predict takes "
                    + "an image (image/png, image/jpeg, image/gif, image/bmp) or a JSON array of "
                    + predictor.card().inputSize() + " numbers (application/json)");
        }
        List<Object> rows = new ArrayList<>();
        for (Prediction p : top) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", p.label());
            row.put("index", p.index());
            row.put("probability", p.probability());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("predictions", rows);
        if (inverted != null) {
            out.put("inverted", inverted);
        }
        return out;
    }

    private static String contentType(HttpExchange ex) {
        String t = ex.getRequestHeaders().getFirst("Content-Type");
        if (t == null) {
            return "";
        }
        int semi = t.indexOf(';');
        return (semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static int k(String query) throws HttpError {
        if (query == null) {
            return DEFAULT_K;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("k=")) {
                try {
                    int k = Integer.parseInt(kv.substring(2));
                    if (k >= 1) {
                        return k;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new HttpError(400, "k must be a whole number of at least 1, got '" + kv.substring(2) + "'");
            }
        }
        return DEFAULT_K;
    }

    /**
     * The body, at most {@code maxBytes}. Above the limit the answer is 413; the excess is read and dropped
     * (up to {@value #SWALLOW} bytes, without keeping it) so that the client, still sending, reads the answer
     * rather than a reset connection. A declared length beyond that is refused without reading anything.
     */
    private byte[] body(HttpExchange ex) throws IOException, HttpError {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length is not a number: " + declared);
            }
            if (n > maxBytes) {
                if (n - maxBytes <= SWALLOW) {
                    drop(ex.getRequestBody(), n);
                }
                throw tooLarge(n + " bytes");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                if (out.size() > maxBytes) {
                    drop(in, SWALLOW);
                    throw tooLarge("more than " + maxBytes + " bytes");
                }
            }
        }
        return out.toByteArray();
    }

    /** Reads and discards up to {@code max} bytes, or to the end. */
    private static void drop(InputStream in, long max) throws IOException {
        byte[] buf = new byte[8192];
        for (long left = max; left > 0; ) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return;
            }
            left -= r;
        }
    }

    private HttpError tooLarge(String size) {
        return new HttpError(413, "the request body is " + size + ", more than the limit of " + maxBytes
                + " bytes (./linea serve --max-bytes)");
    }

    private float[] values(byte[] body) throws HttpError {
        Object parsed;
        try {
            parsed = Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (Json.ParseException e) {
            throw new HttpError(400, "the body is not valid JSON: " + e.getMessage());
        }
        int expected = predictor.card().inputSize();
        if (!(parsed instanceof List<?> list)) {
            throw new HttpError(400, "the body must be a JSON array of " + expected + " numbers");
        }
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(list.get(i) instanceof Number n) || !Float.isFinite(n.floatValue())) {
                throw new HttpError(400, "element " + i + " of the array is " + list.get(i) + ", not a finite number");
            }
            v[i] = n.floatValue();
        }
        return v;
    }

    private static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] page() {
        try (InputStream in = PredictionServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("dev/linea/cli/serve/index.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
