package dev.linea.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a data set's files on disk. A data root holds one directory per data set
 * ({@code <root>/fashion-mnist/}, {@code <root>/mnist/}) with the standard file names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally ending in {@code .gz}).
 *
 * <p>Search order:
 * <ol>
 *   <li>an explicit path, either the data set's directory or a data root; when given, nothing else
 *       is searched, because silently using other data than the user named would mislead;</li>
 *   <li>{@code $LINEA_DATA/<set>};</li>
 *   <li>{@code ~/.linea/data/<set>};</li>
 *   <li>the system directory of the Debian package, for sets that have one
 *       ({@code /usr/share/datasets/fashion-mnist} from {@code dataset-fashion-mnist}).</li>
 * </ol>
 * The environment, home directory and system root are injected so tests need not touch the real ones.
 */
public final class DataLocator {
    /** Environment variable naming a data root. */
    public static final String ENV_VAR = "LINEA_DATA";
    /** Where Debian's {@code dataset-*} packages install data sets. */
    public static final Path DEBIAN_ROOT = Path.of("/usr/share/datasets");

    private final Function<String, String> env;
    private final Path userHome;
    private final Path systemRoot;

    /**
     * @param env looks up environment variables (null when unset), e.g. {@code System::getenv}
     * @param userHome the user's home directory, holding {@code .linea/data}
     * @param systemRoot where system packages put data sets, normally {@link #DEBIAN_ROOT}
     */
    public DataLocator(Function<String, String> env, Path userHome, Path systemRoot) {
        this.env = env;
        this.userHome = userHome;
        this.systemRoot = systemRoot;
    }

    /** A locator over the real environment, {@code user.home} and {@link #DEBIAN_ROOT}. */
    public static DataLocator system() {
        return new DataLocator(System::getenv, Path.of(System.getProperty("user.home")), DEBIAN_ROOT);
    }

    /** Where new data (downloads, conversions) should go: {@code $LINEA_DATA}, else {@code ~/.linea/data}. */
    public Path defaultRoot() {
        String fromEnv = env.apply(ENV_VAR);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : userHome.resolve(".linea").resolve("data");
    }

    /** Whether all four files of {@code kind} are found, in {@code explicit} when given, else along the search path. */
    public boolean has(ImageSetKind kind, Optional<Path> explicit) {
        return find(kind, explicit).isPresent();
    }

    /** The first directory in search order holding all four files of {@code kind}, if any. */
    Optional<DataFiles> find(ImageSetKind kind, Optional<Path> explicit) {
        for (Candidate c : candidates(kind, explicit)) {
            Optional<DataFiles> files = complete(c);
            if (files.isPresent()) {
                return files;
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find}, but fails with a message listing every place searched, why each did not
     * qualify, and the command that gets the data.
     */
    DataFiles locate(ImageSetKind kind, Optional<Path> explicit) throws DataNotFoundException {
        Optional<DataFiles> found = find(kind, explicit);
        if (found.isPresent()) {
            return found.get();
        }
        List<String> searched = new ArrayList<>();
        if (explicit.isEmpty()) {
            String fromEnv = env.apply(ENV_VAR);
            if (fromEnv == null || fromEnv.isBlank()) {
                searched.add("$" + ENV_VAR + ": not set");
            }
        }
        for (Candidate c : candidates(kind, explicit)) {
            searched.add(c.dir() + " (" + c.origin() + "): " + whyNot(c.dir()));
        }
        StringBuilder msg = new StringBuilder(kind.displayName()).append(" not found. Looked in:");
        searched.forEach(line -> msg.append("\n  ").append(line));
        kind.getCommand().ifPresent(cmd -> msg.append("\nTo get it, run: ").append(cmd));
        throw new DataNotFoundException(msg.toString(), searched);
    }

    /** Directories to search for {@code kind}, in order, with why each is searched. */
    List<Candidate> candidates(ImageSetKind kind, Optional<Path> explicit) {
        String dirName = kind.directoryName().orElseThrow(
                () -> new IllegalArgumentException(kind + " is read from the class path; there are no files to find"));
        List<Candidate> list = new ArrayList<>();
        if (explicit.isPresent()) {
            list.add(new Candidate(explicit.get(), "explicit path"));
            list.add(new Candidate(explicit.get().resolve(dirName), "explicit path as data root"));
            return list;
        }
        String fromEnv = env.apply(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            list.add(new Candidate(Path.of(fromEnv).resolve(dirName), ENV_VAR));
        }
        list.add(new Candidate(userHome.resolve(".linea").resolve("data").resolve(dirName), "home"));
        kind.debianPackage().ifPresent(pkg ->
                list.add(new Candidate(systemRoot.resolve(dirName), "Debian package " + pkg)));
        return list;
    }

    /** The four files in {@code c}, when all are present. */
    private static Optional<DataFiles> complete(Candidate c) {
        Path ti = file(c.dir(), Split.TRAIN.imagesFile());
        Path tl = file(c.dir(), Split.TRAIN.labelsFile());
        Path vi = file(c.dir(), Split.TEST.imagesFile());
        Path vl = file(c.dir(), Split.TEST.labelsFile());
        if (ti == null || tl == null || vi == null || vl == null) {
            return Optional.empty();
        }
        return Optional.of(new DataFiles(c.dir(), c.origin(), ti, tl, vi, vl));
    }

    /** The file named {@code base}, else {@code base.gz}, else null. Raw wins: it is what users unpack. */
    private static Path file(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String whyNot(Path dir) {
        if (!Files.exists(dir)) {
            return "does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return "not a directory";
        }
        List<String> missing = new ArrayList<>();
        for (Split s : Split.values()) {
            for (String base : List.of(s.imagesFile(), s.labelsFile())) {
                if (file(dir, base) == null) {
                    missing.add(base + "[.gz]");
                }
            }
        }
        return "missing " + String.join(", ", missing);
    }

    /** A directory to search and why it is searched (shown in error messages). */
    record Candidate(Path dir, String origin) {
    }
}
