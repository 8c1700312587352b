package dev.linea.models;

import dev.linea.Linea;
import dev.linea.internal.io.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model file says about itself, so that {@link Models#load} can rebuild the module and a
 * {@code dev.linea.inference.Predictor} can feed it: the architecture (a registered name and its
 * {@link ModelConfig}), the shape of one input, the preprocessing the model was trained with, the class
 * names and the Linea version that wrote it. Immutable.
 *
 * <p>In a safetensors file the card is one {@code __metadata__} entry (safetensors metadata is a map of
 * strings), key {@value #METADATA_KEY}, holding the JSON form:
 * <pre>
 * {"format":"linea.model-card.v1","architecture":"fcnn","config":{"dropout":0.1},"input_shape":[1,28,28],
 *  "preprocessing":{"mean":[0.2860],"std":[0.3530],"invert_light_background":true},
 *  "class_names":["T-shirt/top","Trouser",...],"linea_version":"0.2.0"}
 * </pre>
 * PyTorch's {@code safetensors.torch.load_file} ignores it and loads the weights as before.
 *
 * @param architecture the name the module's factory is registered under ({@link Models#register})
 * @param config the options to build it with
 * @param inputShape the shape of one example, without the batch dimension, e.g. (1, 28, 28) = (C, H, W)
 * @param preprocessing how raw input becomes the model's input
 * @param classNames the label of each output, index by index (empty: outputs are unnamed)
 * @param lineaVersion the Linea version that wrote the card
 */
public record ModelCard(String architecture, ModelConfig config, List<Integer> inputShape, Preprocessing preprocessing,
                        List<String> classNames, String lineaVersion) {
    /** The {@code __metadata__} key holding the card's JSON. */
    public static final String METADATA_KEY = "linea.model_card";
    /** The value of the JSON form's {@code format}. */
    public static final String FORMAT = "linea.model-card.v1";

    /**
     * The preprocessing of an input: pixels scaled to [0, 1], optionally inverted when the picture's border
     * is light (a drawing or photo on white paper, for a model trained on dark backgrounds), then
     * normalised per channel, {@code (x − mean[c]) / std[c]}. The channels are the first dimension of an
     * input of rank 3 or more (C of (C, H, W)), the features of a vector input (F), and the one channel of a
     * (H, W) image.
     *
     * @param mean per channel: one value (for all channels) or one per channel
     * @param std per channel, as many as {@code mean}, each positive
     * @param invertLightBackground whether an image with a light border is inverted first
     */
    public record Preprocessing(List<Float> mean, List<Float> std, boolean invertLightBackground) {
        /** Checks the values. */
        public Preprocessing {
            mean = List.copyOf(mean);
            std = List.copyOf(std);
            if (mean.isEmpty() || mean.size() != std.size()) {
                throw new IllegalArgumentException("preprocessing needs as many means as deviations, at least one; got "
                        + mean + " and " + std);
            }
            for (int i = 0; i < mean.size(); i++) {
                if (!Float.isFinite(mean.get(i)) || !(std.get(i) > 0) || Float.isInfinite(std.get(i))) {
                    throw new IllegalArgumentException("preprocessing mean " + mean + " must be finite and std " + std
                            + " finite and positive");
                }
            }
        }

        /** Normalisation by one mean and deviation for every channel. */
        public static Preprocessing normalize(float mean, float std, boolean invertLightBackground) {
            return new Preprocessing(List.of(mean), List.of(std), invertLightBackground);
        }

        /** The mean of channel {@code c}. */
        public float mean(int c) {
            return mean.get(mean.size() == 1 ? 0 : c);
        }

        /** The deviation of channel {@code c}. */
        public float std(int c) {
            return std.get(std.size() == 1 ? 0 : c);
        }
    }

    /** Checks the card: a name, a positive input shape, per-channel preprocessing that fits it. */
    public ModelCard {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (architecture == null || architecture.isEmpty()) {
            throw new IllegalArgumentException("a model card needs an architecture name");
        }
        if (!config.model().equals(architecture)) {
            throw new IllegalArgumentException("config is for model '" + config.model() + "', the card for '"
                    + architecture + "'");
        }
        inputShape = List.copyOf(inputShape);
        if (inputShape.isEmpty() || inputShape.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("input shape must have positive dimensions, got " + inputShape);
        }
        int channels = channels(inputShape);
        if (preprocessing.mean().size() != 1 && preprocessing.mean().size() != channels) {
            throw new IllegalArgumentException("preprocessing has " + preprocessing.mean().size() + " means, but input "
                    + "shape " + inputShape + " has " + channels + " channel(s): give one, or one per channel");
        }
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(lineaVersion, "lineaVersion");
    }

    /**
     * A card written by this Linea ({@link Linea#version()}).
     *
     * @param architecture the registered name, e.g. {@code "fcnn"}
     * @param config its options, e.g. {@code Map.of("dropout", 0.1)}
     * @param inputShape one example's shape, e.g. {@code 1, 28, 28}
     */
    public static ModelCard of(String architecture, Map<String, ?> config, int[] inputShape, Preprocessing preprocessing,
                               List<String> classNames) {
        return new ModelCard(architecture, new ModelConfig(architecture, config),
                java.util.Arrays.stream(inputShape).boxed().toList(), preprocessing, classNames, Linea.version());
    }

    /** How many channels the preprocessing may give values for (see {@link Preprocessing}). */
    public static int channels(List<Integer> inputShape) {
        return inputShape.size() == 2 ? 1 : inputShape.get(0);
    }

    /** The input shape as an array. */
    public int[] inputShapeArray() {
        return inputShape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** How many values one example has (the product of the input shape). */
    public int inputSize() {
        return inputShape.stream().reduce(1, Math::multiplyExact);
    }

    /** The label of output {@code i}: its class name, or the index itself when the card names none. */
    public String label(int i) {
        return i < classNames.size() ? classNames.get(i) : Integer.toString(i);
    }

    // ---------------------------------------------------------------- JSON

    /** The JSON form (see the class comment). */
    public String toJson() {
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("mean", preprocessing.mean());
        pre.put("std", preprocessing.std());
        pre.put("invert_light_background", preprocessing.invertLightBackground());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("architecture", architecture);
        m.put("config", config.asMap());
        m.put("input_shape", inputShape);
        m.put("preprocessing", pre);
        m.put("class_names", classNames);
        m.put("linea_version", lineaVersion);
        return Json.write(m);
    }

    /** The card as safetensors metadata: {@value #METADATA_KEY} → its JSON. */
    public Map<String, String> toMetadata() {
        return Map.of(METADATA_KEY, toJson());
    }

    /**
     * The card in a file's {@code __metadata__}, if it has one.
     *
     * @throws IllegalArgumentException when the entry is there but is not a valid card
     */
    public static Optional<ModelCard> fromMetadata(Map<String, String> metadata) {
        String json = metadata.get(METADATA_KEY);
        return json == null ? Optional.empty() : Optional.of(fromJson(json));
    }

    /**
     * Parses the JSON form.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static ModelCard fromJson(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("model card is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("model card must be a JSON object");
        }
        Object format = m.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("model card format " + (format == null ? "is missing" : "'" + format + "'")
                    + ", expected '" + FORMAT + "' (written by a newer Linea?)");
        }
        String architecture = field(m, "architecture", String.class);
        Map<String, Object> config = strings(field(m, "config", Map.class));
        List<Integer> shape = new ArrayList<>();
        for (Object d : (List<?>) field(m, "input_shape", List.class)) {
            if (!(d instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("model card input_shape must hold positive whole numbers, got "
                        + m.get("input_shape"));
            }
            shape.add(n.intValue());
        }
        Map<?, ?> pre = field(m, "preprocessing", Map.class);
        Preprocessing p = new Preprocessing(floats(pre.get("mean"), "mean"), floats(pre.get("std"), "std"),
                Boolean.TRUE.equals(pre.get("invert_light_background")));
        List<String> names = new ArrayList<>();
        for (Object n : (List<?>) field(m, "class_names", List.class)) {
            if (!(n instanceof String s)) {
                throw new IllegalArgumentException("model card class_names must be strings, got " + n);
            }
            names.add(s);
        }
        return new ModelCard(architecture, new ModelConfig(architecture, config), shape, p, names,
                field(m, "linea_version", String.class));
    }

    private static <T> T field(Map<?, ?> m, String key, Class<T> type) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("model card " + (v == null ? "has no '" + key + "'"
                    : "'" + key + "' must be a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ", got " + v));
        }
        return type.cast(v);
    }

    private static Map<String, Object> strings(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, v));
        return Collections.unmodifiableMap(out);
    }

    private static List<Float> floats(Object v, String what) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("model card preprocessing." + what + " must be a list of numbers, got " + v);
        }
        List<Float> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("model card preprocessing." + what + " must be numbers, got " + o);
            }
            out.add(n.floatValue());
        }
        return out;
    }
}
