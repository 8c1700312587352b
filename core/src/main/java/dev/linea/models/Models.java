package dev.linea.models;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensors;
import dev.linea.io.SafeTensorsException;
import dev.linea.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Models by name: the registry that turns a {@link ModelCard} back into a module, and the self-describing
 * model files built on it. {@code fcnn} ({@link FCNN}, options {@code dropout}, {@code in_features} (784) and
 * {@code num_classes} (10)) and {@code cnn} ({@link CNN}, options {@code dropout} and {@code num_classes}) are
 * registered; a module of one's own registers itself once,
 * before its files are loaded:
 * <pre>
 * Models.register("mynet", config -&gt; new MyNet(config.getInt("hidden", 64)));
 *
 * Models.save(Path.of("mynet.safetensors"), net, ModelCard.of("mynet", Map.of("hidden", 64),
 *         new int[] {1, 28, 28}, ModelCard.Preprocessing.normalize(0.5f, 0.5f, false), classNames));
 * Module back = Models.load(Path.of("mynet.safetensors"));  // a MyNet with the saved weights, in eval mode
 * </pre>
 * The files are ordinary safetensors model files ({@link Checkpoints#saveModel}); PyTorch loads their
 * weights and ignores the card. Registration is thread-safe.
 */
public final class Models {
    private static final Map<String, Function<ModelConfig, ? extends Module>> FACTORIES = new ConcurrentSkipListMap<>();

    static {
        FACTORIES.put("fcnn", c -> {
            c.requireOnly("dropout", "in_features", "num_classes");
            return new FCNN(c.getInt("in_features", 784), c.getInt("num_classes", 10), c.getFloat("dropout", 0f));
        });
        FACTORIES.put("cnn", c -> {
            c.requireOnly("dropout", "num_classes");
            return new CNN(c.getInt("num_classes", 10), c.getFloat("dropout", 0f));
        });
    }

    private Models() {}

    /** A module rebuilt from a file, with the card it was rebuilt from. */
    public record Loaded(Module module, ModelCard card) {}

    /**
     * Registers {@code factory} under {@code name}, so cards naming it can be rebuilt.
     *
     * @throws IllegalArgumentException when the name is empty
     * @throws IllegalStateException when another factory already has the name
     */
    public static void register(String name, Function<ModelConfig, ? extends Module> factory) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a model needs a non-empty name");
        }
        var before = FACTORIES.putIfAbsent(name, factory);
        if (before != null && before != factory) {
            throw new IllegalStateException("model '" + name + "' is already registered (" + names() + ")");
        }
    }

    /** The registered names, sorted. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** Whether {@code name} is registered. */
    public static boolean isRegistered(String name) {
        return FACTORIES.containsKey(name);
    }

    /**
     * Builds model {@code name} with {@code config}, freshly initialised.
     *
     * @throws IllegalArgumentException naming the registered models when {@code name} is not one, or the
     *     option that does not fit
     */
    public static Module create(String name, Map<String, ?> config) {
        return create(new ModelConfig(name, config));
    }

    /** Builds the model a config describes; see {@link #create(String, Map)}. */
    public static Module create(ModelConfig config) {
        var factory = FACTORIES.get(config.model());
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + config.model() + "'; registered: "
                    + String.join(", ", names()) + " (a module of your own: Models.register(\"" + config.model()
                    + "\", config -> new MyModule(...)) before loading)");
        }
        Module m = factory.apply(config);
        if (m == null) {
            throw new IllegalStateException("the factory of model '" + config.model() + "' returned null");
        }
        return m;
    }

    /**
     * Builds a module whose weights are about to be replaced (or only looked at) from a generator of its own,
     * then hands it the global one (for Dropout): saving or loading a model in the middle of a training run
     * must not shift the run's random stream (its shuffling and dropout masks).
     */
    private static Module rebuild(ModelConfig config) {
        Module m = Module.withGenerator(new Generator(0), () -> create(config));
        m.setGenerator(null);
        return m;
    }

    /**
     * Saves {@code model}'s weights with {@code card} in the file's metadata. The card is checked first: it
     * must rebuild a module with the same parameter names and shapes, so a file that cannot be loaded back
     * is never written.
     *
     * @throws IllegalArgumentException when the card's architecture is not registered or does not rebuild
     *     {@code model}'s parameters
     */
    public static void save(Path path, Module model, ModelCard card) throws IOException {
        Module rebuilt = rebuild(card.config());
        Map<String, Tensor> mine = model.stateDict(), theirs = rebuilt.stateDict();
        boolean same = mine.keySet().equals(theirs.keySet()) && mine.entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue().shape(), theirs.get(e.getKey()).shape()));
        if (!same) {
            throw new IllegalArgumentException("the card's architecture " + card.config() + " builds "
                    + rebuilt.getClass().getSimpleName() + " with parameters " + shapes(theirs) + ", not "
                    + model.getClass().getSimpleName() + "'s " + shapes(mine));
        }
        Checkpoints.saveModel(path, model, card.toMetadata());
    }

    /**
     * Rebuilds the module a model file describes and loads its weights; in evaluation mode
     * ({@code train()} switches it back for fine-tuning).
     *
     * @throws java.io.FileNotFoundException when there is no such file
     * @throws SafeTensorsException naming the file: it is damaged, has no model card (it was written by
     *     PyTorch or by {@code Checkpoints.saveModel}; {@link Module#loadStateDict} loads it into a module
     *     built by hand), names an architecture that is not registered, or holds weights that do not fit it
     */
    public static Module load(Path path) throws IOException {
        return loadWithCard(path).module();
    }

    /** As {@link #load}, returning the card too. */
    public static Loaded loadWithCard(Path path) throws IOException {
        SafeTensors.Loaded loaded = Checkpoints.readModel(path);
        ModelCard card = card(loaded.metadata(), path.toString());
        Module module;
        try {
            module = rebuild(card.config());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(path.toString(), e.getMessage());
        }
        try {
            module.loadStateDict(loaded.tensors());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(path.toString(), "the weights do not fit its architecture " + card.config()
                    + ": " + e.getMessage());
        }
        module.eval();
        return new Loaded(module, card);
    }

    /**
     * The card of a model file, without building the module.
     *
     * @throws SafeTensorsException as {@link #load} for a file with no or a damaged card
     */
    public static ModelCard readCard(Path path) throws IOException {
        return card(Checkpoints.readModel(path).metadata(), path.toString());
    }

    private static ModelCard card(Map<String, String> metadata, String file) throws SafeTensorsException {
        Optional<ModelCard> card;
        try {
            card = ModelCard.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, e.getMessage());
        }
        if (card.isEmpty()) {
            throw new SafeTensorsException(file, "this file has no Linea model card (metadata '"
                    + ModelCard.METADATA_KEY + "'); it was written by " + writer(metadata) + ". Build the module "
                    + "yourself and load the weights with Module.loadStateDict (Checkpoints.loadModel(file, module))");
        }
        return card.get();
    }

    /** Who wrote a file without a card, as far as its metadata tells. */
    private static String writer(Map<String, String> metadata) {
        String format = metadata.get("format");
        if (metadata.isEmpty()) {
            return "a tool that keeps no metadata";
        }
        if (format != null && format.startsWith("linea.training-state")) {
            return "linea train as a training checkpoint (format '" + format + "', read with Checkpoints.load)";
        }
        if ("pt".equals(format)) {
            return metadata.containsKey("linea.crc32c") ? "Checkpoints.saveModel, without a card (an older Linea)"
                    : "PyTorch (safetensors.torch.save_file, format 'pt')";
        }
        return format == null ? "an unknown tool (metadata keys " + metadata.keySet() + ")" : "an unknown tool (format '"
                + format + "')";
    }

    private static String shapes(Map<String, Tensor> state) {
        StringBuilder sb = new StringBuilder("{");
        state.forEach((k, t) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(Arrays.toString(t.shape())));
        return sb.append('}').toString();
    }
}
