package dev.linea.cli.fuzz;

import dev.linea.internal.io.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mutations of a safetensors file through its header, rewritten with consistent offsets and header length:
 * blind byte mutations almost never get past the format's checks to a tensor of another shape, a name
 * without its index or a scheduler state of another type, which is where the readers behind it can fail.
 */
final class SafeTensorsMutations {
    private static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I8", "U8", "I16", "I32", "I64", "BOOL", "Q4"};
    private static final int[] SIZES = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 1};

    private SafeTensorsMutations() {}

    /** A mutated copy of {@code file}, or {@code file} itself when it is not a parsable safetensors file. */
    @SuppressWarnings("unchecked")
    static byte[] mutate(byte[] file, SplittableRandom r, String[] tokens) {
        if (file.length < 8) {
            return file;
        }
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > file.length - 8) {
            return file;
        }
        Map<String, Object> header;
        try {
            header = (Map<String, Object>) Json.parse(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        } catch (Json.ParseException | ClassCastException e) {
            return file;
        }
        Map<String, String> meta = header.get("__metadata__") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, String>) m) : new LinkedHashMap<>();
        List<String> names = new ArrayList<>(header.keySet());
        names.remove("__metadata__");
        Map<String, Map<String, Object>> tensors = new LinkedHashMap<>();
        for (String name : names) {
            if (!(header.get(name) instanceof Map<?, ?> info)) {
                return file;
            }
            tensors.put(name, new LinkedHashMap<>((Map<String, Object>) info));
        }
        String pick = names.isEmpty() ? null : names.get(r.nextInt(names.size()));
        switch (r.nextInt(6)) {
            case 0 -> { // another shape
                if (pick != null) {
                    tensors.get(pick).put("shape", shape(r));
                }
            }
            case 1 -> { // another name: without its index, an empty or odd index, another prefix
                if (pick != null) {
                    tensors.put(rename(pick, r), tensors.remove(pick));
                }
            }
            case 2 -> { // a metadata value replaced, removed, or a scheduler/param-group of another type
                if (!meta.isEmpty()) {
                    List<String> keys = new ArrayList<>(meta.keySet());
                    String key = keys.get(r.nextInt(keys.size()));
                    if (r.nextInt(4) == 0) {
                        meta.remove(key);
                    } else {
                        meta.put(key, tokens[r.nextInt(tokens.length)]);
                    }
                }
            }
            case 3 -> { // another dtype
                if (pick != null) {
                    tensors.get(pick).put("dtype", DTYPES[r.nextInt(DTYPES.length)]);
                }
            }
            case 4 -> { // an entry deleted
                if (pick != null) {
                    tensors.remove(pick);
                }
            }
            default -> { // an entry copied under another name
                if (pick != null) {
                    tensors.put(rename(pick, r), new LinkedHashMap<>(tensors.get(pick)));
                }
            }
        }
        return rebuild(file, 8 + n, meta, tensors, r);
    }

    private static List<Object> shape(SplittableRandom r) {
        List<Object> s = new ArrayList<>();
        switch (r.nextInt(5)) {
            case 0 -> { } // 0-D
            case 1 -> s.add((long) r.nextInt(0, 3));
            case 2 -> s.addAll(Collections.nCopies(r.nextInt(2, 6), (Object) (long) r.nextInt(1, 5)));
            case 3 -> s.addAll(Collections.nCopies(r.nextInt(60, 6000), (Object) 1L)); // high ranks
            default -> {
                s.add((long) r.nextInt(1, 9));
                s.add((long) r.nextInt(1, 9));
            }
        }
        return s;
    }

    private static String rename(String name, SplittableRandom r) {
        int dot = name.lastIndexOf('.');
        return switch (r.nextInt(5)) {
            case 0 -> dot < 0 ? name + "." : name.substring(0, dot); // the last part dropped
            case 1 -> name.replaceFirst("\\.[0-9]+\\.", "..");       // an empty index
            case 2 -> name.replaceFirst("\\.[0-9]+\\.", "." + new String[] {"x", "-1", "2147483648", "07", "99"}[r.nextInt(5)] + ".");
            case 3 -> name.replaceFirst("^[a-z]+\\.", "");           // the prefix dropped
            default -> name + "." + r.nextInt(3);
        };
    }

    /** The file again with these entries, back to back, their data taken from the old data where it reaches. */
    private static byte[] rebuild(byte[] file, long dataStart, Map<String, String> meta,
                                  Map<String, Map<String, Object>> tensors, SplittableRandom r) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!meta.isEmpty()) {
            header.put("__metadata__", meta);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            Map<String, Object> info = e.getValue();
            long numel = 1;
            if (info.get("shape") instanceof List<?> shape) {
                for (Object d : shape) {
                    numel *= d instanceof Long l && l >= 0 ? l : 1;
                }
            }
            int dtype = List.of(DTYPES).indexOf(String.valueOf(info.get("dtype")));
            long bytes = Math.min(numel * (dtype < 0 ? 4 : SIZES[dtype]), 1 << 20);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate((int) (8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        for (long i = 0; i < offset; i++) {
            long from = dataStart + i;
            out.put(from < file.length ? file[(int) from] : (byte) r.nextInt(256));
        }
        return out.array();
    }
}
