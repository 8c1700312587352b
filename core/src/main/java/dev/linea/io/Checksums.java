package dev.linea.io;

import dev.linea.Tensor;
import dev.linea.compute.Dense;
import dev.linea.internal.io.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * CRC32C of each tensor's data, kept in the {@code __metadata__} of the files {@link Checkpoints} writes
 * under {@value #KEY} as a JSON object {@code {"name": "8 hex digits", ...}}. The format checks the
 * header's structure but not the data, so without this a flipped bit in a weight loads silently. Files
 * without the key (older ones, or written by PyTorch) load unchecked; PyTorch ignores the key.
 */
final class Checksums {
    /** The metadata key. */
    static final String KEY = "linea.crc32c";

    private Checksums() {}

    /** The metadata value for {@code tensors}: each one's CRC32C over its float32 little-endian bytes. */
    static String of(Map<String, ? extends Tensor> tensors) {
        Map<String, Object> sums = new TreeMap<>();
        tensors.forEach((name, t) -> sums.put(name, hex(crc(t))));
        return Json.write(sums);
    }

    /**
     * Checks the tensors of {@code loaded} against its {@value #KEY}, if it has one.
     *
     * @throws SafeTensorsException naming the file and the first tensor whose data does not match
     */
    static void verify(SafeTensors.Loaded loaded, String file) throws SafeTensorsException {
        String text = loaded.metadata().get(KEY);
        if (text == null) {
            return;
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new SafeTensorsException(file, "'" + KEY + "' is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> sums)) {
            throw new SafeTensorsException(file, "'" + KEY + "' must be a JSON object of checksums");
        }
        for (var e : loaded.tensors().entrySet()) {
            Object want = sums.get(e.getKey());
            if (want == null) {
                throw new SafeTensorsException(file, "tensor '" + e.getKey() + "' has no checksum in '" + KEY
                        + "': the file is damaged or was edited");
            }
            String got = hex(crc(e.getValue()));
            if (!got.equals(want)) {
                throw new SafeTensorsException(file, "the data of tensor '" + e.getKey() + "' does not match its "
                        + "checksum (CRC32C " + got + ", saved " + want + "): the file is damaged");
            }
        }
        for (Object name : sums.keySet()) {
            if (!loaded.tensors().containsKey(name)) {
                throw new SafeTensorsException(file, "tensor '" + name + "' is listed in '" + KEY
                        + "' but missing from the file: the file is damaged or was edited");
            }
        }
    }

    private static long crc(Tensor t) {
        Dense d = Dense.of(t);
        float[] a = d.a();
        int n = t.numel();
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(n, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            buf.clear();
            int k = Math.min(n - i, buf.capacity() / 4);
            for (int j = 0; j < k; j++) {
                buf.putInt(Float.floatToRawIntBits(a[d.off() + i + j])); // the bits as written, NaN payloads too
            }
            crc.update(buf.flip());
            i += k;
        }
        return crc.getValue();
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }
}
